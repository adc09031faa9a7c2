import { describe, expect, test } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { customerView } from '../../shared/customerView.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema, diffPlans } from '../../shared/planDiff.ts'
import { action, arrow, arrowBinding, boardStore, note, planInput, stakeholder, swotFrames } from '../helpers/planBoards.ts'

/** A snapshot of three boards built through real stores, as the server would take it. */
function snapshot(id: string, boards: { swot: TLRecord[]; stakeholders: TLRecord[]; actions: TLRecord[] }): PlanRecord {
  const draft = extractPlan(
    planInput({
      swot: boardStore(boards.swot).allRecords(),
      stakeholders: boardStore(boards.stakeholders).allRecords(),
      actions: boardStore(boards.actions).allRecords(),
    }),
  )
  return PlanRecordSchema.parse({ ...draft, id })
}

const cfo = stakeholder('shape:cfo', { x: 400, y: 0 }, { name: 'Lee Chen', attitude: 'neutral' })
const ceo = stakeholder('shape:ceo', { x: 0, y: 0 }, { name: 'Dana Ortiz' })
const line = [arrow('shape:r1', { x: 0, y: 0 }), arrowBinding('shape:r1', 'shape:cfo', 'start'), arrowBinding('shape:r1', 'shape:ceo', 'end')]

const older = snapshot('snap-1', {
  swot: [
    ...swotFrames(),
    note('shape:moved', { x: 1100, y: 100 }, 'Local team'),
    note('shape:gone', { x: 100, y: 900 }, 'Old idea'),
    note('shape:edited', { x: 1100, y: 900 }, 'Competitor'),
  ],
  stakeholders: [ceo, cfo, ...line],
  actions: [action('shape:a1', { x: 0, y: 0 }, { title: 'Send proposal', status: 'open' })],
})

const newer = snapshot('snap-2', {
  swot: [
    ...swotFrames(),
    note('shape:moved', { x: 100, y: 100 }, 'Local team'),
    note('shape:edited', { x: 1100, y: 900 }, 'Competitor discount'),
    note('shape:new', { x: 1100, y: 100 }, 'Slow delivery'),
  ],
  stakeholders: [ceo, { ...cfo, props: { ...cfo.props, attitude: 'supporter' } } as TLRecord, ...line.map((r) => (r.id === 'shape:r1' ? { ...r, meta: { relationship: 'ally' } } : r))],
  actions: [
    action('shape:a1', { x: 0, y: 0 }, { title: 'Send proposal', status: 'done' }),
    action('shape:a2', { x: 0, y: 200 }, { title: 'Book site visit', due: '2026-12-01' }),
  ],
})

describe('diff of two snapshots, matched by id', () => {
  const diff = diffPlans(newer, older)

  test('the result is valid per its schema and names both snapshots', () => {
    expect(PlanDiffSchema.parse(diff)).toEqual(diff)
    expect([diff.newer, diff.older]).toEqual(['snap-2', 'snap-1'])
  })

  test('a note moved to another quadrant reads as a changed quadrant', () => {
    expect(diff.swot?.changed).toContainEqual({
      id: 'shape:moved',
      item: { id: 'shape:moved', text: 'Local team', quadrant: 'strengths' },
      changes: [{ field: 'quadrant', before: 'weaknesses', after: 'strengths' }],
    })
  })

  test('notes added, removed and edited', () => {
    expect(diff.swot?.added).toEqual([{ id: 'shape:new', text: 'Slow delivery', quadrant: 'weaknesses' }])
    expect(diff.swot?.removed).toEqual([{ id: 'shape:gone', text: 'Old idea', quadrant: 'opportunities' }])
    expect(diff.swot?.changed.find((c) => c.id === 'shape:edited')?.changes).toEqual([
      { field: 'text', before: 'Competitor', after: 'Competitor discount' },
    ])
  })

  test('attitude neutral → supporter', () => {
    expect(diff.stakeholders).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          id: 'shape:cfo',
          item: expect.objectContaining({ name: 'Lee Chen', attitude: 'supporter' }),
          changes: [{ field: 'attitude', before: 'neutral', after: 'supporter' }],
        },
      ],
    })
  })

  test('a relationship whose kind changed', () => {
    expect(diff.relationships?.changed).toEqual([
      {
        id: 'shape:r1',
        item: { id: 'shape:r1', from: 'shape:cfo', to: 'shape:ceo', kind: 'ally' },
        changes: [{ field: 'kind', before: 'influences', after: 'ally' }],
      },
    ])
  })

  test('status open → done, and a new action', () => {
    expect(diff.actions?.changed).toEqual([
      {
        id: 'shape:a1',
        item: expect.objectContaining({ status: 'done' }),
        changes: [{ field: 'status', before: 'open', after: 'done' }],
      },
    ])
    expect(diff.actions?.added.map((a) => a.id)).toEqual(['shape:a2'])
  })

  test('an author that appears is a change from null', () => {
    const withAuthor = {
      ...newer,
      swot: { ...newer.swot, strengths: newer.swot.strengths.map((i) => ({ ...i, author: 'Ada' })) },
    }
    expect(diffPlans(withAuthor, newer).swot?.changed).toEqual([
      {
        id: 'shape:moved',
        item: { id: 'shape:moved', text: 'Local team', author: 'Ada', quadrant: 'strengths' },
        changes: [{ field: 'author', before: null, after: 'Ada' }],
      },
    ])
  })

  test('a plan diffed with itself has no changes', () => {
    const same = diffPlans(newer, newer)
    for (const section of [same.swot, same.stakeholders, same.relationships, same.actions]) {
      expect(section).toEqual({ added: [], removed: [], changed: [] })
    }
  })

  test('sections hidden from a customer view are absent from its diff', () => {
    const flags = { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false }
    const guestDiff = diffPlans(customerView(newer, flags), customerView(older, flags))
    // Votes are always compared, but only those on boards the view shows; notes of the boards shown ([P17]).
    expect(Object.keys(guestDiff).sort()).toEqual(['actions', 'newer', 'notes', 'older', 'votes'])
    expect(JSON.stringify(guestDiff.votes)).not.toContain('threats')
    expect(PlanDiffSchema.parse(guestDiff)).toEqual(guestDiff)
  })
})
