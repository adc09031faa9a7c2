import { describe, expect, test } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { extractPlan, type ValidatedRecords } from '../../shared/extractPlan.ts'
import { PlanDraftSchema } from '../../shared/plan.ts'
import { action, arrow, note, planInput, stakeholder, swotFrames } from '../helpers/planBoards.ts'

// A live board is extracted again and again (every snapshot, the live health panel) while most of
// its records stay as they were; the records an earlier extraction validated let the next one
// validate only what changed. The plan must not depend on it, and a record that became invalid
// since must still be caught ([P1]).

/** `record` as a reader composes it anew: a new object, new props, the same nested values. */
const recomposed = (record: TLRecord, props: Record<string, unknown> = {}): unknown => ({
  ...record,
  props: { ...(record as { props: object }).props, ...props }, // every record here is a shape
})

const boards = () => ({
  swot: [...swotFrames(), note('shape:n1', { x: 100, y: 100 }, 'Strong brand'), note('shape:n2', { x: 1100, y: 100 }, 'Slow delivery')],
  stakeholders: [stakeholder('shape:s1', { x: 0, y: 0 }, { name: 'Dana' }), stakeholder('shape:s2', { x: 400, y: 0 }, { name: 'Eli' })],
  actions: [action('shape:a1', { x: 0, y: 0 }, { title: 'Send proposal', due: '2026-12-01' })],
})

describe('[P1] extraction with the records an earlier extraction validated', () => {
  test('gives the same plan as without them, the first time and the next', () => {
    const validated = { swot: new Map(), stakeholders: new Map(), actions: new Map() } satisfies Record<string, ValidatedRecords>
    const plain = extractPlan(planInput(boards()))
    const first = extractPlan({ ...planInput(boards()), validated })
    const again = extractPlan({ ...planInput({ swot: boards().swot.map((r) => recomposed(r)), stakeholders: boards().stakeholders.map((r) => recomposed(r)), actions: boards().actions }), validated })
    expect(first).toEqual(plain)
    expect(again).toEqual(plain)
    expect([...validated.stakeholders.keys()]).toEqual(['shape:s1', 'shape:s2'])
  })

  test('a record that became invalid since is still left out with a warning', () => {
    const validated = { stakeholders: new Map() } satisfies Record<string, ValidatedRecords>
    const [dana, eli] = boards().stakeholders as [TLRecord, TLRecord]
    extractPlan({ ...planInput({ stakeholders: [dana, eli] }), validated })
    const plan = extractPlan({
      ...planInput({ stakeholders: [recomposed(dana, { attitude: 'hostile' }), recomposed(eli, { surprise: true })] }),
      validated,
    })
    expect(plan.stakeholders).toEqual([])
    expect(plan.warnings.map((w) => [w.shapeId, w.message.startsWith('Invalid shape record: ')])).toEqual([
      ['shape:s1', true],
      ['shape:s2', true],
    ])
    // Invalid records are not kept as valid: the next extraction judges them whole again.
    expect([...validated.stakeholders.keys()]).toEqual([])
    PlanDraftSchema.parse(plan)
  })

  test('a changed field is read from the new record; a deleted record leaves the cache', () => {
    const validated = { stakeholders: new Map() } satisfies Record<string, ValidatedRecords>
    const [dana, eli] = boards().stakeholders as [TLRecord, TLRecord]
    extractPlan({ ...planInput({ stakeholders: [dana, eli] }), validated })
    const plan = extractPlan({ ...planInput({ stakeholders: [recomposed(dana, { name: 'Dana Scully', attitude: 'champion' })] }), validated })
    expect(plan.stakeholders.map((s) => [s.id, s.name, s.attitude])).toEqual([['shape:s1', 'Dana Scully', 'champion']])
    expect([...validated.stakeholders.keys()]).toEqual(['shape:s1'])
  })
})

describe('[P1] the same records passed again with the same cache', () => {
  test('give the same plan, warnings included, each time', () => {
    const validated = { swot: new Map(), stakeholders: new Map(), actions: new Map() } satisfies Record<string, ValidatedRecords>
    // A note whose parent is missing (a warning from reading the board) and an arrow attached to
    // nothing (one from extracting it): each plan carries each once.
    const input = planInput({
      ...boards(),
      swot: [...boards().swot, note('shape:lost', { x: 0, y: 0, parentId: 'shape:gone' }, 'Lost note')],
      stakeholders: [...boards().stakeholders, arrow('shape:r1', { x: 0, y: 0, meta: { relationship: 'influences' } })],
    })
    const plain = extractPlan(input)
    expect(plain.warnings.map((w) => w.shapeId)).toEqual(expect.arrayContaining(['shape:lost', 'shape:r1']))
    const first = extractPlan({ ...input, validated })
    const again = extractPlan({ ...input, validated })
    const third = extractPlan({ ...input, validated })
    expect(first).toEqual(plain)
    expect(again).toEqual(plain)
    expect(third).toEqual(plain)
  })
})
