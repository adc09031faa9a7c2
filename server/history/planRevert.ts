/**
 * Reverting one change of a board's history as a new change ([H4]): deleted records come back,
 * created records are removed, changed fields go back to their earlier values; a record or field
 * that is no longer as the change left it (changed again since) is left alone and reported as a
 * conflict. Every record written back is validated with the board's tldraw schema. Like a restore
 * ([S19]), the write is made in a copy of the live document and returned as one Yjs update for the
 * room's server-side update path.
 */
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { readRecords, readStoredSchema, writeRecordChanges, type RecordChanges } from '../../shared/docLayout.ts'
import type { BoardChange, RevertConflict } from '../../shared/historyApi.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { changedFields, getField, jsonEqual, withField } from './recordFields.ts'

const schema = createKeyplanSchema()

/** What a revert writes, or why it cannot. */
export type RevertPlan =
  | {
      ok: true
      /** The Yjs update to apply to the live document; null when there is nothing to write. */
      update: Uint8Array | null
      /** Records put back, removed or changed back. */
      reverted: number
      conflicts: RevertConflict[]
    }
  | { ok: false; reason: string }

/** Computes the change that reverts `change` on `live` (only read). */
export function planRevert(live: Y.Doc, change: BoardChange): RevertPlan {
  if (relateStoredSchema(schema, readStoredSchema(live)) !== 'same') {
    return { ok: false, reason: 'the live board is stored in another schema version; open it once, then revert' }
  }
  const migrate = recordMigrator(schema, readStoredSchema(live))
  const current = readRecords(live)
  const changes: RecordChanges = { put: [], remove: [] }
  const conflicts: RevertConflict[] = []
  const putValid = (recordId: string, record: JsonObject) => {
    const result = migrate(record)
    if (result.ok) changes.put.push(result.record as unknown as JsonObject) // a tldraw record is JSON
    else conflicts.push({ recordId, field: null, reason: 'invalid' })
  }
  for (const record of change.records) {
    const id = record.id
    const before = record.before as JsonObject | null // parsed from stored JSON, so JSON all the way down
    const after = record.after as JsonObject | null // as above
    const now = current.get(id)
    if (!before) {
      // Created by the change: removed, unless changed since (or already gone).
      if (!now) continue
      if (after && jsonEqual(now, after)) changes.remove.push(id)
      else conflicts.push({ recordId: id, field: null, reason: 'changed_since' })
    } else if (!after) {
      // Deleted by the change: back, unless a record with its id exists again.
      if (!now) putValid(id, before)
      else if (!jsonEqual(now, before)) conflicts.push({ recordId: id, field: null, reason: 'exists' })
    } else if (!now) {
      conflicts.push({ recordId: id, field: null, reason: 'deleted_since' })
    } else {
      let reverted = now
      for (const field of changedFields(before, after)) {
        const value = getField(now, field)
        if (jsonEqual(value, getField(before, field))) continue
        if (jsonEqual(value, getField(after, field))) reverted = withField(reverted, field, getField(before, field))
        else conflicts.push({ recordId: id, field, reason: 'changed_since' })
      }
      if (reverted !== now) putValid(id, reverted)
    }
  }
  const reverted = changes.put.length + changes.remove.length
  if (reverted === 0) return { ok: true, update: null, reverted, conflicts }
  // Written into a copy: should the write throw half-way, the live document has seen nothing.
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(live))
  const written: Uint8Array[] = []
  copy.on('update', (update: Uint8Array) => written.push(update))
  writeRecordChanges(copy, changes)
  copy.destroy()
  const update = written.length === 1 ? (written[0] as Uint8Array) : Y.mergeUpdates(written) // one transaction, one update
  return { ok: true, update, reverted, conflicts }
}
