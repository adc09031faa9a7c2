/**
 * The team's view of a board's two documents as one record source (issue 13,
 * `shared/sensitivity.ts`): reads merge the shared document's records with the internal document's
 * overlay entries and internal items; writes are routed so that the shared document only ever
 * gets what a guest may see (the server refuses anything else, [A31]):
 * - an internal item (marked, or an internal relationship line and its bindings) is written whole
 *   into the internal document (its shared copy, if any, the server removes: see {@link leaveMovesToServer});
 * - a visible record is written into the shared document with its internal fields at their
 *   defaults, and its internal fields as overlay entries of the internal document (one leaving the
 *   internal document is rewritten whole there, no longer internal, for the server to split).
 * Guests' pages, and "View as customer", read the shared document alone.
 */
import type { JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import {
  observeOverlays,
  observeRecords,
  readOverlays,
  readRecords,
  readRecordsKept,
  writeOverlayChanges,
  writeRecordChanges,
  type RecordChanges,
} from '../../shared/docLayout.ts'
import { readMergedRecord, routeRecordChanges, type RoutedChanges } from '../../shared/boardParts.ts'
import { isInternalRecord, mergeOverlay, type Sensitivity } from '../../shared/sensitivity.ts'

/** Where the binding reads and writes a board's records: one document, or both parts merged. */
export interface RecordSource {
  readAll(): Map<string, JsonObject>
  /** Calls `listener` with the records a transaction (of either document) changed. */
  observe(listener: (changes: RecordChanges, tr: Y.Transaction) => void): () => void
  write(changes: RecordChanges, origin: unknown): void
}

/** One document as it is (a guest's board, "View as customer", a snapshot). */
export function singleDocSource(doc: Y.Doc): RecordSource {
  return {
    // Kept records (a shape's `props` the log's own object while no field overrides it): the store
    // never changes a record, and a remote change that leaves `props` alone then hands the store the
    // very object it has (issue 14, `FieldIndex.applyTransaction`).
    readAll: () => readRecordsKept(doc),
    observe: (listener) => observeRecords(doc, listener),
    write: (changes, origin) => writeRecordChanges(doc, changes, origin),
  }
}

/** The shared and internal documents of a board, merged for the team and written by route. */
export function mergedPartsSource(shared: Y.Doc, internal: Y.Doc, sensitivity: () => Sensitivity): RecordSource {
  const items = new InternalItemIndex(internal)
  return {
    readAll() {
      const out = new Map<string, JsonObject>()
      const overlays = readOverlays(internal)
      const s = sensitivity()
      for (const [id, record] of readRecordsKept(shared)) out.set(id, mergeOverlay(record, overlays.get(id), s))
      for (const [id, record] of readRecordsKept(internal)) out.set(id, record)
      return out
    },
    observe(listener) {
      const recompute = (ids: Iterable<string>, tr: Y.Transaction) => {
        const changes: RecordChanges = { put: [], remove: [] }
        const s = sensitivity()
        for (const id of ids) {
          const record = readMergedRecord(shared, internal, id, s, true) // kept, as `readAll`
          if (record) changes.put.push(record)
          else changes.remove.push(id)
        }
        if (changes.put.length > 0 || changes.remove.length > 0) listener(changes, tr)
      }
      const onRecords = (changes: RecordChanges, tr: Y.Transaction) =>
        recompute([...changes.put.map((record) => String(record.id)), ...changes.remove], tr)
      const stops = [observeRecords(shared, onRecords), observeRecords(internal, onRecords), observeOverlays(internal, (ids, tr) => recompute(ids, tr))]
      return () => {
        for (const stop of stops) stop()
      }
    },
    write(changes, origin) {
      const routed = leaveMovesToServer(routeRecordChanges(shared, internal, changes, sensitivity(), items.internalIds(sensitivity())), changes)
      // Internal first: a value is never only in flight to the shared document when it is internal.
      if (routed.internalPuts.length > 0 || routed.overlays.size > 0 || routed.clear.length > 0) {
        internal.transact(() => {
          writeRecordChanges(internal, { put: routed.internalPuts, remove: [] }, origin)
          writeOverlayChanges(internal, new Map([...routed.overlays, ...routed.clearOverlays]), routed.clear, undefined, origin)
        }, origin)
      }
      writeRecordChanges(shared, routed.shared, origin)
    },
  }
}

/**
 * [A35] A record moving between the documents (marked internal, or visible again) is written only
 * where it goes; the server removes the copy it leaves once the new one is durable. The page's two
 * writes travel on two sockets, in no certain order: had it removed the old copy itself, a refused
 * (or late) write of the new one would leave the record in neither document, for everyone.
 * - Into the internal document: its shared copy is not removed (guests see it until the server's
 *   move, as they saw it before).
 * - Out of it: its internal copy is not cleared but rewritten whole, no longer internal; the server
 *   splits it (internal fields stay in the overlay) and removes it.
 */
function leaveMovesToServer(routed: RoutedChanges, changes: RecordChanges): RoutedChanges {
  const intoInternal = new Set(routed.internalPuts.map((record) => String(record.id)))
  const visiblePuts = new Set(routed.shared.put.map((record) => String(record.id)))
  const leaving = new Set(routed.clear.filter((id) => visiblePuts.has(id)))
  if (leaving.size === 0 && !routed.shared.remove.some((id) => intoInternal.has(id))) return routed
  return {
    ...routed,
    internalPuts: [...routed.internalPuts, ...changes.put.filter((record) => leaving.has(String(record.id)))],
    shared: { put: routed.shared.put, remove: routed.shared.remove.filter((id) => !intoInternal.has(id)) },
    clear: routed.clear.filter((id) => !leaving.has(id)),
    clearOverlays: new Map([...routed.clearOverlays].filter(([id]) => !leaving.has(id))),
  }
}

/**
 * The internal document's internal items, kept up to date from its transactions, so a write does
 * not read every record of the internal document to find them (decision 004, "Measured").
 */
class InternalItemIndex {
  /** Ids of the internal items by {@link idsFor}; built on the first write, so a join does not pay for it. */
  private ids: Set<string> | undefined
  private idsFor: Sensitivity | undefined
  private following = false

  constructor(private readonly internal: Y.Doc) {}

  /** Ids of the internal items by `sensitivity` (read again only when the sensitivity changes). */
  internalIds(sensitivity: Sensitivity): ReadonlySet<string> {
    if (!this.ids || this.idsFor !== sensitivity) {
      this.idsFor = sensitivity
      this.ids = new Set([...readRecords(this.internal)].filter(([, record]) => isInternalRecord(record, sensitivity)).map(([id]) => id))
      this.follow()
    }
    return this.ids
  }

  private follow(): void {
    if (this.following) return
    this.following = true
    // Lives as long as the document: the binding's documents are destroyed with it.
    observeRecords(this.internal, (changes) => {
      const { ids, idsFor } = this
      if (!ids || !idsFor) return
      for (const record of changes.put) {
        if (isInternalRecord(record, idsFor)) ids.add(String(record.id))
        else ids.delete(String(record.id))
      }
      for (const id of changes.remove) ids.delete(id)
    })
  }
}
