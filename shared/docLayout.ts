import type { SerializedSchema } from '@tldraw/store'
import type { JsonObject, JsonValue } from '@tldraw/utils'
import * as Y from 'yjs'
import { FieldIndex, PreviewTurn, type LogSize, type OverlayListener, type LogEntry, type LogEntryId, type RecordChanges, type RecordIdsListener, type RecordPreview, type RecordsListener } from './FieldIndex.ts'

/**
 * The layout of a board's Y.Doc, shared by the client binding (tldraw store <-> Yjs) and the
 * server (template seeding, plan snapshots). Chosen by measurement: see
 * `docs/decisions/001-yjs-document-layout.md` and `bench/suites/layout.ts`.
 *
 * Layout "record log" (base + field overrides):
 * - `DOC_KEYS.records` is a `Y.Array` of entries `[recordId, field, value]`. The entry with
 *   field `''` is the record's base: the whole record as last written whole. Other entries
 *   override one field of the base: a top-level key (`x`) or one key of `props` or `meta`
 *   (`props.attitude`). The record is its base with the overrides applied.
 * - A record is written whole (new base, all its old entries deleted) when it is created, when
 *   a field disappears or `props`/`meta` changes kind; otherwise only changed fields are written
 *   as overrides, each replacing that field's previous override. So a drag writes `x` and `y`,
 *   and concurrent edits of different fields of one card both survive.
 * - Replacing an entry appends the new one and deletes the old one. Entries of one writer sit
 *   next to each other at the end of the array, so deleted entries collapse into a few ranges
 *   and the document stays small however often shapes move (a `Y.Map` keeps a tombstone per
 *   overwrite when several keys are written in turn).
 * - When several live entries exist for the same field or base (concurrent writes), the
 *   rightmost wins; all peers see the same order, so they agree.
 * - A record exists only while it has a base (which holds `typeName`). Deleting a record deletes
 *   all its entries; an override written concurrently with the delete stays an orphan, is
 *   ignored, and is deleted when a record with that id is written again.
 * - `DOC_KEYS.meta` is a `Y.Map`; its key `schema` holds the tldraw `SerializedSchema` the
 *   records are stored in.
 */

/** Names of the root shared types of a board's Y.Doc. */
export const DOC_KEYS = {
  /** `Y.Array<[recordId, field, value]>`: the record log of all tldraw document records. */
  records: 'keyplan.records',
  /** `Y.Map`: document metadata (`schema`). */
  meta: 'keyplan.meta',
} as const

/** Key of the stored tldraw schema in the `DOC_KEYS.meta` map. */
const SCHEMA_KEY = 'schema'

export type { LogEntryId, LogSize, RecordChanges, RecordPreview } from './FieldIndex.ts'
export { PreviewTurn } from './FieldIndex.ts'

const indexes = new WeakMap<Y.Doc, FieldIndex>()

function indexOf(doc: Y.Doc): FieldIndex {
  let index = indexes.get(doc)
  if (!index) {
    index = new FieldIndex(doc, doc.getArray<LogEntry>(DOC_KEYS.records))
    indexes.set(doc, index)
  }
  return index
}

/**
 * Every complete record in the document, by id. Orphan fields (a record deleted while a peer
 * edited it) are skipped. The records are not validated: migrate and validate them with
 * `recordMigrator` (`recordMigration.ts`) before use. Treat them as read-only: nested values are
 * shared with the document's own data.
 * @example
 * const records = readRecords(doc)
 * const notes = [...records.values()].filter((r) => r.typeName === 'shape' && r.type === 'note')
 */
export function readRecords(doc: Y.Doc): Map<string, JsonObject> {
  return indexOf(doc).readAll()
}

/** What {@link readRecordsSince} read: the records, and the document's generation they are current at. */
export type RecordsRead = { records: Map<string, JsonObject>; generation: number }

/**
 * Every complete record in the document, as {@link readRecords} gives them, reusing from `previous`
 * (an earlier result of this function for the same document) each record whose log entries no
 * transaction changed since: that very object. Costs a look at every record id plus composing the
 * changed ones. The records are shared between reads: never change them.
 * @example
 * let read = readRecordsSince(doc)
 * // … the document changes …
 * read = readRecordsSince(doc, read) // records of untouched ids are the objects of the last read
 */
export function readRecordsSince(doc: Y.Doc, previous?: RecordsRead): RecordsRead {
  const index = indexOf(doc)
  const generation = index.generation
  const records = previous ? index.readAllSince(previous.records, previous.generation) : index.readAll()
  return { records, generation }
}

/**
 * The document's log generation: {@link RecordsRead.generation} of a read now. A read at the same
 * generation of the same document holds the same records and overlays.
 */
export function logGeneration(doc: Y.Doc): number {
  return indexOf(doc).generation
}

/**
 * Overrides of records without a base, by record id and field: the overlay entries of a board's
 * internal document (`sensitivity.ts`), which give the internal fields of records the shared
 * document holds. Treat the values as read-only.
 * @example readOverlays(internalDoc).get('shape:anna')?.get('props.attitude') // 'blocker'
 */
export function readOverlays(doc: Y.Doc): Map<string, Map<string, JsonValue>> {
  return indexOf(doc).readOverlays()
}

/**
 * Writes overlay entries (see {@link readOverlays}) in one transaction: each field of `fields`
 * replaces that field's entries of its record; every entry of the records in `clear` is deleted, and
 * the entries of the fields in `clearFields` (by record id).
 * @example writeOverlayChanges(internalDoc, new Map([['shape:anna', new Map([['props.attitude', 'blocker']])]]), [])
 */
export function writeOverlayChanges(
  doc: Y.Doc,
  fields: ReadonlyMap<string, ReadonlyMap<string, JsonValue>>,
  clear: readonly string[],
  clearFields?: ReadonlyMap<string, readonly string[]>,
  origin?: unknown
): void {
  if (fields.size === 0 && clear.length === 0 && (clearFields?.size ?? 0) === 0) return
  const index = indexOf(doc)
  doc.transact((tr) => index.writeOverlay(tr, fields, clear, clearFields), origin)
}

/**
 * One record of the document, composed as {@link readRecords} composes it (null without a base),
 * and, for a record without a base, its overlay entries (see {@link readOverlays}).
 */
export function readRecord(doc: Y.Doc, id: string): { record: JsonObject | null; overlay: Map<string, JsonValue> | null } {
  return indexOf(doc).readOne(id)
}

/** True when the document holds the record `id` (it has a base), without composing it. */
export function hasRecord(doc: Y.Doc, id: string): boolean {
  return indexOf(doc).has(id)
}

/**
 * Ids of every complete record in the document (see {@link readRecords}), without composing them.
 * Treat the set as read-only; it changes with the document.
 * @example [...recordIds(doc)].filter((id) => id.startsWith('binding:'))
 */
export function recordIds(doc: Y.Doc): ReadonlySet<string> {
  return indexOf(doc).ids()
}

/**
 * {@link readRecords} for a reader that keeps the records and never changes them (the server's
 * history of a board): a record that no field entry overrides is the very value stored in the
 * document, and a container (`props`, `meta`) that no field overrides is the stored one.
 */
export function readRecordsKept(doc: Y.Doc): Map<string, JsonObject> {
  return indexOf(doc).readAllKept()
}

/** The record `id` as {@link readRecordsKept} gives it; null when it does not exist. */
export function readRecordKept(doc: Y.Doc, id: string): JsonObject | null {
  return indexOf(doc).readOneKept(id)
}

/** @internal What the document's index keeps (issue 14, for tests): see {@link FieldIndex.kept}. */
export function keptIndexEntries(doc: Y.Doc): { records: number; fieldMaps: number } {
  return indexOf(doc).kept()
}

/**
 * The records an update would touch, as they are and as they would be, without changing the
 * document: the live entries minus `deletes` (Yjs ids of live log entries; others are ignored),
 * plus `inserts` appended after every live entry. Records are composed as {@link readRecords}
 * composes them (null where the record does not exist); treat them as read-only. Used by the
 * server to judge an update before it applies it (`server/sync/checkRecordOps.ts`).
 * @example
 * const previews = previewRecordChanges(doc, [['shape:a', 'x', 10]], [])
 * previews.get('shape:a') // { before: { …, x: 0 }, after: { …, x: 10 } }
 */
export function previewRecordChanges(
  doc: Y.Doc,
  inserts: readonly LogEntry[],
  deletes: readonly LogEntryId[],
  insertIds?: readonly LogEntryId[],
  turn?: PreviewTurn
): Map<string, RecordPreview> {
  return indexOf(doc).preview(inserts, deletes, insertIds, turn)
}

/**
 * Makes the document's record index measure its log entries from now on (once over those it
 * holds, then each as it is indexed or previewed), for a server's board size cap; pages never call
 * it.
 */
export function measureLogSize(doc: Y.Doc): void {
  indexOf(doc).measureSizes()
}

/**
 * How many records the document holds and the size of its live log entries (JSON characters; 0
 * unless {@link measureLogSize} was called), as of the last transaction; O(1). The updates judged
 * in a turn that has not ended are in its {@link PreviewTurn}'s `acceptedSize`.
 * @example if (logSize(doc).records + turn.acceptedSize.records > 10_000) refuse()
 */
export function logSize(doc: Y.Doc): LogSize {
  return indexOf(doc).size()
}

/**
 * The record `id` as the updates `turn` accepted so far left it (the index lags until the turn's
 * transaction ends, [S26]), else as the document holds it; null when it does not exist. Treat it as
 * read-only. Used by the server's record pass to read a record an update does not touch.
 * @example readRecordInTurn(room.doc, 'shape:frame', turn)?.parentId // 'page:page'
 */
export function readRecordInTurn(doc: Y.Doc, id: string, turn?: PreviewTurn): JsonObject | null {
  return indexOf(doc).readInTurn(id, turn)
}

/**
 * Writes record changes in one transaction. For records that exist, only the fields whose
 * values changed are written, so concurrent edits of other fields survive. Call it once per
 * transaction (it reads the document's state as of the start of the transaction).
 * @param origin - transaction origin, so observers can tell their own writes apart
 * @example
 * writeRecordChanges(doc, { put: [movedShape], remove: ['shape:old'] }, bindingOrigin)
 */
export function writeRecordChanges(doc: Y.Doc, changes: RecordChanges, origin?: unknown): void {
  if (changes.put.length === 0 && changes.remove.length === 0) return
  const index = indexOf(doc)
  doc.transact((tr) => index.write(tr, changes), origin)
}

/**
 * Writes `records` whole in one transaction: each gets a new base and every older entry of it is
 * deleted, so no value it held before stays in the log (e.g. an internal value moved out of a
 * board's shared document, `sensitivity.ts`). Observers see the records changed, not removed.
 * @example rewriteRecordsWhole(sharedDoc, [cardWithDefaults], serverOrigin)
 */
export function rewriteRecordsWhole(doc: Y.Doc, records: readonly JsonObject[], origin?: unknown): void {
  if (records.length === 0) return
  const index = indexOf(doc)
  doc.transact((tr) => index.write(tr, { put: [...records], remove: [] }, true), origin)
}

/**
 * Calls `listener` after every transaction that changed records (local or remote) with the
 * changed records as whole records to put and the ids of records that disappeared. Filter your
 * own writes by `tr.origin`. The listener runs in Yjs's observer phase: a write it makes runs
 * as a new transaction right after. Treat the records as read-only, as with {@link readRecords}.
 * @returns a function that stops listening
 * @example
 * const stop = observeRecords(doc, (changes, tr) => {
 *   if (tr.origin !== myOrigin) applyToStore(changes)
 * })
 */
export function observeRecords(doc: Y.Doc, listener: RecordsListener): () => void {
  return indexOf(doc).subscribe(listener)
}

/**
 * Like {@link observeRecords}, but `listener` gets only the ids of the changed records (put or
 * removed), and nothing is composed for it: read them with {@link readRecord} when needed, before
 * the next transaction changes them. For observers that must not slow the transaction down (the
 * server's history, which composes them after the relay).
 * @returns a function that stops listening
 * @example
 * const stop = observeRecordIds(doc, (ids) => pending.push(...ids))
 */
export function observeRecordIds(doc: Y.Doc, listener: RecordIdsListener): () => void {
  return indexOf(doc).subscribeIds(listener)
}

/**
 * Calls `listener` after every transaction that changed overlay entries (overrides of records
 * without a base, see {@link readOverlays}) with the ids of those records; read them again with
 * {@link readOverlays}.
 * @returns a function that stops listening
 */
export function observeOverlays(doc: Y.Doc, listener: OverlayListener): () => void {
  return indexOf(doc).subscribeOverlays(listener)
}

function isSerializedSchema(value: unknown): value is SerializedSchema {
  if (typeof value !== 'object' || value === null) return false
  const schema = value as Record<string, unknown> // narrowed to an object just above
  if (schema.schemaVersion === 2) return typeof schema.sequences === 'object' && schema.sequences !== null
  return schema.schemaVersion === 1 && typeof schema.recordVersions === 'object' && schema.recordVersions !== null
}

/** The tldraw schema the document's records are stored in, or null for a new or damaged document. */
export function readStoredSchema(doc: Y.Doc): SerializedSchema | null {
  const value: unknown = doc.getMap(DOC_KEYS.meta).get(SCHEMA_KEY)
  return isSerializedSchema(value) ? value : null
}

/** Stores the tldraw schema the document's records are in (`schema.serialize()`). */
export function writeStoredSchema(doc: Y.Doc, schema: SerializedSchema, origin?: unknown): void {
  doc.transact(() => doc.getMap(DOC_KEYS.meta).set(SCHEMA_KEY, schema), origin)
}

/**
 * The record-log entry with Yjs id `id` (`client`, `clock`), live or deleted, or undefined when the
 * document has no such entry (or its content was garbage-collected). Reads the document's items, not
 * the index, so it is current inside a transaction too (the index follows at its end).
 * @example
 * const entry = logEntryAt(doc, { client: 12, clock: 40 })
 * if (entry) touched.add(entry[0])
 */
export function logEntryAt(doc: Y.Doc, id: { client: number; clock: number }): LogEntry | undefined {
  if (id.clock >= Y.getState(doc.store, id.client)) return undefined
  const item = Y.getItem(doc.store, Y.createID(id.client, id.clock))
  if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentAny)) return undefined
  const entry: unknown = item.content.arr[id.clock - item.id.clock]
  return Array.isArray(entry) && entry.length === 3 && typeof entry[0] === 'string' && typeof entry[1] === 'string'
    ? (entry as LogEntry) // shape checked just above
    : undefined
}
