import { describe, expect, test } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanDraftSchema } from '../../shared/plan.ts'
import { action, arrow, arrowBinding, boardStore, note, planInput, stakeholder, swotFrames } from '../helpers/planBoards.ts'

// A broken or hostile client can write anything into a board's Yjs document. The records below
// are what the real tldraw store refuses to `put`; extraction must report them and go on.

const withProps = (record: TLRecord, props: Record<string, unknown>): unknown => ({
  ...record,
  props: { ...(record as { props: object }).props, ...props }, // a record with props: every shape
})

describe('[P1] invalid records become warnings with their id, never exceptions', () => {
  const goodCard = stakeholder('shape:good', { x: 0, y: 0 }, { name: 'Dana' })
  const badCards: [string, unknown][] = [
    ['unknown attitude', withProps(stakeholder('shape:bad-attitude', { x: 0, y: 300 }), { attitude: 'hostile' })],
    ['missing name', withProps(stakeholder('shape:no-name', { x: 0, y: 600 }), { name: undefined })],
    ['text over the card limit', withProps(stakeholder('shape:long', { x: 0, y: 900 }), { notes: 'x'.repeat(2001) })],
  ]

  test('the real store refuses each of these records', () => {
    const store = boardStore()
    for (const [, record] of badCards) expect(() => store.put([record as TLRecord])).toThrow() // invalid on purpose
  })

  test('invalid stakeholder cards are skipped and reported; valid ones are kept', () => {
    const store = boardStore([goodCard])
    const plan = extractPlan(planInput({ stakeholders: [...store.allRecords(), ...badCards.map(([, r]) => r)] }))
    expect(plan.stakeholders.map((s) => s.id)).toEqual(['shape:good'])
    expect(plan.warnings.map((w) => [w.board, w.shapeId])).toEqual([
      ['stakeholders', 'shape:bad-attitude'],
      ['stakeholders', 'shape:no-name'],
      ['stakeholders', 'shape:long'],
    ])
    for (const warning of plan.warnings) expect(warning.message).toMatch(/^Invalid shape record: /)
    PlanDraftSchema.parse(plan)
  })

  test('an action with a malformed due date, a note without rich text, a binding with a bad terminal', () => {
    const actions = boardStore([action('shape:ok', { x: 0, y: 0 }, { title: 'Send proposal', due: '2026-12-01' })])
    const swot = boardStore([...swotFrames(), note('shape:fine', { x: 100, y: 100 }, 'fine')])
    const plan = extractPlan(
      planInput({
        actions: [...actions.allRecords(), withProps(action('shape:bad-due', { x: 0, y: 200 }), { due: '01/12/2026' })],
        swot: [...swot.allRecords(), withProps(note('shape:no-text', { x: 300, y: 100 }, 'x'), { richText: undefined })],
        stakeholders: [withProps(arrowBinding('shape:arrow', 'shape:card', 'start'), { terminal: 'middle' })],
      }),
    )
    expect(plan.actions.map((a) => a.id)).toEqual(['shape:ok'])
    expect(plan.swot.strengths.map((i) => i.id)).toEqual(['shape:fine'])
    expect(plan.warnings.map((w) => [w.board, w.shapeId])).toEqual([
      ['swot', 'shape:no-text'],
      ['stakeholders', 'binding:arrow-start'],
      ['actions', 'shape:bad-due'],
    ])
    PlanDraftSchema.parse(plan)
  })

  test('garbage that is not a record at all', () => {
    const hugeId = `shape:${'x'.repeat(500)}`
    const garbage: unknown[] = [
      null,
      42,
      'shape:x',
      [],
      {},
      { typeName: 'spaceship', id: 'spaceship:1' },
      { typeName: 'shape', id: 'shape:half' },
      { ...note('shape:any', { x: 0, y: 0 }, 'x'), id: hugeId },
    ]
    const plan = extractPlan(planInput({ swot: garbage, stakeholders: garbage, actions: garbage }))
    expect(plan.warnings).toHaveLength(garbage.length * 3)
    expect(plan.warnings.slice(0, garbage.length).map((w) => w.message)).toEqual([
      'Not a tldraw record',
      'Not a tldraw record',
      'Not a tldraw record',
      'Unknown record type undefined',
      'Unknown record type undefined',
      'Unknown record type spaceship',
      expect.stringMatching(/^Invalid shape record: /),
      'Record id longer than 200 characters',
    ])
    PlanDraftSchema.parse(plan)
  })

  test('[P1] a shape whose parent is missing is not on the board: left out of the plan, with a warning', () => {
    const store = boardStore([...swotFrames()])
    const orphan = { ...note('shape:orphan', { x: 100, y: 100 }, 'lost'), parentId: 'shape:deleted-frame' }
    const plan = extractPlan(planInput({ swot: [...store.allRecords(), orphan] }))
    expect(plan.swot.unsorted).toEqual([])
    expect(plan.warnings).toEqual([
      { board: 'swot', shapeId: 'shape:orphan', label: 'lost', message: 'Not on the board: its parent shape is missing (or its parents loop), so no page shows it; left out of the plan' },
    ])
  })

  test('[P1] parents that loop do not hang extraction, and their shapes are not on the board', () => {
    const a = { ...note('shape:a', { x: 0, y: 0 }, 'a'), parentId: 'shape:b' }
    const b = { ...note('shape:b', { x: 0, y: 0 }, 'b'), parentId: 'shape:a' }
    const plan = extractPlan(planInput({ swot: [...boardStore(swotFrames()).allRecords(), a, b] }))
    expect(plan.swot.unsorted).toEqual([])
    expect(plan.warnings.map((w) => w.shapeId)).toEqual(['shape:a', 'shape:b'])
  })

  test('[P1] a stakeholder card under a parent that does not exist is in no section, nor are its lines (QA q33a)', () => {
    const ghost = { ...stakeholder('shape:ghost', { x: 0, y: 0 }, { name: 'GHOST Greta' }), parentId: 'shape:nowhere' }
    const anna = stakeholder('shape:anna', { x: 400, y: 0 }, { name: 'Anna' })
    const line = arrow('shape:line', { x: 0, y: 0 })
    const records = [...boardStore([anna, line]).allRecords(), ghost, arrowBinding('shape:line', 'shape:anna', 'start'), arrowBinding('shape:line', 'shape:ghost', 'end')]
    const plan = extractPlan(planInput({ stakeholders: records }))
    expect(plan.stakeholders.map((s) => s.name)).toEqual(['Anna'])
    expect(plan.relationships).toEqual([])
    expect(plan.warnings.find((w) => w.shapeId === 'shape:ghost')).toMatchObject({ label: 'GHOST Greta', message: expect.stringMatching(/^Not on the board/) })
  })

  test('[P2] a card on another board is reported, not extracted into a section', () => {
    const swot = boardStore([...swotFrames(), stakeholder('shape:stray', { x: 100, y: 100 }, { name: 'Stray' })])
    const plan = extractPlan(planInput({ swot: swot.allRecords() }))
    expect(plan.stakeholders).toEqual([])
    expect(plan.warnings).toEqual([
      {
        board: 'swot',
        shapeId: 'shape:stray',
        label: 'Stray',
        message: 'A stakeholder card on the SWOT board is not part of the plan; move it to the Stakeholder map board',
      },
    ])
  })

  test('note text longer than the plan allows is cut, with a warning', () => {
    const store = boardStore([...swotFrames(), note('shape:essay', { x: 100, y: 100 }, 'y'.repeat(12_000))])
    const plan = extractPlan(planInput({ swot: store.allRecords() }))
    expect(plan.swot.strengths[0]?.text).toHaveLength(10_000)
    expect(plan.warnings).toEqual([{ board: 'swot', shapeId: 'shape:essay', label: `${'y'.repeat(59)}…`, message: 'Text cut to 10000 characters' }])
    PlanDraftSchema.parse(plan)
  })
})
