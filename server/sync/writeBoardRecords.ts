/**
 * The server's own writes of a board's records, as the team sees them (a revert [H4], a snapshot
 * restore [S19]), routed to the board's two documents the way a team page routes its writes
 * (`shared/boardParts.ts`, [A31], [A35]) and made durable in an order that never loses a value:
 * 1. the internal document's additions (internal items, overlay fields), durable;
 * 2. the shared document, through the room's server update path (stored, then relayed, [S1]);
 * 3. the internal document's removals (items deleted or made visible, overlays of deleted records);
 * then bindings follow their arrows ([A35]). Each step is written into a copy of the document
 * first, so a write that throws half-way leaves the live documents as they were.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { routeRecordChanges } from '../../shared/boardParts.ts'
import { readOverlays, readRecords, rewriteRecordsWhole, writeOverlayChanges, writeRecordChanges, writeStoredSchema, type RecordChanges } from '../../shared/docLayout.ts'
import { isInternalRecord, mergeParts, type Sensitivity } from '../../shared/sensitivity.ts'
import type { Room } from './Room.ts'

export type WriteBoardOptions = {
  /**
   * Stores this schema in the shared document and writes every put record whole: a restore into
   * a board stored in another schema ([S19], [R6]).
   */
  schema?: SerializedSchema
}

/**
 * Writes `changes` (merged records: internal fields and items included) to the board of `room`
 * (the shared document's room) with transaction origin `origin`; resolves once all of it is
 * durable. Call it with no await between reading the records the changes were computed from and
 * this call, so nobody's edit slips in between.
 */
export async function writeBoardRecords(room: Room, changes: RecordChanges, origin: unknown, options: WriteBoardOptions = {}): Promise<void> {
  const internal = room.internal
  if (!internal) {
    const update = updateOf(room.doc, (copy) => writeShared(copy, changes, options.schema))
    if (update) await room.applyServerUpdate(update, origin)
    return
  }
  const routed = routeRecordChanges(room.doc, internal.doc, changes, room.sensitivity, internalItems(internal.doc, room.sensitivity))
  const additions = updateOf(internal.doc, (copy) =>
    copy.transact(() => {
      writeRecordChanges(copy, { put: routed.internalPuts, remove: [] })
      writeOverlayChanges(copy, routed.overlays, [])
    }),
  )
  if (additions) await internal.applyServerUpdate(additions, origin)
  const shared = updateOf(room.doc, (copy) => writeShared(copy, routed.shared, options.schema))
  if (shared) await room.applyServerUpdate(shared, origin)
  const removals = updateOf(internal.doc, (copy) => writeOverlayChanges(copy, routed.clearOverlays, routed.clear))
  if (removals) await internal.applyServerUpdate(removals, origin)
  // A line made visible or internal: its bindings follow it (values that only move are no change).
  await room.rebalance()
}

/** Every record of the board of `room` (the shared document's room) as the team sees it. */
export function readBoardRecords(room: Room): Map<string, JsonObject> {
  const internal = room.internal
  if (!internal) return readRecords(room.doc)
  return mergeParts(readRecords(room.doc), readRecords(internal.doc), readOverlays(internal.doc), room.sensitivity)
}

/** The ids of the internal document's internal items. */
function internalItems(internal: Y.Doc, sensitivity: Sensitivity): Set<string> {
  const ids = new Set<string>()
  for (const [id, record] of readRecords(internal)) if (isInternalRecord(record, sensitivity)) ids.add(id)
  return ids
}

/** Writes the shared document's part, whole and in `schema` when one is given. */
function writeShared(doc: Y.Doc, changes: RecordChanges, schema: SerializedSchema | undefined): void {
  if (!schema) return writeRecordChanges(doc, changes)
  doc.transact(() => {
    writeStoredSchema(doc, schema)
    writeRecordChanges(doc, { put: [], remove: changes.remove })
    // Whole: overrides over a base in another schema's format would mix formats.
    rewriteRecordsWhole(doc, changes.put as JsonObject[])
  })
}

/** What `write` does to a copy of `doc`, as one update; null when it wrote nothing. */
function updateOf(doc: Y.Doc, write: (copy: Y.Doc) => void): Uint8Array | null {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const written: Uint8Array[] = []
  copy.on('update', (update: Uint8Array) => written.push(update))
  try {
    write(copy)
  } finally {
    copy.destroy()
  }
  if (written.length === 0) return null
  return written.length === 1 ? (written[0] as Uint8Array) : Y.mergeUpdates(written) // length checked
}
