/**
 * Key-value test data written the way the board layout allows (docs/board-layout.md): each key is
 * a valid tldraw note shape `shape:test-<key>` on the board's page, its value in `meta.value`.
 * Tests of the sync server use these where they once wrote a free-form `Y.Map`, which the update
 * guard now refuses ([S26]).
 *
 * @example
 * setEntry(client.doc, 'card', { x: 8 })
 * await waitFor(() => getEntry(other.doc, 'card') !== undefined)
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type * as Y from 'yjs'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { CREATOR_META_KEY, creatorStamp, type BoardEditor } from '../../shared/recordRights.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { note } from './planBoards.ts'

const PREFIX = 'shape:test-'

/** The record holding `key`'s `value`; `by` stamps its creator ([R5]: a guest must). */
export function entryRecord(key: string, value: JsonValue, by?: BoardEditor): JsonObject {
  const meta: JsonObject = by ? { value, [CREATOR_META_KEY]: creatorStamp(by) } : { value }
  const shape = note(`${PREFIX}${key}`, { x: 0, y: 0, parentId: BOARD_PAGE_ID, meta }, key)
  return shape as unknown as JsonObject // tldraw records are JSON
}

/** Writes `key` = `value` (one transaction), created by `by` when given. */
export function setEntry(doc: Y.Doc, key: string, value: JsonValue, by?: BoardEditor): void {
  writeRecordChanges(doc, { put: [entryRecord(key, value, by)], remove: [] })
}

/** Writes several keys in one transaction. */
export function setEntries(doc: Y.Doc, values: Record<string, JsonValue>): void {
  writeRecordChanges(doc, { put: Object.entries(values).map(([key, value]) => entryRecord(key, value)), remove: [] })
}

/** Deletes `key`. */
export function deleteEntry(doc: Y.Doc, key: string): void {
  writeRecordChanges(doc, { put: [], remove: [`${PREFIX}${key}`] })
}

/** Every key and its value. */
export function entries(doc: Y.Doc | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {}
  if (!doc) return out
  for (const [id, record] of readRecords(doc)) {
    if (!id.startsWith(PREFIX)) continue
    const meta = record.meta
    if (meta && typeof meta === 'object' && !Array.isArray(meta) && meta.value !== undefined) out[id.slice(PREFIX.length)] = meta.value
  }
  return out
}

/** The value of `key`, or undefined. */
export function getEntry(doc: Y.Doc | undefined, key: string): JsonValue | undefined {
  return entries(doc)[key]
}
