/**
 * [A31][A35] A server write into a board's shared document (a restore, a revert) that brings back
 * an old version of an internal item the internal document still holds: the item never stays in
 * the shared document (before the fix the internal copy "stood" and the shared one went to guests).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { INTERNAL_META_KEY, resolveSensitivity } from '../../shared/sensitivity.ts'
import { splitServerUpdate } from '../../server/sync/rebalanceParts.ts'
import { note } from '../helpers/planBoards.ts'

test('an internal item written into the shared document while the internal one holds it is taken out again', () => {
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  const item = (text: string) => note('shape:kept', { x: 0, y: 0, meta: { [INTERNAL_META_KEY]: true } }, text) as unknown as JsonObject // test records are JSON
  writeRecordChanges(internal, { put: [item('now')], remove: [] })
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(shared))
  const updates: Uint8Array[] = []
  scratch.on('update', (update: Uint8Array) => updates.push(update))
  writeRecordChanges(scratch, { put: [item('SECRET-old')], remove: [] })

  const split = splitServerUpdate(shared, internal, Y.mergeUpdates(updates), resolveSensitivity(undefined), 'test')
  Y.applyUpdate(shared, split.update)
  expect(readRecords(shared).has('shape:kept')).toBe(false)
  expect(readRecords(internal).has('shape:kept')).toBe(true)
})
