/**
 * A board's two documents as one (issue 13, `sensitivity.ts`): reading the record the team sees,
 * and routing a write of such records to the document each part belongs in. Shared by the team's
 * page (`client/board/internalParts.ts`) and the server's own writes (a revert, a restore:
 * `server/sync/writeBoardRecords.ts`), so both split a board the same way ([A31]).
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type * as Y from 'yjs'
import { hasRecord, readRecord, readRecordKept, type RecordChanges } from './docLayout.ts'
import { fieldDefault, isInternalBinding, isInternalRecord, keepStandIns, mergeOverlay, sameJson, splitRecord, type Sensitivity } from './sensitivity.ts'

/**
 * The record `id` as the team sees it: the internal item, else the shared record with its overlay
 * of internal fields; null when neither document holds it. `kept`: for a reader that keeps it and
 * never changes it, as `readRecordsKept` gives records (the server's history).
 * @example readMergedRecord(sharedDoc, internalDoc, 'shape:anna', sensitivity)?.props.attitude // 'blocker'
 */
export function readMergedRecord(shared: Y.Doc, internal: Y.Doc, id: string, sensitivity: Sensitivity, kept = false): JsonObject | null {
  if (hasRecord(internal, id)) return kept ? readRecordKept(internal, id) : readRecord(internal, id).record
  const { overlay } = readRecord(internal, id) // no base here: its overlay, nothing composed
  const outer = kept ? readRecordKept(shared, id) : readRecord(shared, id).record
  return outer ? mergeOverlay(outer, overlay ?? undefined, sensitivity) : null
}

/**
 * A write of merged records split by document, in the order a durable writer applies it: the
 * internal document's additions, then the shared document, then the internal document's removals,
 * so an internal value is never only on its way into the shared document, and nothing leaves one
 * document before it is in the other.
 */
export type RoutedChanges = {
  /** Internal items, written whole into the internal document. */
  internalPuts: JsonObject[]
  /** Overlay fields of visible records that changed, by record id. */
  overlays: Map<string, Map<string, JsonValue>>
  /** What the shared document gets: visible records with internal fields at their defaults, and removals. */
  shared: RecordChanges
  /** Records whose every entry leaves the internal document (deleted, or now visible). */
  clear: string[]
  /** Overlay fields written in the same transaction as `clear` (records that were internal items). */
  clearOverlays: Map<string, Map<string, JsonValue>>
}

/**
 * Routes `changes` (records as the team sees them) to a board's documents.
 * `internalItems` lists the ids of the internal document's internal items (by `sensitivity`)
 * before the write; a put or removed record decides for itself.
 * @example
 * const routed = routeRecordChanges(shared, internal, { put: [card], remove: [] }, sensitivity, internalIds)
 */
export function routeRecordChanges(
  shared: Y.Doc,
  internal: Y.Doc,
  changes: RecordChanges,
  sensitivity: Sensitivity,
  internalItems: ReadonlySet<string>,
): RoutedChanges {
  const written = new Set<string>([...changes.put.map((record) => String(record.id)), ...changes.remove])
  // Internal items after the write: those put as internal, and those the write leaves alone.
  const internalIds = new Set<string>()
  for (const record of changes.put) if (isInternalRecord(record, sensitivity)) internalIds.add(String(record.id))
  for (const id of internalItems) if (!written.has(id)) internalIds.add(id)
  const routed: RoutedChanges = { internalPuts: [], overlays: new Map(), shared: { put: [], remove: [] }, clear: [], clearOverlays: new Map() }
  for (const id of changes.remove) {
    if (readRecord(shared, id).record) routed.shared.remove.push(id)
    const inner = readRecord(internal, id)
    if (inner.record || inner.overlay) routed.clear.push(id)
  }
  for (const record of changes.put) {
    const id = String(record.id)
    const inner = readRecord(internal, id)
    if (internalIds.has(id) || isInternalBinding(record, internalIds)) {
      // Written whole: a base replaces the overlay entries the record had while it was visible.
      routed.internalPuts.push(record)
      if (readRecord(shared, id).record) routed.shared.remove.push(id)
      continue
    }
    const { shared: split, overlay } = splitRecord(record, sensitivity)
    // A guest's card holds null (not assessed) where the team's hold the stand-in: kept, so the team's
    // first judgement of it changes nothing a guest receives.
    const visible = keepStandIns(split, readRecord(shared, id).record ?? undefined, sensitivity)
    routed.shared.put.push(visible)
    if (inner.record) {
      // An internal item made visible: its internal fields become overlay entries as it leaves.
      routed.clear.push(id)
      if (overlay.size > 0) routed.clearOverlays.set(id, overlay)
      continue
    }
    const changed = new Map<string, JsonValue>()
    for (const [field, value] of overlay) {
      const was = inner.overlay?.get(field)
      // A default value needs no overlay entry until the field held something else.
      const defaultValue = typeof record.type === 'string' ? fieldDefault(record.type, field.slice('props.'.length)) : undefined
      if (was === undefined ? !sameJson(value, defaultValue) : !sameJson(was, value)) changed.set(field, value)
    }
    if (changed.size > 0) routed.overlays.set(id, changed)
  }
  return routed
}
