/**
 * Fields of a tldraw record at the granularity of the board's document layout (`docLayout.ts`):
 * top-level keys, and one level inside `props` and `meta` (`props.color`). History compares and
 * reverts records field by field at this granularity, the same at which concurrent edits merge.
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { isPlainObject } from '../../shared/FieldIndex.ts'

/** Containers whose keys are fields of their own (as in the document layout). */
const FLATTENED = ['props', 'meta'] as const

/** Deep equality of JSON values (undefined only equals undefined). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  // Loops, not closures: history compares every changed record after each relay ([H1]).
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  // Keys counted, not listed: two arrays per object compared (the record pass and history compare
  // every changed value of every update) were ~4 % of the bytes a relayed turn allocates.
  let keys = 0
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue
    if (!Object.hasOwn(b, key) || !jsonEqual(a[key], b[key])) return false
    keys++
  }
  for (const key in b) if (Object.hasOwn(b, key)) keys--
  return keys === 0
}

/** The fields whose values differ between two versions of one record. */
export function changedFields(a: JsonObject, b: JsonObject): string[] {
  const fields: string[] = []
  // Keys of `a`, then those only `b` has: the order of a set of both, without building one.
  for (const key in a) if (Object.hasOwn(a, key)) changedField(a, b, key, fields)
  for (const key in b) if (Object.hasOwn(b, key) && !Object.hasOwn(a, key)) changedField(a, b, key, fields)
  return fields
}

/** Adds `key` (or, in a container both have, its changed sub-fields) to `fields` when it differs. */
function changedField(a: JsonObject, b: JsonObject, key: string, fields: string[]): void {
  const va = a[key]
  const vb = b[key]
  if ((FLATTENED as readonly string[]).includes(key) && isPlainObject(va) && isPlainObject(vb)) {
    for (const sub in va) if (Object.hasOwn(va, sub) && !jsonEqual(va[sub], vb[sub])) fields.push(`${key}.${sub}`)
    for (const sub in vb) if (Object.hasOwn(vb, sub) && !Object.hasOwn(va, sub) && !jsonEqual(va[sub], vb[sub])) fields.push(`${key}.${sub}`)
  } else if (!jsonEqual(va, vb)) {
    fields.push(key)
  }
}

/** The value of `field` (`x`, `props.color`) in `record`; undefined when absent. */
export function getField(record: JsonObject, field: string): JsonValue | undefined {
  const dot = field.indexOf('.')
  if (dot === -1) return Object.hasOwn(record, field) ? record[field] : undefined
  const container = Object.hasOwn(record, field.slice(0, dot)) ? record[field.slice(0, dot)] : undefined
  const key = field.slice(dot + 1)
  return isPlainObject(container) && Object.hasOwn(container, key) ? container[key] : undefined
}

/**
 * A copy of `record` with `field` set to `value` (removed when undefined). Only the record and the
 * container the field sits in are copied; nested values are shared. Keys are defined, never
 * assigned, so a key such as `__proto__` stays an own data property.
 */
export function withField(record: JsonObject, field: string, value: JsonValue | undefined): JsonObject {
  return withFieldsOf(record, [field], () => value)
}

/**
 * {@link withField} for each of `fields` in turn, the value of each from `valueOf`: the same
 * record, with the record and each container copied once rather than once per field.
 */
export function withFieldsOf(record: JsonObject, fields: Iterable<string>, valueOf: (field: string) => JsonValue | undefined): JsonObject {
  const copy: JsonObject = { ...record }
  let copied: Map<string, JsonObject> | undefined
  for (const field of fields) {
    const value = valueOf(field)
    const dot = field.indexOf('.')
    if (dot === -1) {
      put(copy, field, value)
      copied?.delete(field)
      continue
    }
    const head = field.slice(0, dot)
    let container = copied?.get(head)
    if (container === undefined) {
      const current = Object.hasOwn(copy, head) ? copy[head] : undefined
      container = isPlainObject(current) ? { ...current } : {}
      put(copy, head, container)
      ;(copied ??= new Map()).set(head, container)
    }
    put(container, field.slice(dot + 1), value)
  }
  return copy
}

function put(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete target[key]
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
