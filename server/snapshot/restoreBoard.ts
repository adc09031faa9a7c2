/**
 * Restoring a board to a snapshot as a new change ([S19]): the record-level difference between
 * the live board and the snapshot's records, both as the team sees them (issue 13: the board's two
 * documents merged), written with `writeBoardRecords`, which routes each part to its document and
 * sends it through the rooms' server-side update path, so it is stored and relayed like any peer's
 * change. The live documents are never replaced, so peers keep their history and concurrent edits
 * of other records survive. An item marked internal since the snapshot keeps its mark.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { JsonObject } from '@tldraw/utils'
import { isEqual } from '@tldraw/utils'
import type * as Y from 'yjs'
import { readRecords, readStoredSchema, type RecordChanges } from '../../shared/docLayout.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'
import { sharedKeyplanSchema } from '../../shared/schema.ts'
import { keepInternalMarks } from '../../shared/sensitivity.ts'

const schema = sharedKeyplanSchema()

/** What a restore writes. */
export type RestorePlan = {
  /** The records to write (merged records); nothing to write when both lists are empty and `schema` is null. */
  changes: RecordChanges
  /** The schema to store, writing every put record whole: the live board is stored in another one. */
  schema: SerializedSchema | null
  put: number
  removed: number
  /** Snapshot records that are not valid records of the current schema; left as they are live. */
  skipped: { id: string; message: string }[]
}

/**
 * Computes the change that turns the live board (its records `current`, stored in
 * `liveSchema`) into the snapshot's board (`snapshot`, its records merged as the team saw them).
 * The snapshot's records are migrated to the current schema. A live board stored in another
 * schema (older, "newer", or damaged beyond reading) never blocks a restore ([S19], [R6]): the
 * restore then stores the current schema and writes every snapshot record whole in it, so the
 * board reads in the current schema afterwards.
 */
export function planRestore(liveSchema: SerializedSchema | null, current: ReadonlyMap<string, JsonObject>, snapshot: Y.Doc): RestorePlan {
  const rewriteSchema = liveSchema === null || relateStoredSchema(schema, liveSchema) !== 'same'
  const migrate = recordMigrator(schema, readStoredSchema(snapshot))
  const migrated = new Map<string, JsonObject>()
  const skipped: { id: string; message: string }[] = []
  for (const [id, record] of readRecords(snapshot)) {
    const result = migrate(record)
    if (result.ok) migrated.set(id, result.record as unknown as JsonObject) // a tldraw record is JSON
    else skipped.push({ id, message: result.error.message })
  }
  // What is internal now stays internal: the restore returns fields, not visibility.
  const wanted = keepInternalMarks(migrated, current)
  const skippedIds = new Set(skipped.map((s) => s.id))
  const changes: RecordChanges = { put: [], remove: [] }
  for (const [id, record] of wanted) {
    // Under a replaced schema a live record equal to the snapshot's is still in the old format.
    if (rewriteSchema || !isEqual(current.get(id), record)) changes.put.push(record)
  }
  for (const id of current.keys()) {
    if (!wanted.has(id) && !skippedIds.has(id)) changes.remove.push(id)
  }
  return { changes, schema: rewriteSchema ? schema.serialize() : null, put: changes.put.length, removed: changes.remove.length, skipped }
}
