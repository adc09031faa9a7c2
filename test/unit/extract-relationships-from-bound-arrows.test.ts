import { describe, expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanDraftSchema } from '../../shared/plan.ts'
import { arrow, arrowBinding, boardStore, note, planInput, stakeholder } from '../helpers/planBoards.ts'
import type { TLRecord } from '@tldraw/tlschema'

function extractStakeholderBoard(records: TLRecord[]) {
  const store = boardStore(records)
  const plan = extractPlan(planInput({ stakeholders: store.allRecords() }))
  PlanDraftSchema.parse(plan)
  return plan
}

const cards = [
  stakeholder('shape:ceo', { x: 0, y: 0 }, { name: 'Dana Ortiz', jobTitle: 'CEO', attitude: 'supporter', influence: 'high' }),
  stakeholder('shape:cfo', { x: 400, y: 0 }, { name: 'Lee Chen', jobTitle: 'CFO', buyingRole: 'economic_buyer' }),
  stakeholder('shape:it', { x: 0, y: 400 }, { name: 'Sam Patel', jobTitle: 'Head of IT', attitude: 'skeptic' }),
]

describe('[P7] stakeholders come from stakeholder cards', () => {
  test('every field of the card, in reading order', () => {
    const plan = extractStakeholderBoard([...cards].reverse())
    expect(plan.stakeholders.map((s) => s.id)).toEqual(['shape:ceo', 'shape:cfo', 'shape:it'])
    expect(plan.stakeholders[1]).toEqual({
      id: 'shape:cfo',
      name: 'Lee Chen',
      jobTitle: 'CFO',
      department: '',
      buyingRole: 'economic_buyer',
      // A new card's: not assessed (QA q36b: it read Medium and Neutral).
      influence: null,
      attitude: null,
      owner: '',
      notes: '',
    })
  })
})

describe('[P8] a relationship is an arrow bound at both ends to stakeholder cards', () => {
  test('bound at both ends: from the start card to the end card, kind from meta', () => {
    const plan = extractStakeholderBoard([
      ...cards,
      arrow('shape:a1', { x: 100, y: 100, meta: { relationship: 'reports_to' } }),
      arrowBinding('shape:a1', 'shape:cfo', 'start'),
      arrowBinding('shape:a1', 'shape:ceo', 'end'),
    ])
    expect(plan.relationships).toEqual([{ id: 'shape:a1', from: 'shape:cfo', to: 'shape:ceo', kind: 'reports_to' }])
    expect(plan.warnings).toEqual([])
  })

  test('no kind (absent or cleared to null) reads as influences', () => {
    const plan = extractStakeholderBoard([
      ...cards,
      arrow('shape:a1', { x: 100, y: 100 }),
      arrowBinding('shape:a1', 'shape:it', 'start'),
      arrowBinding('shape:a1', 'shape:cfo', 'end'),
      arrow('shape:a2', { x: 100, y: 100, meta: { relationship: null } }),
      arrowBinding('shape:a2', 'shape:ceo', 'start'),
      arrowBinding('shape:a2', 'shape:it', 'end'),
    ])
    // Ordered by the reading order of their stakeholders: the CEO's line first.
    expect(plan.relationships).toEqual([
      { id: 'shape:a2', from: 'shape:ceo', to: 'shape:it', kind: 'influences' },
      { id: 'shape:a1', from: 'shape:it', to: 'shape:cfo', kind: 'influences' },
    ])
    expect(plan.warnings).toEqual([])
  })

  test('an unknown kind is a warning and reads as influences', () => {
    const plan = extractStakeholderBoard([
      ...cards,
      arrow('shape:a1', { x: 100, y: 100, meta: { relationship: 'frenemy' } }),
      arrowBinding('shape:a1', 'shape:ceo', 'start'),
      arrowBinding('shape:a1', 'shape:cfo', 'end'),
    ])
    expect(plan.relationships).toEqual([{ id: 'shape:a1', from: 'shape:ceo', to: 'shape:cfo', kind: 'influences' }])
    expect(plan.warnings).toEqual([
      { board: 'stakeholders', shapeId: 'shape:a1', message: 'Unknown relationship kind "frenemy"; read as influences' },
    ])
  })

  test('from a card back to itself: not a relationship, and a warning (QA q27a)', () => {
    const plan = extractStakeholderBoard([...cards, arrow('shape:loop', { x: 100, y: 100 }), arrowBinding('shape:loop', 'shape:cfo', 'start'), arrowBinding('shape:loop', 'shape:cfo', 'end')])
    expect(plan.relationships).toEqual([])
    expect(plan.warnings).toEqual([
      { board: 'stakeholders', shapeId: 'shape:loop', message: 'Arrow starts and ends on the same stakeholder card; not read as a relationship' },
    ])
  })

  test('bound at one end only: not a relationship, and a warning', () => {
    const plan = extractStakeholderBoard([...cards, arrow('shape:half', { x: 100, y: 100 }), arrowBinding('shape:half', 'shape:ceo', 'start')])
    expect(plan.relationships).toEqual([])
    expect(plan.warnings).toEqual([
      {
        board: 'stakeholders',
        shapeId: 'shape:half',
        message: 'Arrow is not attached to stakeholder cards at both ends; not read as a relationship',
      },
    ])
  })

  test('bound to something that is not a stakeholder card: not a relationship, and a warning', () => {
    const plan = extractStakeholderBoard([
      ...cards,
      note('shape:sticky', { x: 800, y: 800 }, 'budget?'),
      arrow('shape:to-note', { x: 100, y: 100 }),
      arrowBinding('shape:to-note', 'shape:ceo', 'start'),
      arrowBinding('shape:to-note', 'shape:sticky', 'end'),
    ])
    expect(plan.relationships).toEqual([])
    expect(plan.warnings.map((w) => w.shapeId)).toEqual(['shape:to-note'])
  })

  test('an unbound arrow is a drawing, silently ignored; with a kind set it is a warning', () => {
    const plan = extractStakeholderBoard([
      ...cards,
      arrow('shape:doodle', { x: 100, y: 100 }),
      arrow('shape:meant', { x: 100, y: 300, meta: { relationship: 'conflict' } }),
    ])
    expect(plan.relationships).toEqual([])
    expect(plan.warnings.map((w) => w.shapeId)).toEqual(['shape:meant'])
  })
})
