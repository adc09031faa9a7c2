/**
 * The team's view of a board's two documents as one record source (issue 13,
 * `shared/sensitivity.ts`): reads merge the shared document's records with the internal document's
 * overlay entries and internal items; writes are routed so that the shared document only ever
 * gets what a guest may see (the server refuses anything else, [A31]):
 * - an internal item (marked, or an internal relationship line and its bindings) is written whole
 *   into the internal document, and removed from the shared one if it was there;
 * - a visible record is written into the shared document with its internal fields at their
 *   defaults, and its internal fields as overlay entries of the internal document.
 * Guests' pages, and "View as customer", read the shared document alone.
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type * as Y from 'yjs'
import {
  observeOverlays,
  observeRecords,
  readOverlays,
  readRecord,
  readRecords,
  writeOverlayChanges,
  writeRecordChanges,
  type RecordChanges,
} from '../../shared/docLayout.ts'
import { fieldDefault, isInternalBinding, isInternalRecord, mergeOverlay, sameJson, splitRecord, type Sensitivity } from '../../shared/sensitivity.ts'

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
    readAll: () => readRecords(doc),
    observe: (listener) => observeRecords(doc, listener),
    write: (changes, origin) => writeRecordChanges(doc, changes, origin),
  }
}

/** The merged record of `id`: the internal item, else the shared record with its overlay; null if neither. */
export function mergedRecord(shared: Y.Doc, internal: Y.Doc, id: string, sensitivity: Sensitivity): JsonObject | null {
  const inner = readRecord(internal, id)
  if (inner.record) return inner.record
  const outer = readRecord(shared, id).record
  return outer ? mergeOverlay(outer, inner.overlay ?? undefined, sensitivity) : null
}

/** The shared and internal documents of a board, merged for the team and written by route. */
export function mergedPartsSource(shared: Y.Doc, internal: Y.Doc, sensitivity: () => Sensitivity): RecordSource {
  return {
    readAll() {
      const out = new Map<string, JsonObject>()
      const overlays = readOverlays(internal)
      const s = sensitivity()
      for (const [id, record] of readRecords(shared)) out.set(id, mergeOverlay(record, overlays.get(id), s))
      for (const [id, record] of readRecords(internal)) out.set(id, record)
      return out
    },
    observe(listener) {
      const recompute = (ids: Iterable<string>, tr: Y.Transaction) => {
        const changes: RecordChanges = { put: [], remove: [] }
        const s = sensitivity()
        for (const id of ids) {
          const record = mergedRecord(shared, internal, id, s)
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
      const s = sensitivity()
      const internalIds = new Set<string>()
      for (const record of changes.put) if (isInternalRecord(record, s)) internalIds.add(String(record.id))
      for (const [id, record] of readRecords(internal)) if (isInternalRecord(record, s)) internalIds.add(id)
      const toShared: RecordChanges = { put: [], remove: [...changes.remove] }
      const toInternal: RecordChanges = { put: [], remove: [] }
      const overlays = new Map<string, Map<string, JsonValue>>()
      const clear = [...changes.remove]
      for (const record of changes.put) {
        const id = String(record.id)
        if (internalIds.has(id) || isInternalBinding(record, internalIds)) {
          toInternal.put.push(record)
          if (readRecord(shared, id).record) toShared.remove.push(id)
          continue
        }
        const { shared: visible, overlay } = splitRecord(record, s)
        toShared.put.push(visible)
        if (readRecord(internal, id).record) clear.push(id)
        const current = readRecord(internal, id).overlay
        const changed = new Map<string, JsonValue>()
        for (const [field, value] of overlay) {
          const was = current?.get(field)
          // A default value needs no overlay entry until the field held something else.
          const defaultValue = typeof record.type === 'string' ? fieldDefault(record.type, field.slice('props.'.length)) : undefined
          if (was === undefined ? !sameJson(value, defaultValue) : !sameJson(was, value)) changed.set(field, value)
        }
        if (changed.size > 0) overlays.set(id, changed)
      }
      // Internal first: a value is never only in flight to the shared document when it is internal.
      internal.transact(() => {
        writeRecordChanges(internal, { put: toInternal.put, remove: [] }, origin)
        writeOverlayChanges(internal, overlays, clear.filter((id) => !toInternal.put.some((record) => record.id === id)), undefined, origin)
      }, origin)
      writeRecordChanges(shared, toShared, origin)
    },
  }
}
