import type { TLRecord, TLStore } from '@tldraw/tlschema'
import { isEqual, type JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import {
  observeRecords,
  readRecords,
  readStoredSchema,
  writeRecordChanges,
  writeStoredSchema,
  type RecordChanges,
} from '../../shared/docLayout.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'

/** Remote changes of at least this many records are timed (User Timing `keyplan:apply-remote`). */
const TIMED_BATCH = 100

/** Options of {@link bindStoreToYDoc}. */
export interface BindStoreOptions {
  /**
   * Called for each record of the document that cannot be loaded: invalid, of an unknown or
   * non-document type, or written by a newer Keyplan. The record is skipped; everything else
   * keeps syncing.
   */
  onInvalidRecord?: (id: string, error: Error) => void
}

/**
 * Keeps a tldraw store and a board's Y.Doc in sync (layout: `shared/docLayout.ts`).
 *
 * - On bind, loads the document's records into the store, migrated from the schema stored in
 *   the document. If that schema is older than ours, the document is upgraded: migrated records
 *   and our schema are written back in one transaction.
 * - Each local store change (source `user`, scope `document`: never instance, camera, pointer or
 *   presence) becomes one Yjs transaction, writing only the fields that changed. The first write
 *   into a document without a stored schema stores ours with it.
 * - Remote changes go into the store through `mergeRemoteChanges`, record by record validated
 *   first: an invalid record is reported through `onInvalidRecord` and skipped, the others apply.
 * - Nothing echoes: the binding ignores its own transactions, and the store does not report
 *   remote merges to `user` listeners.
 *
 * Bind a new, empty store. Returns a function that unbinds.
 * @example
 * const store = createBoardStore()
 * const unbind = bindStoreToYDoc(store, doc, { onInvalidRecord: (id, e) => console.warn(id, e) })
 */
export function bindStoreToYDoc(store: TLStore, doc: Y.Doc, opts: BindStoreOptions = {}): () => void {
  const schema = store.schema
  // Our own transactions carry this origin, so the observer can skip them.
  const origin = Symbol('bindStoreToYDoc')
  const report = (id: string, error: Error) => opts.onInvalidRecord?.(id, error)

  /** Migrates and validates `records`; reports and drops the ones that fail. */
  const migrateAll = (records: Iterable<JsonObject>): TLRecord[] => {
    const migrate = recordMigrator(schema, readStoredSchema(doc))
    const valid: TLRecord[] = []
    for (const record of records) {
      const result = migrate(record)
      if (result.ok) valid.push(result.record)
      else report(String(record.id), result.error)
    }
    return valid
  }

  const applyToStore = (put: TLRecord[], remove: string[]) => {
    const removable = remove.filter((id) => store.has(id as TLRecord['id'])) // ids of removed document records
    if (put.length === 0 && removable.length === 0) return
    store.mergeRemoteChanges(() => {
      if (removable.length > 0) store.remove(removable as TLRecord['id'][]) // filtered by store.has above
      try {
        store.put(put)
      } catch {
        // Records were validated above, but the store's side effects may still reject one: put
        // them one by one so that a single bad record cannot block the rest.
        for (const record of put) {
          try {
            store.put([record])
          } catch (error) {
            report(record.id, error instanceof Error ? error : new Error(String(error)))
          }
        }
      }
    })
  }

  /**
   * Loads every record of the document (and drops `removed` from the store), upgrading the
   * document first if its schema is older.
   */
  const loadAll = (removed: string[] = []) => {
    const stored = readStoredSchema(doc)
    const records = readRecords(doc)
    if (records.size === 0) return applyToStore([], removed)
    const valid = migrateAll(records.values())
    if (relateStoredSchema(schema, stored) === 'older') {
      const migrated = valid.filter((record) => !isEqual(record, records.get(record.id)))
      doc.transact(() => {
        writeRecordChanges(doc, { put: migrated as unknown as JsonObject[], remove: [] }, origin) // records are JSON
        writeStoredSchema(doc, schema.serialize(), origin)
      }, origin)
    }
    applyToStore(valid, removed)
  }

  const applyRemote = (changes: RecordChanges) => {
    // A peer (or the first sync) brought records stored with an older schema: upgrade it all.
    if (relateStoredSchema(schema, readStoredSchema(doc)) === 'older') return loadAll(changes.remove)
    applyToStore(migrateAll(changes.put), changes.remove)
  }

  /**
   * Applies a remote change; a batch of at least {@link TIMED_BATCH} records is timed as the User
   * Timing measure `keyplan:apply-remote` (detail: records put and removed), read by the browser
   * benchmark (`bench/suites/browser.ts`). Small changes (a peer's drag) are not recorded, so the
   * page's timeline does not grow through a long session.
   */
  const applyRemoteTimed = (changes: RecordChanges) => {
    const records = changes.put.length + changes.remove.length
    if (records < TIMED_BATCH) return applyRemote(changes)
    const start = performance.now()
    applyRemote(changes)
    performance.measure('keyplan:apply-remote', { start, end: performance.now(), detail: { records } })
  }

  loadAll()

  const stopObserving = observeRecords(doc, (changes, tr) => {
    if (tr.origin !== origin) applyRemoteTimed(changes)
  })

  const stopListening = store.listen(
    ({ changes }) => {
      const put = [...Object.values(changes.added), ...Object.values(changes.updated).map(([, to]) => to)]
      const remove = Object.keys(changes.removed)
      if (put.length === 0 && remove.length === 0) return
      doc.transact(() => {
        if (!readStoredSchema(doc)) writeStoredSchema(doc, schema.serialize(), origin)
        writeRecordChanges(doc, { put: put as unknown as JsonObject[], remove }, origin) // records are JSON
      }, origin)
    },
    { source: 'user', scope: 'document' }
  )

  return () => {
    stopListening()
    stopObserving()
  }
}
