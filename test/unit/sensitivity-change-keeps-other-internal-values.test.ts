/**
 * [A35] A field made internal moves its value out of the shared document, and only its value: the
 * card's other internal values, which the internal document already holds, stay as they are. Before
 * the fix the move split the shared record, whose other internal fields sit at their defaults, and
 * wrote those defaults over the stored values (QA pass of 2026-12-06: a whitespace cell lost its
 * probability and notes when its value was made internal; an objective lost its baseline).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { readOverlays, readRecords, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { mergeOverlay, resolveSensitivity, splitRecord } from '../../shared/sensitivity.ts'
import { moveOutBeforeStore, planRebalance } from '../../server/sync/rebalanceParts.ts'
import { stakeholder, whitespaceCell } from '../helpers/planBoards.ts'

/** Applies what the plan moves, as the server's move does (both documents). */
function applyPlan(shared: Y.Doc, internal: Y.Doc, plan: ReturnType<typeof planRebalance>): void {
  writeOverlayChanges(internal, plan.overlays, plan.internalRemoves, plan.overlayRemoves)
  writeRecordChanges(internal, { put: plan.internalPuts, remove: [] })
  writeRecordChanges(shared, { put: plan.sharedPuts, remove: plan.sharedRemoves })
}

/** The record the team sees: the shared one with its overlay. */
function teamView(shared: Y.Doc, internal: Y.Doc, id: string, sensitivity: ReturnType<typeof resolveSensitivity>): JsonObject {
  const record = readRecords(shared).get(id)
  if (!record) throw new Error(`${id} is not in the shared document`)
  return mergeOverlay(record, readOverlays(internal).get(id), sensitivity)
}

test('making a visible field internal moves its value and keeps the values the overlay holds', () => {
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  // Value visible for the workshop; probability and notes internal (the defaults): stored split.
  const before = resolveSensitivity({ 'whitespace.value': 'visible' })
  const cell = whitespaceCell('shape:cell', { x: 0, y: 0 }, { kind: 'opportunity', value: 100_000, probability: 40, notes: 'CFO has budget' }) as unknown as JsonObject // test records are JSON
  const split = splitRecord(cell, before)
  writeRecordChanges(shared, { put: [split.shared], remove: [] })
  writeOverlayChanges(internal, new Map([['shape:cell', split.overlay]]), [])
  expect(teamView(shared, internal, 'shape:cell', before).props).toMatchObject({ value: 100_000, probability: 40, notes: 'CFO has budget' })

  // Value made internal again.
  const after = resolveSensitivity(undefined)
  applyPlan(shared, internal, planRebalance(shared, internal, after))
  expect(teamView(shared, internal, 'shape:cell', after).props).toMatchObject({ value: 100_000, probability: 40, notes: 'CFO has budget' })
  expect((readRecords(shared).get('shape:cell')?.props as JsonObject).value).toBe(null)
  // Nothing left to move.
  const again = planRebalance(shared, internal, after)
  expect([again.sharedPuts, again.internalPuts, [...again.overlays]]).toEqual([[], [], []])
})

test('a field shown and made internal again comes back with every other internal value', () => {
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  const internalAll = resolveSensitivity(undefined)
  const cell = whitespaceCell('shape:cell', { x: 0, y: 0 }, { kind: 'opportunity', value: 250_000, probability: 37, notes: 'SECRETNOTE' }) as unknown as JsonObject // test records are JSON
  const split = splitRecord(cell, internalAll)
  writeRecordChanges(shared, { put: [split.shared], remove: [] })
  writeOverlayChanges(internal, new Map([['shape:cell', split.overlay]]), [])

  const probabilityVisible = resolveSensitivity({ 'whitespace.probability': 'visible' })
  applyPlan(shared, internal, planRebalance(shared, internal, probabilityVisible))
  expect((readRecords(shared).get('shape:cell')?.props as JsonObject).probability).toBe(37)
  applyPlan(shared, internal, planRebalance(shared, internal, internalAll))
  expect(teamView(shared, internal, 'shape:cell', internalAll).props).toMatchObject({ value: 250_000, probability: 37, notes: 'SECRETNOTE' })
  expect(readOverlays(internal).get('shape:cell')?.get('props.probability')).toBe(37)
})

test('a write routed by the old sensitivity onto a card whose overlay lacks a field is moved out before it is stored [S37]', async () => {
  // Review of the fix above: a card with no overlay (a guest made it) got a value of a field made
  // internal from a team page still on the old sensitivity. The move planned again after writing
  // the internal side left out the default fields the first plan wrote, took that for a change in
  // between, and moved nothing: the held write went to guests as it was.
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  const room = (doc: Y.Doc) => ({ doc, whenDurable: async () => {} })
  writeRecordChanges(shared, { put: [stakeholder('shape:guest-made', { x: 0, y: 0 }, { name: 'Gus' }) as unknown as JsonObject], remove: [] }) // test records are JSON
  const now = resolveSensitivity({ 'stakeholder.department': 'internal' })
  writeRecordChanges(shared, { put: [stakeholder('shape:guest-made', { x: 0, y: 0 }, { name: 'Gus', department: 'CANARY-misrouted' }) as unknown as JsonObject], remove: [] }) // test records are JSON
  expect(await moveOutBeforeStore(room(shared), room(internal), now, 'test')).toBe(true)
  expect((readRecords(shared).get('shape:guest-made')?.props as JsonObject).department).toBe('')
  expect(readOverlays(internal).get('shape:guest-made')?.get('props.department')).toBe('CANARY-misrouted')
})
