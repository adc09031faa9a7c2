import type { JsonObject, JsonValue } from '@tldraw/utils'

/**
 * Helpers of the binding's remote-apply path (`bindStoreToYDoc.ts`): keeping tldraw's objects
 * when a remote record did not change them, and putting a local edit on top of remote changes
 * that are not in the store yet.
 */

/**
 * `next`, with every nested object or array that is deep-equal to the one at the same place in
 * `prev` replaced by `prev`'s: returns `prev` itself when the two are deep-equal. tldraw caches
 * shape geometry, rendered text and more by the identity of `props` (and of values inside it,
 * such as `richText`), so a remote record that hands it equal but new objects makes it redo that
 * work for every shape of a batch. Neither argument is modified.
 * @example
 * const kept = shareUnchanged(store.get(id), remoteRecord) // kept.props === old props if only x moved
 */
export function shareUnchanged<T>(prev: T, next: T): T {
  if (Object.is(prev, next)) return prev
  if (typeof prev !== 'object' || typeof next !== 'object' || prev === null || next === null) return next
  if (Array.isArray(prev)) {
    if (!Array.isArray(next)) return next
    let same = prev.length === next.length
    const shared = next.map((value: unknown, i) => {
      const kept = i < prev.length ? shareUnchanged<unknown>(prev[i], value) : value
      if (kept !== prev[i]) same = false
      return kept
    })
    return same ? prev : (shared as T) // an array like next
  }
  if (Array.isArray(next)) return next
  const before = prev as Record<string, unknown> // a plain JSON object (records are JSON)
  const after = next as Record<string, unknown> // as above
  let same = Object.keys(before).length === Object.keys(after).length
  const shared: Record<string, unknown> = {}
  for (const key of Object.keys(after)) {
    const kept = key in before ? shareUnchanged(before[key], after[key]) : after[key]
    if (kept !== before[key] || !(key in before)) same = false
    shared[key] = kept
  }
  return same ? prev : (shared as T) // an object like next
}

/** Nested objects whose keys the document layout writes one by one (`shared/docLayout.ts`). */
const FLATTENED = new Set(['props', 'meta'])

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * `remote` with the fields a local edit changed (from `from` to `to`) set as in `to`: the local
 * edit replayed on top of a remote version of the record that the store has not shown yet.
 * Fields are compared at the document layout's granularity (top-level keys, and keys of `props`
 * and `meta`), so a remote change to another field survives the local edit.
 * @example
 * rebaseLocalEdit(remoteWithNewText, storeBeforeDrag, storeAfterDrag) // new text, dragged x and y
 */
export function rebaseLocalEdit(remote: JsonObject, from: JsonObject, to: JsonObject): JsonObject {
  return overlayChanges(remote, from, to, true)
}

function overlayChanges(remote: JsonObject, from: JsonObject, to: JsonObject, topLevel: boolean): JsonObject {
  const merged: JsonObject = { ...remote }
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const before = from[key]
    const after = to[key]
    if (before === after) continue
    const remoteValue = remote[key]
    if (topLevel && FLATTENED.has(key) && isObject(before) && isObject(after) && isObject(remoteValue)) {
      merged[key] = overlayChanges(remoteValue, before, after, false)
    } else if (!(key in to)) {
      delete merged[key]
    } else if (shareUnchanged(before, after) !== before) {
      merged[key] = after
    }
  }
  return merged
}
