/**
 * A test-only decoder of what a Yjs update does to a board's record log, in the terms of
 * `server/sync/updateOps.ts`: it applies the update to a copy of the doc and compares the logs by
 * Yjs id. (The server's structural pass decodes without applying; this is the reference answer.)
 *
 * @example
 * const ops = updateOpsOf(room, Y.encodeStateAsUpdate(client, Y.encodeStateVector(room)))
 */
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import type { EntryId, UpdateOps } from '../../server/sync/updateOps.ts'

/** Live entries of a doc's log: `client:clock` → entry, in document order. */
function liveEntries(doc: Y.Doc): Map<string, { id: EntryId; entry: LogEntry }> {
  const out = new Map<string, { id: EntryId; entry: LogEntry }>()
  const log = doc.getArray<LogEntry>(DOC_KEYS.records)
  for (let item = log._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const content = item.content.getContent() as LogEntry[] // the log holds entries only
    content.forEach((entry, i) => {
      const id = { client: item.id.client, clock: item.id.clock + i }
      out.set(`${id.client}:${id.clock}`, { id, entry })
    })
  }
  return out
}

/** The ops `update` performs on `doc` (which is not changed). */
export function updateOpsOf(doc: Y.Doc, update: Uint8Array): UpdateOps {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = liveEntries(copy)
  const schemaItem = () => copy.getMap(DOC_KEYS.meta)._map.get('schema')
  const schemaBefore = schemaItem()
  Y.applyUpdate(copy, update)
  const after = liveEntries(copy)
  const added = [...after].filter(([key]) => !before.has(key))
  const ops: UpdateOps = {
    inserts: added.map(([, { entry }]) => entry),
    insertIds: added.map(([, { id }]) => id),
    deletes: [...before].filter(([key]) => !after.has(key)).map(([, { id }]) => id),
  }
  const schemaAfter = schemaItem()
  if (schemaAfter && schemaAfter !== schemaBefore && !schemaAfter.deleted) {
    ops.schema = { value: copy.getMap(DOC_KEYS.meta).get('schema') }
  }
  copy.destroy()
  return ops
}

/** The ops of what `change` does to a fresh copy of `doc` (made with the copy's own client id). */
export function opsOfChange(doc: Y.Doc, change: (copy: Y.Doc) => void): UpdateOps {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
  const vector = Y.encodeStateVector(client)
  change(client)
  const update = Y.encodeStateAsUpdate(client, vector)
  client.destroy()
  return updateOpsOf(doc, update)
}
