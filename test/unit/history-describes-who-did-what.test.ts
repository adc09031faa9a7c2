/**
 * The History panel's sentences ("Tom Weber deleted 12 notes · 2 min ago"): counts per kind of
 * shape, added / deleted / changed, restores and reverts named as such, and relative times.
 */
import { expect, test } from 'vitest'
import { authorOf, describeChange, isInternalChange, revertSummary, timeAgo } from '../../client/history/describeChange.ts'
import type { BoardChange, ChangedRecord } from '../../shared/historyApi.ts'

function record(id: string, type: string, before: boolean, after: boolean, typeName = 'shape'): ChangedRecord {
  const value = { id, typeName, type }
  return { id, typeName, type, before: before ? value : null, after: after ? value : null }
}

function change(records: ChangedRecord[], overrides: Partial<BoardChange> = {}): BoardChange {
  return {
    id: 'change12345',
    workshopId: 'workshop1234',
    board: 'swot',
    at: '2026-12-03T10:00:00.000Z',
    role: 'team',
    name: 'Tom Weber',
    connId: 'conn1234',
    kind: 'edit',
    revertOf: null,
    customerFacing: false,
    records,
    ...overrides,
  }
}

test('a wipe of twelve notes and their arrow bindings reads "deleted 12 notes"', () => {
  const records = [
    ...Array.from({ length: 12 }, (_, i) => record(`shape:n${i}`, 'note', true, false)),
    record('binding:b1', 'arrow', true, false, 'binding'),
  ]
  expect(`${authorOf(change(records))} ${describeChange(change(records))}`).toBe('Tom Weber deleted 12 notes')
})

test('mixed changes list added, deleted and changed, with kinds of shapes', () => {
  const records = [record('shape:a', 'note', false, true), record('shape:b', 'arrow', false, true), record('shape:c', 'action', true, true), record('shape:d', 'action', true, true)]
  expect(describeChange(change(records))).toBe('added 1 note and 1 arrow, changed 2 action cards')
})

test('cards of the objectives and whitespace boards are named by kind, not "items" (issue 15)', () => {
  const records = [record('shape:o', 'objective', true, true), record('shape:w1', 'whitespace', false, true), record('shape:w2', 'whitespace', false, true), record('shape:k', 'competitor', false, true)]
  expect(describeChange(change(records, { board: 'whitespace' }))).toBe('added 2 whitespace cells and 1 competitor card, changed 1 objective card')
})

test('restores and reverts say so; an unnamed writer is named by role', () => {
  expect(describeChange(change([record('shape:a', 'note', true, false)], { kind: 'restore', role: 'server', name: 'Keyplan' }))).toBe('restored a snapshot (deleted 1 note)')
  expect(describeChange(change([record('shape:a', 'note', false, true)], { kind: 'revert', role: 'server', name: 'Keyplan' }))).toBe('reverted a change (added 1 note)')
  expect(authorOf(change([], { name: null, role: 'guest' }))).toBe('A guest')
  expect(describeChange(change([record('document:document', 'x', true, true, 'document')]))).toBe('changed the board')
})

test('times read as just now, minutes and hours ago', () => {
  const at = '2026-12-03T10:00:00.000Z'
  const base = Date.parse(at)
  expect(timeAgo(at, base + 30_000)).toBe('just now')
  expect(timeAgo(at, base + 2 * 60_000)).toBe('2 min ago')
  expect(timeAgo(at, base + 3 * 3_600_000)).toBe('3 h ago')
})

test('one card\'s field edit reads "set Attitude on \'Ana Silva\'", and internal changes are marked (issue 13)', () => {
  const before = { id: 'shape:ana', typeName: 'shape', type: 'stakeholder', props: { name: 'Ana Silva', attitude: 'neutral', notes: '' } }
  const after = { ...before, props: { ...before.props, attitude: 'blocker', notes: 'our read' } }
  const edit: ChangedRecord = { id: 'shape:ana', typeName: 'shape', type: 'stakeholder', before, after, internal: { item: false, fields: ['props.attitude', 'props.notes'] } }
  expect(`${authorOf(change([edit]))} ${describeChange(change([edit]))}`).toBe("Tom Weber set Attitude and Notes on 'Ana Silva'")
  expect(isInternalChange(change([edit]))).toBe(true)
  const renamed = { ...edit, after: { ...after, props: { ...after.props, name: 'Ana S.' } } }
  expect(isInternalChange(change([renamed]))).toBe(false)
  const item = { ...record('shape:secret', 'note', true, false), internal: { item: true, fields: [] } }
  expect(isInternalChange(change([item]))).toBe(true)
  expect(isInternalChange(change([record('shape:n', 'note', true, false)]))).toBe(false)
})

/** A note with `text` (tldraw rich text) at `x`, in `parentId`. */
function noteRecord(text: string, x = 0, parentId = 'shape:strengths') {
  return { id: 'shape:n', typeName: 'shape', type: 'note', x, y: 0, parentId, props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } } }
}

test('a few notes are named by their text; a note moved between quadrants reads "moved" (QA pass q26a)', () => {
  // The SWOT history was twenty lines of "changed 1 note": the facilitator reverted blind.
  const legal = noteRecord('Legal review slow')
  expect(describeChange(change([{ id: 'shape:n', typeName: 'shape', type: 'note', before: null, after: legal }]))).toBe("added 1 note 'Legal review slow'")
  expect(describeChange(change([{ id: 'shape:n', typeName: 'shape', type: 'note', before: legal, after: null }]))).toBe("deleted 1 note 'Legal review slow'")
  const moved = { ...legal, x: 400, parentId: 'shape:weaknesses' }
  expect(describeChange(change([{ id: 'shape:n', typeName: 'shape', type: 'note', before: legal, after: moved }]))).toBe("moved 1 note 'Legal review slow'")
  const edited = noteRecord('Legal review slow: 6 weeks')
  expect(describeChange(change([{ id: 'shape:n', typeName: 'shape', type: 'note', before: legal, after: edited }]))).toBe("changed 1 note 'Legal review slow: 6 weeks'")
  // Long texts are cut; more than three shapes, or one without text, are only counted.
  const long = noteRecord('x'.repeat(100))
  expect(describeChange(change([{ id: 'shape:n', typeName: 'shape', type: 'note', before: null, after: long }]))).toBe(`added 1 note '${'x'.repeat(59)}…'`)
  const four = Array.from({ length: 4 }, (_, i) => ({ id: `shape:n${i}`, typeName: 'shape', type: 'note', before: null, after: noteRecord(`N${i}`) }))
  expect(describeChange(change(four))).toBe('added 4 notes')
  expect(describeChange(change([four[0]!, { ...record('shape:blank', 'note', false, true) }]))).toBe('added 2 notes')
})

test('a revert summary counts items, not fields, and says when a frame deleted since kept an item out (QA pass q26a)', () => {
  const result = (conflicts: { recordId: string; field: string | null; reason: 'changed_since' | 'parent_gone' }[], reverted = 1) => revertSummary({ change: null, reverted, conflicts })
  expect(result([{ recordId: 'shape:a', field: 'x', reason: 'changed_since' }, { recordId: 'shape:a', field: 'props.color', reason: 'changed_since' }])).toBe('Reverted 1 item. 1 item was changed again since and left as it is.')
  expect(result([{ recordId: 'shape:a', field: null, reason: 'parent_gone' }], 0)).toBe('Nothing to revert. 1 item was not put back: the frame or cards it belongs to were deleted since. Revert that delete first.')
  expect(result([])).toBe('Reverted 1 item.')
})

test('a revert counts the items it put back, not the ends of their lines (bindings)', () => {
  const records = [record('shape:card1', 'stakeholder', true, false), record('shape:card2', 'stakeholder', true, false), record('shape:line', 'arrow', true, false), record('binding:start', 'arrow', true, false, 'binding'), record('binding:end', 'arrow', true, false, 'binding')]
  expect(revertSummary({ change: change(records, { kind: 'revert' }), reverted: 5, conflicts: [] })).toBe('Reverted 3 items.')
})

test('marking an item internal reads "marked … internal", not "changed" (QA q28b); the way back "made … visible"', () => {
  const card = (internal: boolean) => ({ id: 'shape:a', typeName: 'shape', type: 'action', props: { title: 'Renewal pricing' }, meta: { keyplanCreator: { role: 'team', userId: 'u' }, keyplanInternal: internal } })
  const marking = { id: 'shape:a', typeName: 'shape', type: 'action', before: card(false), after: card(true) }
  expect(describeChange(change([marking]))).toBe("marked 1 action card 'Renewal pricing' internal")
  expect(describeChange(change([{ ...marking, before: card(true), after: card(false) }]))).toBe("made 1 action card 'Renewal pricing' visible")
  // A change of anything else beside the mark is a change.
  const retitled = { ...card(true), props: { title: 'Walk away below 15%' } }
  expect(describeChange(change([{ ...marking, after: retitled }]))).toBe("changed 1 action card 'Walk away below 15%'")
})

test('a revert that kept an item internal says so', () => {
  const result = { change: null, reverted: 0, conflicts: [{ recordId: 'shape:a', field: 'meta.keyplanInternal', reason: 'stays_internal' as const }] }
  expect(revertSummary(result)).toBe('Nothing to revert. 1 item stays internal: a revert never shows the customer what the team made internal.')
})

test('a whitespace cell is named by its business unit × offering (QA q28b: its lines named nothing)', () => {
  const cell = (notes: string) => ({ id: 'shape:w', typeName: 'shape', type: 'whitespace', props: { row: 'Logistics', column: 'Cloud ERP', kind: 'opportunity', notes } })
  const edit = { id: 'shape:w', typeName: 'shape', type: 'whitespace', before: cell(''), after: cell('Renewal 2028') }
  expect(describeChange(change([edit], { board: 'whitespace' }))).toBe("set Notes on 'Logistics × Cloud ERP'")
})

test("an action dragged to another column reads \"set Status on 'X' and moved it\" (QA q28b: 'changed 1 action card')", () => {
  const card = (status: string, parentId: string, y: number) => ({ id: 'shape:a', typeName: 'shape', type: 'action', parentId, x: 30, y, props: { title: 'Send proposal', status } })
  const drag = { id: 'shape:a', typeName: 'shape', type: 'action', before: card('open', 'shape:actions-open', 16), after: card('done', 'shape:actions-done', 152) }
  expect(describeChange(change([drag], { board: 'actions' }))).toBe("set Status on 'Send proposal' and moved it")
})

test("a delete kept for the team is told apart from a copy made visible again (its mark null): the second delete reads as one too (review)", () => {
  const card = (kept: unknown) => ({ id: 'shape:k', typeName: 'shape', type: 'stakeholder', props: { name: 'Jan Own' }, meta: kept === undefined ? {} : { keyplanKeptFromGuest: kept } })
  const again = { id: 'shape:k', typeName: 'shape', type: 'stakeholder', before: card(null), after: card({ by: 'user:carla', at: 1 }) }
  expect(describeChange(change([again]))).toContain("deleted 1 stakeholder card 'Jan Own' (kept for the team")
})
