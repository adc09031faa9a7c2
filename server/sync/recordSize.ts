/**
 * The JSON length of a composed record and of its capped parts (`meta`, `props.richText`), as
 * the size caps of the record pass measure them ([R2], `RECORD_LIMITS` in `checkRecordOps.ts`),
 * without stringifying the whole record on every change.
 *
 * `JSON.stringify(record).length` is 2 for the braces, plus for each own key whose value is not
 * undefined the key's JSON, a colon and the value's JSON, plus a comma between two keys. A
 * composed record (`composeRecord` in `shared/FieldIndex.ts`) holds the very values of its log
 * entries, which nothing mutates (records are read-only, `shared/docLayout.ts`): a value that is
 * the same object (or primitive) as last time has the same JSON. So each record keeps, per key,
 * the value it last held and that value's JSON length, and only values that are not the same are
 * stringified again; `props` and `meta` are measured the same way one level down, as a record's
 * fields are stored one level down. The length is exact, not an estimate: it equals the length of
 * the stringified record whatever changed, and how many fields.
 */
import type * as Y from 'yjs'

/**
 * The keys of a measured object in the order they were met, the value each held and the JSON
 * lengths of key and value (`subs`: of a container measured by its own keys). A composed record
 * lists its keys in the same order from one change to the next, so they are matched by position
 * first, and by name only when the order changed.
 */
type Parts = { keys: string[]; values: unknown[]; keyChars: number[]; valueChars: number[]; subs: (Parts | undefined)[] }

const emptyParts = (): Parts => ({ keys: [], values: [], keyChars: [], valueChars: [], subs: [] })

/** The containers a record's fields are stored one level into (`FLATTENED` in `shared/FieldIndex.ts`). */
const CONTAINERS = new Set(['props', 'meta'])

/**
 * A record measured once only: its parts are kept from its second measure on. Most records are
 * written once (created, then never changed: ~2 KB of parts each, 4 MB for 100 boards of 20
 * notes, issue 14), and the first change after that pays one whole measure, as the creation did.
 */
const ONCE = 0
/** Per doc, the parts of each record last measured, or {@link ONCE}. */
const measured = new WeakMap<Y.Doc, Map<string, Parts | typeof ONCE>>()
/** More measured records than this in one doc (records created and deleted over and over): start again. */
const MAX_MEASURED = 50_000

/** JSON lengths of a record and of its capped parts (undefined where the record has no such part). */
export type RecordSize = { chars: number; metaChars: number | undefined; richTextChars: number | undefined }

/** A plain JSON object: one `JSON.stringify` writes as its own enumerable keys, and nothing else. */
function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

/**
 * Measures `object` against the parts it had last time (updated in place to what it has now) and
 * returns its JSON length. `nested`: whether `props` and `meta` are measured by their own keys.
 */
function measure(object: Record<string, unknown>, parts: Parts, nested: boolean): number {
  let chars = 2
  let n = 0
  // The parts as they were, by key: made only when a key is not where it was last time.
  let old: { parts: Parts; at: Map<string, number> } | undefined
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue
    const value = object[key]
    if (value === undefined) continue // JSON.stringify leaves such a key out
    // The common case: the key where it was, holding the value it held (a container too: the
    // guard's preview shares one no field overrides, and its parts below still hold its keys).
    if (old === undefined && parts.keys[n] === key && parts.values[n] === value) {
      chars += (parts.keyChars[n] as number) + 1 + (parts.valueChars[n] as number) // n indexes a part: its key matched
      n++
      continue
    }
    let from = n // where this key's last value and lengths are in `source`, or -1
    let source = parts
    if (old === undefined && (n >= parts.keys.length || parts.keys[n] !== key)) {
      const copy: Parts = { keys: parts.keys.slice(), values: parts.values.slice(), keyChars: parts.keyChars.slice(), valueChars: parts.valueChars.slice(), subs: parts.subs.slice() }
      old = { parts: copy, at: new Map(copy.keys.map((k, i) => [k, i])) }
    }
    if (old !== undefined) {
      source = old.parts
      from = old.at.get(key) ?? -1
    }
    const keyChars = from >= 0 ? (source.keyChars[from] as number) : JSON.stringify(key).length // `from` indexes a part
    let valueChars: number
    let subs: Parts | undefined
    if (nested && CONTAINERS.has(key) && isPlain(value)) {
      subs = (from >= 0 ? source.subs[from] : undefined) ?? emptyParts()
      valueChars = measure(value, subs, false)
    } else if (from >= 0 && source.values[from] === value && source.subs[from] === undefined) {
      valueChars = source.valueChars[from] as number // `from` indexes a part
    } else {
      valueChars = JSON.stringify(value).length
    }
    parts.keys[n] = key
    parts.values[n] = value
    parts.keyChars[n] = keyChars
    parts.valueChars[n] = valueChars
    parts.subs[n] = subs
    chars += keyChars + 1 + valueChars
    n++
  }
  if (parts.keys.length > n) {
    parts.keys.length = n
    parts.values.length = n
    parts.keyChars.length = n
    parts.valueChars.length = n
    parts.subs.length = n
  }
  return n === 0 ? chars : chars + n - 1
}

/** The JSON length of the value `parts` last measured for `key`, if it has one. */
function charsOf(parts: Parts | undefined, key: string): number | undefined {
  const i = parts ? parts.keys.indexOf(key) : -1
  return i >= 0 ? parts?.valueChars[i] : undefined
}

/** The parts of the container `key` last measured by its own keys, if any. */
function subsOf(parts: Parts, key: string): Parts | undefined {
  const i = parts.keys.indexOf(key)
  return i >= 0 ? parts.subs[i] : undefined
}

/**
 * The JSON length of `record` (a composed record of `doc`, id `id`) and of its `meta` and
 * `props.richText`: exactly `JSON.stringify(x).length` of each, computed from the lengths of the
 * values it held when last measured and of the values that changed since.
 * @example
 * const size = recordSize(doc, id, after)
 * if (size.chars > RECORD_LIMITS.recordChars) refuse('too large')
 */
export function recordSize(doc: Y.Doc, id: string, record: Record<string, unknown>): RecordSize {
  let records = measured.get(doc)
  if (!records || records.size > MAX_MEASURED) measured.set(doc, (records = new Map()))
  let parts = records.get(id)
  if (parts === undefined) {
    records.set(id, ONCE)
    parts = emptyParts() // measured into and dropped
  } else if (parts === ONCE) {
    records.set(id, (parts = emptyParts()))
  }
  const chars = measure(record, parts, true)
  return { chars, metaChars: charsOf(parts, 'meta'), richTextChars: charsOf(subsOf(parts, 'props'), 'richText') }
}

/** How many records of `doc` have their parts kept (measured more than once); for the tests of issue 14. */
export function keptRecordSizes(doc: Y.Doc): number {
  let kept = 0
  for (const parts of measured.get(doc)?.values() ?? []) if (parts !== ONCE) kept++
  return kept
}

/** Forgets the measured parts of records `ids` of `doc` (records an update deleted). */
export function forgetRecordSizes(doc: Y.Doc, ids: Iterable<string>): void {
  const records = measured.get(doc)
  if (records) for (const id of ids) records.delete(id)
}
