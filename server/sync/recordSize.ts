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

/** One key of a measured object: the value it held and the JSON lengths of key and value. */
type Part = { value: unknown; keyChars: number; valueChars: number; subs: Parts | undefined }
type Parts = Map<string, Part>

/** The containers a record's fields are stored one level into (`FLATTENED` in `shared/FieldIndex.ts`). */
const CONTAINERS = new Set(['props', 'meta'])

/** Per doc, the parts of each record last measured. */
const measured = new WeakMap<Y.Doc, Map<string, Parts>>()
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
  let keys = 0
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue
    const value = object[key]
    if (value === undefined) continue // JSON.stringify leaves such a key out
    keys++
    let part = parts.get(key)
    if (nested && CONTAINERS.has(key) && isPlain(value)) {
      if (!part) parts.set(key, (part = { value, keyChars: JSON.stringify(key).length, valueChars: 0, subs: new Map() }))
      part.subs ??= new Map()
      part.value = value
      part.valueChars = measure(value, part.subs, false)
    } else if (!part) {
      parts.set(key, (part = { value, keyChars: JSON.stringify(key).length, valueChars: JSON.stringify(value).length, subs: undefined }))
    } else if (part.value !== value || part.subs) {
      part.value = value
      part.valueChars = JSON.stringify(value).length
      part.subs = undefined
    }
    chars += part.keyChars + 1 + part.valueChars
  }
  // Every key of `object` is in `parts` now: more parts means keys `object` no longer has.
  if (parts.size > keys) {
    for (const key of parts.keys()) if (!Object.hasOwn(object, key) || object[key] === undefined) parts.delete(key)
  }
  return keys === 0 ? chars : chars + keys - 1
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
  if (!parts) records.set(id, (parts = new Map()))
  const chars = measure(record, parts, true)
  const meta = parts.get('meta')
  const richText = parts.get('props')?.subs?.get('richText')
  return { chars, metaChars: meta?.valueChars, richTextChars: richText?.valueChars }
}

/** Forgets the measured parts of records `ids` of `doc` (records an update deleted). */
export function forgetRecordSizes(doc: Y.Doc, ids: Iterable<string>): void {
  const records = measured.get(doc)
  if (records) for (const id of ids) records.delete(id)
}
