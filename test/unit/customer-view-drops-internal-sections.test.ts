import { describe, expect, test } from 'vitest'
import { DEFAULT_CUSTOMER_FACING } from '../../shared/boards.ts'
import { customerView } from '../../shared/customerView.ts'
import { PlanRecordSchema, PlanViewSchema } from '../../shared/plan.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

describe('a customer view removes the sections of internal boards', () => {
  test('with the default flags only actions remain; the keys are gone, not emptied', () => {
    const view = customerView(samplePlan(), DEFAULT_CUSTOMER_FACING)
    expect(Object.keys(view)).not.toContain('swot')
    expect(Object.keys(view)).not.toContain('stakeholders')
    expect(Object.keys(view)).not.toContain('relationships')
    expect(view.actions).toEqual(samplePlan().actions)
    expect(JSON.stringify(view)).not.toMatch(/Strong brand|Dana Ortiz|shape:r1/)
    expect(PlanViewSchema.parse(view)).toEqual(view)
  })

  test('warnings about internal boards are removed with their sections', () => {
    const plan = samplePlan({
      warnings: [
        { board: 'swot', shapeId: 'shape:x', message: 'Invalid shape record' },
        { board: 'stakeholders', message: 'Arrow not attached' },
        { board: 'actions', shapeId: 'shape:y', message: 'Invalid shape record' },
      ],
    })
    expect(customerView(plan, DEFAULT_CUSTOMER_FACING).warnings).toEqual([
      { board: 'actions', shapeId: 'shape:y', message: 'Invalid shape record' },
    ])
  })

  test('the stakeholder board carries both stakeholders and relationships', () => {
    const view = customerView(samplePlan(), { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false })
    expect(view.stakeholders).toHaveLength(2)
    expect(view.relationships).toHaveLength(1)
    expect(view.swot).toBeUndefined()
    expect(view.actions).toBeUndefined()
  })

  test('all boards customer-facing: the view is the whole record', () => {
    const plan = samplePlan()
    expect(customerView(plan, { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true })).toEqual(plan)
  })

  test('nothing customer-facing: the header stays, with no sections and no warnings', () => {
    const view = customerView(samplePlan(), { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false })
    expect(view).toEqual({
      ...samplePlan(),
      swot: undefined,
      stakeholders: undefined,
      relationships: undefined,
      objectives: undefined,
      actions: undefined,
      whitespace: undefined,
      competitors: undefined,
      health: undefined,
      votes: [],
      warnings: [],
    })
    expect(Object.keys(view).sort()).toEqual(
      ['account', 'id', 'label', 'participants', 'schemaVersion', 'takenAt', 'title', 'trigger', 'votes', 'warnings', 'workshopId'],
    )
  })

  test('health is read off every board, so a view that hides any board has none [A22]', () => {
    const everything = { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true }
    expect(customerView(samplePlan(), everything).health).toEqual(samplePlan().health)
    for (const board of Object.keys(everything)) {
      expect(customerView(samplePlan(), { ...everything, [board]: false }).health).toBeUndefined()
    }
  })

  test('a view is not a full record, so it cannot be mistaken for one', () => {
    const view = customerView(samplePlan(), DEFAULT_CUSTOMER_FACING)
    expect(PlanRecordSchema.safeParse(view).success).toBe(false)
  })
})
