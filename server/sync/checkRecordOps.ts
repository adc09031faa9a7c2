/**
 * The record pass of the update guard: judges what an update's {@link UpdateOps} do to the board's
 * records and whether `writer` may do it. Called by `Room` after `inspectUpdate` accepted the update,
 * inside the transaction that applies the turn's updates: `doc` holds the turn's earlier accepted
 * updates (read entries with `logEntryAt`, which is current there; `readRecords` reflects the doc as
 * of the turn's start).
 *
 * This body only reports the records the update touches; the schema, field and rights checks
 * (docs/server-rules.md) replace it.
 */
import type * as Y from 'yjs'
import { logEntryAt } from '../../shared/docLayout.ts'
import type { RecordVerdict, UpdateOps, Writer } from './updateOps.ts'

/** Accepts or refuses `ops`; `touched` names every record id the update writes or deletes entries of. */
export function checkRecordOps(doc: Y.Doc, ops: UpdateOps, writer: Writer): RecordVerdict {
  void writer
  const touched = new Set<string>()
  for (const [recordId] of ops.inserts) touched.add(recordId)
  for (const id of ops.deletes) {
    const entry = logEntryAt(doc, id)
    if (entry) touched.add(entry[0])
  }
  return { ok: true, touched }
}
