/**
 * [S18] The store validates every plan before it stores it. A section that is the very object of
 * a plan it validated earlier (a live board unchanged since the last snapshot) is taken as validated
 * then; every other section is judged by `PlanRecordSchema`, so a bad one is still rejected, and the
 * record and its JSON are those of `PlanRecordSchema.parse`.
 */
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { checkPlanRecord, planRecordUtf8 } from '../../server/store/planRecord.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

describe('[S18] checking a plan record before it is stored', () => {
  test('gives the record and JSON PlanRecordSchema.parse gives, unknown fields left out', () => {
    const plan = { ...samplePlan(), extra: 'not a field' }
    const checked = checkPlanRecord(plan)
    const parsed = PlanRecordSchema.parse(plan)
    expect(checked.plan).toEqual(parsed)
    expect(JSON.parse(checked.json)).toEqual(JSON.parse(JSON.stringify(parsed)))
    expect(JSON.parse(planRecordUtf8(plan).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(parsed)))
    expect(checked.utf8().toString('utf8')).toBe(checked.json)
  })

  test('a new invalid section is rejected with its path from the record root, even beside reused sections', () => {
    const first = samplePlan()
    checkPlanRecord(first)
    const next = { ...first, id: 'snap-next', stakeholders: [{ ...first.stakeholders[0], attitude: 'hostile' }] } as unknown as PlanRecord
    let error: unknown
    try {
      checkPlanRecord(next)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(z.ZodError)
    expect((error as z.ZodError).issues.map((issue) => issue.path.slice(0, 3))).toEqual([['stakeholders', 0, 'attitude']])
    expect(() => PlanRecordSchema.parse(next)).toThrow()
  })

  test('a reused section keeps its validated value; a header field is judged every time', () => {
    const first = samplePlan()
    checkPlanRecord(first)
    expect(checkPlanRecord({ ...first, id: 'snap-next' }).plan).toEqual({ ...PlanRecordSchema.parse(first), id: 'snap-next' })
    expect(() => checkPlanRecord({ ...first, takenAt: 'yesterday' })).toThrow(z.ZodError)
    expect(() => checkPlanRecord({ ...first, swot: undefined })).toThrow(z.ZodError)
    expect(() => checkPlanRecord('not a plan')).toThrow(z.ZodError)
  })

  test('a new item equal to the last item of its id validated takes its value; a changed one is judged again', () => {
    const first = samplePlan()
    checkPlanRecord(first)
    const [stakeholder] = first.stakeholders
    if (!stakeholder) throw new Error('the sample plan has a stakeholder')
    // New objects, as a board read again gives them: the same content is the same record.
    const again = { ...first, id: 'snap-again', stakeholders: first.stakeholders.map((s) => ({ ...s })) }
    expect(checkPlanRecord(again).plan).toEqual(PlanRecordSchema.parse(again))
    const renamed = { ...first, id: 'snap-renamed', stakeholders: [{ ...stakeholder, name: 'Renamed' }, ...first.stakeholders.slice(1)] }
    expect(checkPlanRecord(renamed).plan.stakeholders[0]?.name).toBe('Renamed')
    const broken = { ...first, id: 'snap-broken', stakeholders: [{ ...stakeholder, name: 'Renamed', attitude: 'hostile' }] } as unknown as PlanRecord
    expect(() => checkPlanRecord(broken)).toThrow(z.ZodError)
    const notANumber = { ...first, id: 'snap-nan', actions: first.actions.map((a) => ({ ...a, overdue: Number.NaN })) } as unknown as PlanRecord
    expect(() => checkPlanRecord(notANumber)).toThrow(z.ZodError)
    expect(JSON.parse(checkPlanRecord(renamed).json)).toEqual(JSON.parse(JSON.stringify(PlanRecordSchema.parse(renamed))))
  })
})
