import type { JsonObject, JsonValue } from '@tldraw/utils'
import * as Y from 'yjs'

/**
 * The in-memory index of a board's record log (layout described in `docLayout.ts`): for every
 * record id, its live base entries and, per field, its live override entries, each list in
 * document order. The last one wins. A list holds more than one entry only after concurrent
 * writes; the next write of that record or field deletes them all.
 *
 * The index follows the Y.Array through the transaction's own data (before/after state and
 * delete set) instead of `event.changes`, which walks the whole array on every transaction.
 */

/** One log entry: record id, field (`''` for the base, the whole record), value. */
export type LogEntry = [recordId: string, field: string, value: JsonValue]

/** Field name of the base entry, which holds the whole record as it was last written whole. */
const BASE_FIELD = ''

/** Record fields that are flattened one level (`props.attitude`), so concurrent edits of different props merge. */
const FLATTENED = new Set(['props', 'meta'])

/** Record changes in the form the binding and the server consume: whole records to put, ids to remove. */
export interface RecordChanges {
  put: JsonObject[]
  remove: string[]
}

/** Receives the records a transaction changed, as whole records, and the transaction. */
export type RecordsListener = (changes: RecordChanges, tr: Y.Transaction) => void

/**
 * Receives the ids of the records a transaction changed (those a {@link RecordsListener} gets as
 * put or removed), without composing them: a listener that needs them later reads them itself.
 */
export type RecordIdsListener = (ids: readonly string[], tr: Y.Transaction) => void

/** Receives the ids of records without a base whose overrides a transaction changed (or that lost their base). */
export type OverlayListener = (ids: ReadonlySet<string>, tr: Y.Transaction) => void

/** Where a live entry sits (its Yjs id) and what it holds. */
interface EntryRef {
  client: number
  clock: number
  value: JsonValue
  /** The entry's size ({@link entryChars}) while the index measures sizes ({@link FieldIndex.measureSizes}), else 0. */
  chars: number
}

/**
 * The size of one log entry, as a board's size cap counts it: the JSON length of its value plus
 * its id's and field's lengths (a character counts as a byte).
 */
function entryChars(recordId: string, field: string, value: unknown): number {
  try {
    return recordId.length + field.length + (JSON.stringify(value)?.length ?? 0)
  } catch {
    // A value JSON cannot write (a bigint): the record pass refuses it before it is applied.
    return recordId.length + field.length
  }
}

/** How many records exist and how large their live log entries are ({@link FieldIndex.size}). */
export type LogSize = { records: number; chars: number }

interface RecordEntries {
  bases: EntryRef[]
  /**
   * Override entries by field; null while the record has none. Most records are only ever written
   * whole, and an empty Map costs ~180 bytes of heap, more than the rest of the record's entries
   * together (issue 14).
   */
  fields: Map<string, EntryRef[]> | null
  /** {@link FieldIndex.generation} of the last transaction that changed these entries (0: none since indexing). */
  stamp: number
}

/** What {@link RecordEntries.fields} reads as while it is null. */
const NO_FIELDS: ReadonlyMap<string, EntryRef[]> = new Map()

/** True for a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isLogEntry(value: unknown): value is LogEntry {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'string'
}

/**
 * Deep equality of JSON values; cheap when unchanged values are shared by reference, as in tldraw.
 * @example jsonEqual({ a: [1, 2] }, { a: [1, 2] }) // true
 */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] as JsonValue, b[i] as JsonValue)) return false // i < length
    return true
  }
  if (Array.isArray(b)) return false
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  for (const key of keysA) {
    const valueA = a[key]
    const valueB = b[key]
    if (valueA === undefined || valueB === undefined ? valueA !== valueB : !jsonEqual(valueA, valueB)) return false
  }
  return true
}

/**
 * Keys that no record field may have, at any level: assigning them on a plain object writes
 * through its prototype (`record['__proto__'].x = …` pollutes every object of the process).
 */
export const FORBIDDEN_FIELD_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** A field of the record log, split as the layout allows it. */
export type FieldPath = { top: string; sub: string | null }

/**
 * Splits a log entry's field into its top-level key and, for `props.x` / `meta.x`, the key
 * inside; null for a field the layout does not allow: the base (`''`), `id` or `typeName` (a
 * record's identity is only ever written whole), a dotted path under anything but `props` or
 * `meta`, an empty key, or a key in {@link FORBIDDEN_FIELD_KEYS}. Entries with such fields are
 * ignored when records are composed, so no field path can reach a prototype.
 * @example parseFieldPath('props.attitude') // { top: 'props', sub: 'attitude' }
 * @example parseFieldPath('__proto__.format') // null
 */
export function parseFieldPath(field: string): FieldPath | null {
  // Every record is composed from the same few field names: parse each once.
  const known = parsedPaths.get(field)
  if (known !== undefined) return known
  const path = splitFieldPath(field)
  // Field names come from peers: the cache stops growing at a bound instead of leaking.
  if (parsedPaths.size < MAX_PARSED_PATHS) parsedPaths.set(field, path)
  return path
}

const MAX_PARSED_PATHS = 4096
const parsedPaths = new Map<string, FieldPath | null>()

function splitFieldPath(field: string): FieldPath | null {
  const dot = field.indexOf('.')
  const top = dot === -1 ? field : field.slice(0, dot)
  if (top === '' || top === 'id' || top === 'typeName' || FORBIDDEN_FIELD_KEYS.has(top)) return null
  if (dot === -1) return { top, sub: null }
  const sub = field.slice(dot + 1)
  if (!FLATTENED.has(top) || sub === '' || FORBIDDEN_FIELD_KEYS.has(sub)) return null
  return { top, sub }
}

/** The winning base when it is a record: an object with its own string `typeName`. */
function winningBase(entries: RecordEntries): JsonObject | null {
  const base = entries.bases.at(-1)?.value
  // Own property only: a decoded value can carry a prototype chosen by its writer.
  return isPlainObject(base) && Object.hasOwn(base, 'typeName') && typeof base.typeName === 'string' ? base : null
}

/** True when the record exists: its winning base is a record with a type. */
function hasBase(entries: RecordEntries): boolean {
  return winningBase(entries) !== null
}

/**
 * The record a base plus overrides make, or null without a valid base (deleted, or orphan
 * overrides). Only own keys are read and only fields {@link parseFieldPath} allows are applied,
 * so nothing is ever written through a prototype.
 */
function composeRecord(entries: RecordEntries): JsonObject | null {
  const base = winningBase(entries)
  if (!base) return null
  const record: JsonObject = { ...base }
  let copied = 0
  for (const key of FLATTENED) {
    const container = Object.hasOwn(record, key) ? record[key] : undefined
    if (isPlainObject(container)) {
      record[key] = { ...container }
      copied |= containerBit(key)
    }
  }
  applyFields(record, entries, copied)
  return record
}

/**
 * {@link composeRecord}, but a container (`props`, `meta`) that no field of the record overrides
 * is the base's own object, not a copy, so two compositions of a record share it while it does
 * not change: the update guard's checks then see it unchanged by identity (the size caps measure
 * it, tldraw's known-good validation and `jsonEqual` compare it, in O(1)). Values of the log are
 * never mutated (records are read-only, `docLayout.ts`); the result is for readers that only
 * read it ({@link FieldIndex.preview}).
 */
function composeRecordSharing(entries: RecordEntries): JsonObject | null {
  const base = winningBase(entries)
  if (!base) return null
  const record: JsonObject = { ...base }
  applyFields(record, entries, 0)
  return record
}

/**
 * {@link composeRecordSharing}, and a record that no field overrides is its base entry's value
 * itself: for readers that keep records and never change them ({@link FieldIndex.readAllKept}).
 */
function composeRecordKept(entries: RecordEntries): JsonObject | null {
  return entries.fields === null ? winningBase(entries) : composeRecordSharing(entries)
}

/** The bit of a container (`props`, `meta`) in the `copied` mask of {@link applyFields}. */
const containerBit = (key: string): number => (key === 'props' ? 1 : 2)

/**
 * Applies each field's winning value of `entries` to `record`. A container whose bit
 * ({@link containerBit}) is not in `copied` is copied when a field first sets one of its keys, so
 * no key is ever set in an object of the log (a base's container, or a whole `props`/`meta`
 * written as one field).
 */
function applyFields(record: JsonObject, entries: RecordEntries, copied: number): void {
  if (entries.fields === null) return
  for (const [field, candidates] of entries.fields) {
    const value = candidates.at(-1)?.value
    if (value === undefined) continue
    const path = parseFieldPath(field)
    if (!path) continue
    if (path.sub === null) {
      record[path.top] = value
      // A whole container from the log is its entry's value: copied again before a key is set in it.
      if (FLATTENED.has(path.top)) copied &= ~containerBit(path.top)
      continue
    }
    let container = Object.hasOwn(record, path.top) ? record[path.top] : undefined
    if (!isPlainObject(container)) continue
    const bit = containerBit(path.top) // a dotted path's top is one of FLATTENED (parseFieldPath)
    if ((copied & bit) === 0) {
      copied |= bit
      record[path.top] = container = { ...container }
    }
    container[path.sub] = value
  }
}

/** A record as it is and as it would be after an update: null where it does not exist. */
export type RecordPreview = { before: JsonObject | null; after: JsonObject | null }

/** The Yjs id of one live log entry. */
export type LogEntryId = { client: number; clock: number }

/**
 * The records as the updates accepted so far in one transaction left them, ahead of the index,
 * which follows the log only when a transaction ends. One per server turn ([S4], [S26]); see
 * {@link FieldIndex.preview}.
 */
export class PreviewTurn {
  private readonly records = new Map<string, RecordEntries>()
  /** @internal what the last preview computed, kept by {@link accept}. */
  pending: Map<string, RecordEntries> | undefined
  /**
   * How the last previewed update changes the log's {@link LogSize} (chars only while the index
   * measures sizes).
   */
  readonly pendingSize: LogSize = { records: 0, chars: 0 }
  /** How the accepted updates of the turn changed it: the index counts them when the turn ends. */
  readonly acceptedSize: LogSize = { records: 0, chars: 0 }

  /** @internal */
  entriesOf(id: string): RecordEntries | undefined {
    return this.records.get(id)
  }

  /** The last previewed update was accepted (and is applied): later previews of the turn start from it. */
  accept(): void {
    if (this.pending) for (const [id, entries] of this.pending) this.records.set(id, entries)
    this.pending = undefined
    this.acceptedSize.records += this.pendingSize.records
    this.acceptedSize.chars += this.pendingSize.chars
    this.pendingSize.records = 0
    this.pendingSize.chars = 0
  }
}

/**
 * Index of one Y.Doc's record log; one per doc, created by `docLayout.ts`. It observes the log
 * for as long as the doc lives.
 */
export class FieldIndex {
  private readonly records = new Map<string, RecordEntries>()
  /** Ids of records that exist, to report a record that disappears. */
  private readonly live = new Set<string>()
  private readonly listeners = new Set<RecordsListener>()
  private readonly idListeners = new Set<RecordIdsListener>()
  private readonly overlayListeners = new Set<OverlayListener>()
  /** Counts the transactions that changed the log: a read at one generation is current until the next. */
  private changes = 0
  /** Whether entries are measured ({@link measureSizes}). */
  private measuring = false
  /** The sum of the live entries' sizes, while measuring. */
  private chars = 0

  constructor(
    private readonly doc: Y.Doc,
    private readonly log: Y.Array<LogEntry>
  ) {
    for (let item = log._start; item !== null; item = item.right) {
      if (!item.deleted && item.countable) this.indexItem(item, new Set())
    }
    for (const [id, entries] of this.records) if (hasBase(entries)) this.live.add(id)
    log.observe((_event, tr) => this.applyTransaction(tr))
  }

  /** Every complete record. */
  readAll(): Map<string, JsonObject> {
    const out = new Map<string, JsonObject>()
    for (const [id, entries] of this.records) {
      const record = composeRecord(entries)
      if (record) out.set(id, record)
    }
    return out
  }

  /**
   * Every complete record, as {@link readAll} gives them, for a reader that keeps them and never
   * changes them: a record no field entry overrides is its base entry's value itself, and a
   * container no field overrides is the base's. Keeping them costs no copy of the board (issue 14).
   */
  readAllKept(): Map<string, JsonObject> {
    const out = new Map<string, JsonObject>()
    for (const [id, entries] of this.records) {
      const record = composeRecordKept(entries)
      if (record) out.set(id, record)
    }
    return out
  }

  /** The record `id` as {@link readAllKept} gives it; null when it does not exist. */
  readOneKept(id: string): JsonObject | null {
    const entries = this.records.get(id)
    return entries ? composeRecordKept(entries) : null
  }

  /** Number of transactions that changed the log so far; see {@link readAllSince}. */
  get generation(): number {
    return this.changes
  }

  /**
   * Every complete record, as {@link readAll} composes them, but each record of `previous` (a
   * result of this index's own reads, taken at generation `since`) whose entries no transaction
   * has changed since is that very object, not composed again. Same ids, order and values as
   * {@link readAll}.
   */
  readAllSince(previous: ReadonlyMap<string, JsonObject>, since: number): Map<string, JsonObject> {
    const out = new Map<string, JsonObject>()
    for (const [id, entries] of this.records) {
      const kept = entries.stamp <= since ? previous.get(id) : undefined
      const record = kept ?? composeRecord(entries)
      if (record) out.set(id, record)
    }
    return out
  }

  /** The record `id` composed (null when it has no base), and its overrides when it has no base. */
  readOne(id: string): { record: JsonObject | null; overlay: Map<string, JsonValue> | null } {
    const entries = this.records.get(id)
    if (!entries) return { record: null, overlay: null }
    if (hasBase(entries)) return { record: composeRecord(entries), overlay: null }
    const overlay = new Map<string, JsonValue>()
    for (const [field, candidates] of entries.fields ?? NO_FIELDS) {
      const value = candidates.at(-1)?.value
      if (value !== undefined && parseFieldPath(field)) overlay.set(field, value)
    }
    return { record: null, overlay }
  }

  /**
   * @internal What the index keeps (issue 14, for tests): the records it holds entries of, and
   * those of them that hold a map of override entries.
   */
  kept(): { records: number; fieldMaps: number } {
    let fieldMaps = 0
    for (const entries of this.records.values()) if (entries.fields !== null) fieldMaps++
    return { records: this.records.size, fieldMaps }
  }

  /**
   * From now on, measures every live entry ({@link entryChars}) as it is indexed, so that
   * {@link size} and {@link preview} count sizes: a server's board size cap ([S28]). Measures the
   * entries indexed so far once.
   */
  measureSizes(): void {
    if (this.measuring) return
    this.measuring = true
    for (const [id, entries] of this.records) {
      for (const ref of entries.bases) this.chars += (ref.chars = entryChars(id, BASE_FIELD, ref.value))
      for (const [field, candidates] of entries.fields ?? NO_FIELDS) for (const ref of candidates) this.chars += (ref.chars = entryChars(id, field, ref.value))
    }
  }

  /** The records that exist, and the size of the live entries (0 unless {@link measureSizes}). */
  size(): LogSize {
    return { records: this.live.size, chars: this.chars }
  }

  /** Ids of the records that exist (have a base), without composing them. */
  ids(): ReadonlySet<string> {
    return this.live
  }

  /** True when the record exists (has a base). */
  has(id: string): boolean {
    const entries = this.records.get(id)
    return entries !== undefined && hasBase(entries)
  }

  /**
   * The overrides of records that have no base, by record id and field (the last live entry of
   * each field): the overlay entries of a board's internal document (`sensitivity.ts`).
   */
  readOverlays(): Map<string, Map<string, JsonValue>> {
    const out = new Map<string, Map<string, JsonValue>>()
    for (const [id, entries] of this.records) {
      if (hasBase(entries) || entries.fields === null) continue
      const fields = new Map<string, JsonValue>()
      for (const [field, candidates] of entries.fields) {
        const value = candidates.at(-1)?.value
        if (value !== undefined && parseFieldPath(field)) fields.set(field, value)
      }
      if (fields.size > 0) out.set(id, fields)
    }
    return out
  }

  /**
   * Writes overlay entries inside the caller's transaction: per record id, each field replaces that
   * field's live entries; a record listed in `clear` loses every entry (base and overrides).
   */
  writeOverlay(
    tr: Y.Transaction,
    fields: ReadonlyMap<string, ReadonlyMap<string, JsonValue>>,
    clear: readonly string[],
    clearFields?: ReadonlyMap<string, readonly string[]>
  ): void {
    const pushes: LogEntry[] = []
    const deletes: EntryRef[] = []
    const clearing = new Set(clear)
    for (const [id, values] of fields) {
      const entries = this.records.get(id)
      for (const [field, value] of values) {
        const candidates = entries?.fields?.get(field)
        // An entry equal to the value stays, unless the record's entries are all cleared below.
        if (!clearing.has(id) && candidates?.length === 1 && jsonEqual(candidates[0]?.value ?? null, value)) continue
        pushes.push([id, field, value])
        if (candidates) deletes.push(...candidates)
      }
    }
    for (const [id, cleared] of clearFields ?? []) {
      const entries = this.records.get(id)
      for (const field of cleared) deletes.push(...(entries?.fields?.get(field) ?? []))
    }
    for (const id of clear) {
      const entries = this.records.get(id)
      if (!entries) continue
      deletes.push(...entries.bases)
      for (const candidates of (entries.fields ?? NO_FIELDS).values()) deletes.push(...candidates)
    }
    for (const ref of deletes) this.deleteEntry(tr, ref)
    if (deletes.length > 0 && this.log._searchMarker) this.log._searchMarker.length = 0
    if (pushes.length > 0) this.log.push(pushes)
  }

  /**
   * The records an update touches, before and after it, without touching the document: the live
   * entries minus `deletes` (by Yjs id; ids that are not live entries of the log are ignored),
   * plus `inserts` placed after every live entry, so they win as a local append would.
   *
   * Several updates judged one after another inside one transaction (the server's turn, [S4])
   * pass one {@link PreviewTurn}: the index catches up only when the transaction ends, so each
   * preview starts from what the turn's accepted updates left ({@link PreviewTurn.accept}), and an
   * entry one of them inserted (named by `insertIds`) can be deleted by a later one.
   */
  preview(
    inserts: readonly LogEntry[],
    deletes: readonly LogEntryId[],
    insertIds?: readonly LogEntryId[],
    turn?: PreviewTurn
  ): Map<string, RecordPreview> {
    const changed = new Map<string, RecordEntries>()
    // How the update changes the size of the live entries (while measuring) and the records that exist.
    let chars = 0
    let records = 0
    // Methods, not closures over this preview: it runs for every update received.
    for (const { client, clock } of deletes) {
      const item = this.liveItemAt(client, clock)
      const entry: unknown = item?.content.getContent()[clock - (item?.id.clock ?? 0)]
      if (!isLogEntry(entry)) continue
      const [recordId, field] = entry
      const copy = this.copyOf(changed, recordId, turn)
      const candidates = field === BASE_FIELD ? copy.bases : this.ownCandidates(recordId, copy, field, turn)
      const at = candidates?.findIndex((ref) => ref.client === client && ref.clock === clock) ?? -1
      if (candidates && at !== -1) chars -= candidates.splice(at, 1)[0]?.chars ?? 0
    }
    for (let i = 0; i < inserts.length; i++) {
      const [recordId, field, value] = inserts[i] as LogEntry // i < length
      const copy = this.copyOf(changed, recordId, turn)
      // Without an id (not in the document yet) it is never compared by position or deleted.
      const ref: EntryRef = { client: insertIds?.[i]?.client ?? -1, clock: insertIds?.[i]?.clock ?? -1, value, chars: this.measuring ? entryChars(recordId, field, value) : 0 }
      chars += ref.chars
      if (field === BASE_FIELD) copy.bases.push(ref)
      else {
        const candidates = this.ownCandidates(recordId, copy, field, turn)
        if (candidates) candidates.push(ref)
        else (copy.fields ??= new Map()).set(field, [ref])
      }
    }
    const out = new Map<string, RecordPreview>()
    for (const [id, copy] of changed) {
      const entries = this.previewBase(id, turn)
      const preview = { before: entries ? composeRecordSharing(entries) : null, after: composeRecordSharing(copy) }
      records += (preview.after !== null ? 1 : 0) - (preview.before !== null ? 1 : 0)
      out.set(id, preview)
    }
    if (turn) {
      turn.pending = changed
      // Written in place: a preview runs for every update received.
      turn.pendingSize.records = records
      turn.pendingSize.chars = chars
    }
    return out
  }

  /**
   * The record `id` as the updates a turn accepted so far left it ({@link PreviewTurn}), else as the
   * index holds it; null when it does not exist. For the record pass's look at records an update
   * does not touch (a parent of a shape it places): composed, shared as {@link preview}'s are.
   */
  readInTurn(id: string, turn: PreviewTurn | undefined): JsonObject | null {
    const entries = this.previewBase(id, turn)
    return entries ? composeRecordSharing(entries) : null
  }

  /** Record `id`'s entries a preview starts from: as the turn's accepted updates left them, else the index's. */
  private previewBase(id: string, turn: PreviewTurn | undefined): RecordEntries | undefined {
    return turn?.entriesOf(id) ?? this.records.get(id)
  }

  /**
   * Record `id`'s copy in `changed`, made on first use. A record's copy shares the candidates of the
   * fields the update leaves alone with the index (or the turn): only those it changes are copied,
   * when first changed ({@link ownCandidates}). Nothing changes the index's own until the
   * transaction ends, when the turn is over.
   */
  private copyOf(changed: Map<string, RecordEntries>, id: string, turn: PreviewTurn | undefined): RecordEntries {
    let copy = changed.get(id)
    if (!copy) {
      const entries = this.previewBase(id, turn)
      copy = { bases: entries ? [...entries.bases] : [], fields: entries?.fields ? new Map(entries.fields) : null, stamp: 0 }
      changed.set(id, copy)
    }
    return copy
  }

  /** `field`'s candidates in `copy` (of record `id`), copied first when still shared. */
  private ownCandidates(id: string, copy: RecordEntries, field: string, turn: PreviewTurn | undefined): EntryRef[] | undefined {
    const candidates = copy.fields?.get(field)
    if (candidates === undefined || candidates !== this.previewBase(id, turn)?.fields?.get(field)) return candidates
    const own = [...candidates]
    copy.fields?.set(field, own)
    return own
  }

  /** The live item of the log holding the entry `client`/`clock`, or null. */
  private liveItemAt(client: number, clock: number): Y.Item | null {
    const structs = this.doc.store.clients.get(client)
    const last = structs?.at(-1)
    if (!structs || !last || clock < 0 || clock >= last.id.clock + last.length) return null
    const struct = structs[Y.findIndexSS(structs, clock)]
    return struct instanceof Y.Item && struct.parent === this.log && !struct.deleted ? struct : null
  }

  subscribeOverlays(listener: OverlayListener): () => void {
    this.overlayListeners.add(listener)
    return () => this.overlayListeners.delete(listener)
  }

  subscribe(listener: RecordsListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  subscribeIds(listener: RecordIdsListener): () => void {
    this.idListeners.add(listener)
    return () => this.idListeners.delete(listener)
  }

  /**
   * Writes `changes` inside the caller's transaction: whole records where needed, else changed
   * fields; with `whole`, every put record is written whole (its old entries deleted), so no old
   * value survives in an entry that overrides cover.
   */
  write(tr: Y.Transaction, changes: RecordChanges, whole = false): void {
    const pushes: LogEntry[] = []
    const deletes: EntryRef[] = []
    const deleteAll = (entries: RecordEntries | undefined) => {
      if (!entries) return
      deletes.push(...entries.bases)
      for (const candidates of (entries.fields ?? NO_FIELDS).values()) deletes.push(...candidates)
    }
    for (const record of changes.put) {
      const id = record.id
      if (typeof id !== 'string') throw new Error('A record to write has no string id')
      const entries = this.records.get(id)
      const overrides = entries && !whole && this.overridesFor(entries, record)
      if (entries && overrides) {
        for (const [field, value] of overrides) {
          pushes.push([id, field, value])
          deletes.push(...(entries.fields?.get(field) ?? []))
        }
      } else {
        deleteAll(entries)
        pushes.push([id, BASE_FIELD, record])
      }
    }
    for (const id of changes.remove) deleteAll(this.records.get(id))
    for (const ref of deletes) this.deleteEntry(tr, ref)
    if (deletes.length > 0 && this.log._searchMarker) {
      // Entries were deleted by id, not by index, so Yjs's cached index positions are stale.
      this.log._searchMarker.length = 0
    }
    if (pushes.length > 0) this.log.push(pushes)
  }

  /**
   * The fields to override to turn the stored record into `record`, or null when it must be
   * written whole: it does not exist (new, or orphan overrides after a concurrent delete), a
   * field or container was removed or changed kind, or concurrent bases are left to clean up.
   */
  private overridesFor(entries: RecordEntries, record: JsonObject): Map<string, JsonValue> | null {
    const base = entries.bases.length === 1 ? entries.bases[0]?.value : undefined
    if (!isPlainObject(base) || typeof base.typeName !== 'string') return null
    // A field that disappears (from the base or an override) needs a new base.
    for (const key in base) if (record[key] === undefined) return null
    for (const field of (entries.fields ?? NO_FIELDS).keys()) {
      const dot = field.indexOf('.')
      const top = record[dot === -1 ? field : field.slice(0, dot)]
      if (top === undefined || (dot !== -1 && (!isPlainObject(top) || top[field.slice(dot + 1)] === undefined))) return null
    }
    const overrides = new Map<string, JsonValue>()
    for (const key in record) {
      const value = record[key]
      if (value === undefined) continue
      if (key.includes('.')) throw new Error(`Record field "${key}" contains ".", which the document layout reserves`)
      if (FLATTENED.has(key)) {
        const baseContainer = base[key]
        if (!isPlainObject(value) || !isPlainObject(baseContainer)) {
          if (jsonEqual(baseContainer ?? null, value)) continue
          return null
        }
        for (const sub in baseContainer) if (value[sub] === undefined) return null
        for (const sub in value) {
          const subValue = value[sub]
          if (subValue !== undefined) this.diffField(entries, `${key}.${sub}`, baseContainer[sub], subValue, overrides)
        }
      } else if (key === 'id' || key === 'typeName') {
        if (base[key] !== value) return null
      } else {
        this.diffField(entries, key, base[key], value, overrides)
      }
    }
    return overrides
  }

  /** Adds `field` to `overrides` unless its current value (override, else base) equals `value`. */
  private diffField(
    entries: RecordEntries,
    field: string,
    baseValue: JsonValue | undefined,
    value: JsonValue,
    overrides: Map<string, JsonValue>
  ): void {
    const candidates = entries.fields?.get(field)
    // Concurrent overrides of the field are rewritten, so the next write cleans them up.
    if (candidates && candidates.length > 1) return void overrides.set(field, value)
    const previous = candidates ? candidates[0]?.value : baseValue
    if (previous === undefined || !jsonEqual(previous, value)) overrides.set(field, value)
  }

  private deleteEntry(tr: Y.Transaction, ref: EntryRef): void {
    const id = Y.createID(ref.client, ref.clock)
    const item = Y.getItemCleanStart(tr, id)
    if (!(item instanceof Y.Item) || item.deleted) return
    // Split off the rest of a multi-entry item so only this entry is deleted.
    if (item.length > 1) Y.getItemCleanEnd(tr, this.doc.store, id)
    item.delete(tr)
  }

  private indexItem(item: Y.Item, touched: Set<string>): void {
    const content = item.content.getContent()
    for (let i = 0; i < content.length; i++) {
      const entry: unknown = content[i]
      if (!isLogEntry(entry)) continue
      const [recordId, field, value] = entry
      const ref: EntryRef = { client: item.id.client, clock: item.id.clock + i, value, chars: this.measuring ? entryChars(recordId, field, value) : 0 }
      this.chars += ref.chars
      const entries = this.records.get(recordId)
      touched.add(recordId)
      // A list is made holding its first entry: one made empty and then grown reserves room for 17.
      if (!entries) {
        const fields = field === BASE_FIELD ? null : new Map([[field, [ref]]])
        this.records.set(recordId, { bases: field === BASE_FIELD ? [ref] : [], fields, stamp: this.changes })
        continue
      }
      entries.stamp = this.changes
      const candidates = field === BASE_FIELD ? entries.bases : entries.fields?.get(field)
      if (candidates !== undefined && candidates.length > 0) this.insertInOrder(candidates, ref)
      else if (field === BASE_FIELD) entries.bases = [ref]
      else (entries.fields ??= new Map()).set(field, [ref])
    }
  }

  private unindexItem(item: Y.Item, touched: Set<string>): void {
    const content = item.content.getContent()
    for (let i = 0; i < content.length; i++) {
      const entry: unknown = content[i]
      if (!isLogEntry(entry)) continue
      const [recordId, field] = entry
      const entries = this.records.get(recordId)
      const candidates = field === BASE_FIELD ? entries?.bases : entries?.fields?.get(field)
      if (!entries || !candidates) continue
      const clock = item.id.clock + i
      const at = candidates.findIndex((ref) => ref.client === item.id.client && ref.clock === clock)
      if (at === -1) continue
      this.chars -= candidates.splice(at, 1)[0]?.chars ?? 0
      entries.stamp = this.changes
      if (candidates.length === 0 && field !== BASE_FIELD && entries.fields?.delete(field) && entries.fields.size === 0) entries.fields = null
      if (entries.bases.length === 0 && entries.fields === null) this.records.delete(recordId)
      touched.add(recordId)
    }
  }

  private applyTransaction(tr: Y.Transaction): void {
    const touched = new Set<string>()
    // Every entry this transaction indexes or unindexes is stamped with the new generation.
    this.changes++
    // Deletions first: a write replaces an entry by deleting the old one and pushing a new one.
    Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
      if (!(struct instanceof Y.Item) || struct.parent !== this.log) return
      // Entries added and deleted in the same transaction were never indexed.
      if (struct.id.clock >= (tr.beforeState.get(struct.id.client) ?? 0)) return
      this.unindexItem(struct, touched)
    })
    for (const [client, after] of tr.afterState) {
      const before = tr.beforeState.get(client) ?? 0
      const structs = after > before ? this.doc.store.clients.get(client) : undefined
      if (!structs) continue
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]
        if (!struct || struct.id.clock >= after) break
        if (struct instanceof Y.Item && struct.parent === this.log && !struct.deleted) this.indexItem(struct, touched)
      }
    }
    if (touched.size === 0) return
    if (this.overlayListeners.size > 0) {
      const overlays = new Set<string>()
      for (const id of touched) {
        const entries = this.records.get(id)
        if (!entries || !hasBase(entries)) overlays.add(id)
      }
      if (overlays.size > 0) for (const listener of this.overlayListeners) listener(overlays, tr)
    }
    const changes: RecordChanges = { put: [], remove: [] }
    const report = this.listeners.size > 0
    // Ids only: composing records is left to listeners that need them (off a server's relay path).
    const ids: string[] | undefined = this.idListeners.size > 0 ? [] : undefined
    for (const id of touched) {
      const entries = this.records.get(id)
      if (entries && hasBase(entries)) {
        this.live.add(id)
        ids?.push(id)
        // Kept, as `readAllKept` gives them: a record's `props` that no field overrides is the same
        // object in every change of it, so a page's store, which got that object when the shape was
        // created, finds a teammate's move left `props` unchanged by identity, not by comparing its
        // label's rich text (~10–20 ms per 1,000 remote moves; issue 14).
        const record = report ? composeRecordKept(entries) : null
        if (record) changes.put.push(record)
      } else if (this.live.delete(id)) {
        ids?.push(id)
        changes.remove.push(id)
      }
    }
    if (ids !== undefined && ids.length > 0) for (const listener of this.idListeners) listener(ids, tr)
    if (!report || (changes.put.length === 0 && changes.remove.length === 0)) return
    for (const listener of this.listeners) listener(changes, tr)
  }

  /** Inserts `ref` into `candidates` keeping document order (left to right). */
  private insertInOrder(candidates: EntryRef[], ref: EntryRef): void {
    let at = candidates.length
    while (at > 0 && this.isRightOf(candidates[at - 1] as EntryRef, ref)) at-- // at - 1 is in range
    candidates.splice(at, 0, ref)
  }

  /** True when entry `a` sits to the right of entry `b` in the log. */
  private isRightOf(a: EntryRef, b: EntryRef): boolean {
    const store = this.doc.store
    const itemA = Y.getItem(store, Y.createID(a.client, a.clock))
    const itemB = Y.getItem(store, Y.createID(b.client, b.clock))
    if (itemA === itemB) return a.clock > b.clock
    // Walk right from both at once: whichever meets the other, or the end, first decides.
    let fromA: Y.Item | null = itemA.right
    let fromB: Y.Item | null = itemB.right
    for (;;) {
      if (fromB === itemA || fromA === null) return true
      if (fromA === itemB || fromB === null) return false
      fromA = fromA.right
      fromB = fromB.right
    }
  }
}
