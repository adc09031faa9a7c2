/**
 * Fields of a tldraw record at the granularity of the board's document layout (`docLayout.ts`):
 * top-level keys, and one level inside `props` and `meta` (`props.color`). History compares and
 * reverts records field by field at this granularity, the same at which concurrent edits merge.
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'

/** Containers whose keys are fields of their own (as in the document layout). */
const FLATTENED = ['props', 'meta'] as const

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Deep equality of JSON values (undefined only equals undefined). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => jsonEqual(item, b[i]))
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
}

/** The fields whose values differ between two versions of one record. */
export function changedFields(a: JsonObject, b: JsonObject): string[] {
  const fields: string[] = []
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const va = a[key]
    const vb = b[key]
    if ((FLATTENED as readonly string[]).includes(key) && isPlainObject(va) && isPlainObject(vb)) {
      for (const sub of new Set([...Object.keys(va), ...Object.keys(vb)])) {
        if (!jsonEqual(va[sub], vb[sub])) fields.push(`${key}.${sub}`)
      }
    } else if (!jsonEqual(va, vb)) {
      fields.push(key)
    }
  }
  return fields
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
  const copy: JsonObject = { ...record }
  const dot = field.indexOf('.')
  if (dot === -1) {
    put(copy, field, value)
    return copy
  }
  const head = field.slice(0, dot)
  const current = Object.hasOwn(copy, head) ? copy[head] : undefined
  const container: JsonObject = isPlainObject(current) ? { ...current } : {}
  put(container, field.slice(dot + 1), value)
  put(copy, head, container)
  return copy
}

function put(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete target[key]
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
