/**
 * A revert puts a deleted record back only when what it hangs on is there or comes back with it
 * ([H4], `server/history/planRevert.ts`). Records a change deleted together settle as a chain: a
 * frame refused takes the frames and notes inside it along; a parent cycle (which no page makes,
 * but a stored change may hold) brings nothing back; a chain thousands deep settles whole.
 */
import { expect, test } from 'vitest'
import type { BoardChange } from '../../shared/historyApi.ts'
import { sharedKeyplanSchema } from '../../shared/schema.ts'
import { planRevert } from '../../server/history/planRevert.ts'
import { frame, note } from '../helpers/planBoards.ts'

const stored = sharedKeyplanSchema().serialize()
/** A record as a change stores it: its JSON. */
const json = (record: object): BoardChange['records'][number]['before'] => JSON.parse(JSON.stringify(record))

/** A change that deleted `records`. */
function deleted(records: readonly { id: string; type: string }[]): BoardChange {
  return {
    id: 'Y2hhbmdlMQ',
    workshopId: 'w',
    board: 'swot',
    at: '2026-12-06T10:00:00.000Z',
    role: 'team',
    name: 'Tom',
    connId: 'c1',
    kind: 'edit',
    revertOf: null,
    customerFacing: false,
    records: records.map((record) => ({ id: record.id, typeName: 'shape', type: record.type, before: json(record), after: null })),
  }
}

test('a parent cycle in a stored change brings neither record back', () => {
  const a = frame('shape:a', { x: 0, y: 0, parentId: 'shape:b' }, 100, 100, 'A')
  const b = frame('shape:b', { x: 0, y: 0, parentId: 'shape:a' }, 100, 100, 'B')
  const plan = planRevert(stored, new Map(), deleted([a, b]))
  expect(plan).toMatchObject({ ok: true, reverted: 0 })
  expect(plan.ok && plan.conflicts.map((c) => [c.recordId, c.reason]).sort()).toEqual([['shape:a', 'parent_gone'], ['shape:b', 'parent_gone']])
})

test('a chain of 5,000 nested frames deleted at once comes back whole, and not at all when its top hangs on a frame gone', () => {
  // (Walked without recursion in planRevert; this depth is about what a stack holds, not beyond it.)
  const chain = Array.from({ length: 5000 }, (_, i) => frame(`shape:f${i}`, { x: 1, y: 1, ...(i > 0 ? { parentId: `shape:f${i - 1}` } : {}) }, 100, 100, `F${i}`))
  const leaf = note('shape:leaf', { x: 1, y: 1, parentId: 'shape:f4999' }, 'Deep')
  // The leaf listed first: its parents are settled walking up from it.
  const whole = planRevert(stored, new Map(), deleted([leaf, ...chain]))
  expect(whole).toMatchObject({ ok: true, reverted: 5001, conflicts: [] })
  const hanging = [{ ...chain[0]!, parentId: 'shape:gone' }, ...chain.slice(1)]
  const none = planRevert(stored, new Map(), deleted([leaf, ...hanging]))
  expect(none).toMatchObject({ ok: true, reverted: 0 })
  expect(none.ok && none.conflicts.length).toBe(5001)
})

test('reverting "marked internal" leaves the item internal and says so (QA q28b: the text written since reached the guest)', () => {
  const visible = note('shape:n', { x: 1, y: 1 }, 'Omega budget')
  const marked = { ...visible, meta: { ...visible.meta, keyplanInternal: true } }
  const rewritten = note('shape:n', { x: 1, y: 1 }, 'Omega budget ceiling 2M') // the team wrote into it since
  const now = { ...rewritten, meta: { ...rewritten.meta, keyplanInternal: true } }
  const change: BoardChange = { ...deleted([]), records: [{ id: 'shape:n', typeName: 'shape', type: 'note', before: json(visible), after: json(marked) }] }
  const plan = planRevert(stored, new Map([['shape:n', json(now) as never]]), change)
  expect(plan).toMatchObject({ ok: true, reverted: 0, conflicts: [{ recordId: 'shape:n', field: 'meta.keyplanInternal', reason: 'stays_internal' }] })
  // Made visible by a change, it is marked internal again by its revert as before.
  const unmark: BoardChange = { ...change, records: [{ id: 'shape:n', typeName: 'shape', type: 'note', before: json(marked), after: json(visible) }] }
  const back = planRevert(stored, new Map([['shape:n', json(visible) as never]]), unmark)
  expect(back.ok && back.changes.put.map((record) => (record.meta as Record<string, unknown>).keyplanInternal)).toEqual([true])
})

test('reverting "marked the frame internal" leaves what is inside it internal too (review: the notes went to the guest)', () => {
  const team = frame('shape:f', { x: 0, y: 0 }, 800, 800, 'Team only')
  const pricing = note('shape:inside', { x: 10, y: 10, parentId: 'shape:f' }, 'Pricing')
  const teamMarked = { ...team, meta: { ...team.meta, keyplanInternal: true } }
  const pricingMarked = { ...pricing, meta: { ...pricing.meta, keyplanInternal: true, keyplanInternalFromParent: true } }
  const change: BoardChange = {
    ...deleted([]),
    records: [
      { id: 'shape:f', typeName: 'shape', type: 'frame', before: json(team), after: json(teamMarked) },
      { id: 'shape:inside', typeName: 'shape', type: 'note', before: json(pricing), after: json(pricingMarked) },
    ],
  }
  const now = new Map([
    ['shape:f', json(teamMarked) as never],
    ['shape:inside', json(pricingMarked) as never],
  ])
  const plan = planRevert(stored, now, change)
  expect(plan).toMatchObject({ ok: true, reverted: 0 })
  expect(plan.ok && plan.conflicts.map((c) => [c.recordId, c.reason]).sort()).toEqual([
    ['shape:f', 'stays_internal'],
    ['shape:inside', 'stays_internal'],
  ])
  // A note the change deleted, put back into the internal frame, comes back internal.
  const gone = note('shape:gone', { x: 300, y: 10, parentId: 'shape:f' }, 'Walk-away price')
  const back = planRevert(stored, now, deleted([gone]))
  expect(back.ok && back.changes.put.map((record) => record.meta)).toEqual([{ keyplanInternal: true, keyplanInternalFromParent: true }])
})

test('reverting a move into an internal frame takes the note back out, still internal (QA q28d: the guest read what was written in it since)', () => {
  const teamOnly = { ...frame('shape:f', { x: 1000, y: 0 }, 800, 800, 'Team only'), meta: { keyplanInternal: true } }
  const outside = note('shape:idea', { x: 10, y: 10 }, 'Idea')
  const movedIn = { ...outside, parentId: 'shape:f', x: 50, y: 50, meta: { ...outside.meta, keyplanInternal: true, keyplanInternalFromParent: true } }
  const written = note('shape:idea', { x: 50, y: 50, parentId: 'shape:f' }, 'Idea SECRET margin floor 12%')
  const now = { ...written, meta: movedIn.meta }
  const change: BoardChange = { ...deleted([]), records: [{ id: 'shape:idea', typeName: 'shape', type: 'note', before: json(outside), after: json(movedIn) }] }
  const plan = planRevert(stored, new Map([['shape:f', json(teamOnly) as never], ['shape:idea', json(now) as never]]), change)
  if (!plan.ok) throw new Error(plan.reason)
  const [back] = plan.changes.put
  expect(back).toMatchObject({ parentId: 'page:page', x: 10, meta: { keyplanInternal: true } })
  expect((back?.meta as Record<string, unknown>).keyplanInternalFromParent).toBeUndefined()
  expect(plan.conflicts).toEqual([{ recordId: 'shape:idea', field: 'meta.keyplanInternal', reason: 'stays_internal' }])
})
