/**
 * Restoring a board to a snapshot as a new change ([S19]): the record-level difference between
 * the live document and the snapshot's records, written with `writeRecordChanges` into a copy of
 * the live document; the resulting Yjs update then goes through the room's server-side update
 * path, so it is stored and relayed like any peer's change. The live document is never replaced,
 * so peers keep their history and concurrent edits of other records survive.
 */
import type { JsonObject } from '@tldraw/utils'
import { isEqual } from '@tldraw/utils'
import * as Y from 'yjs'
import { readRecords, readStoredSchema, writeRecordChanges, writeStoredSchema, type RecordChanges } from '../../shared/docLayout.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'

const schema = createKeyplanSchema()

/** What a restore writes. */
export type RestorePlan = {
  /** The Yjs update to apply to the live document; null when nothing differs. */
  update: Uint8Array | null
  put: number
  removed: number
  /** Snapshot records that are not valid records of the current schema; left as they are live. */
  skipped: { id: string; message: string }[]
}

/**
 * Computes the change that turns `live` into the snapshot's board. `live` is only read. The
 * snapshot's records are migrated to the current schema. A live document stored in another
 * schema (older, "newer", or damaged beyond reading) never blocks a restore ([S19], [R6]): the
 * restore then stores the current schema and writes every snapshot record whole in it, so the
 * board reads in the current schema afterwards.
 */
export function planRestore(live: Y.Doc, snapshot: Y.Doc): RestorePlan {
  const liveSchema = readStoredSchema(live)
  const rewriteSchema = liveSchema === null || relateStoredSchema(schema, liveSchema) !== 'same'
  const migrate = recordMigrator(schema, readStoredSchema(snapshot))
  const wanted = new Map<string, JsonObject>()
  const skipped: { id: string; message: string }[] = []
  for (const [id, record] of readRecords(snapshot)) {
    const result = migrate(record)
    if (result.ok) wanted.set(id, result.record as unknown as JsonObject) // a tldraw record is JSON
    else skipped.push({ id, message: result.error.message })
  }
  const current = readRecords(live)
  const skippedIds = new Set(skipped.map((s) => s.id))
  const changes: RecordChanges = { put: [], remove: [] }
  for (const [id, record] of wanted) {
    // Under a replaced schema a live record equal to the snapshot's is still in the old format.
    if (rewriteSchema || !isEqual(current.get(id), record)) changes.put.push(record)
  }
  for (const id of current.keys()) {
    if (!wanted.has(id) && !skippedIds.has(id)) changes.remove.push(id)
  }
  if (changes.put.length === 0 && changes.remove.length === 0 && !rewriteSchema) {
    return { update: null, put: 0, removed: 0, skipped }
  }
  // Written into a copy: should the write throw half-way, the live document has seen nothing.
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(live))
  const written: Uint8Array[] = []
  copy.on('update', (update: Uint8Array) => written.push(update))
  if (rewriteSchema) writeStoredSchema(copy, schema.serialize())
  // Written whole: overrides over a base in another schema's format would mix formats.
  if (rewriteSchema) writeRecordChanges(copy, { put: [], remove: changes.put.map((r) => String(r.id)).filter((id) => current.has(id)) })
  writeRecordChanges(copy, changes)
  copy.destroy()
  const update = written.length === 1 ? (written[0] as Uint8Array) : Y.mergeUpdates(written) // length checked
  return { update, put: changes.put.length, removed: changes.remove.length, skipped }
}
