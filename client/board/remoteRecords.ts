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
    // A new array only once an element differs: a remote batch compares thousands of unchanged
    // values, and garbage was a third of its time.
    let shared: unknown[] | undefined
    for (let i = 0; i < next.length; i++) {
      const kept = i < prev.length ? shareUnchanged<unknown>(prev[i], next[i]) : next[i]
      if (!shared && (i >= prev.length || kept !== prev[i])) shared = prev.slice(0, i)
      if (shared) shared.push(kept)
    }
    if (shared) return shared as T // an array like next
    return prev.length === next.length ? prev : (prev.slice(0, next.length) as T) // next is a prefix of prev
  }
  if (Array.isArray(next)) return next
  const before = prev as Record<string, unknown> // a plain JSON object (records are JSON)
  const after = next as Record<string, unknown> // as above
  let shared: Record<string, unknown> | undefined
  for (const key in after) {
    const kept = key in before ? shareUnchanged(before[key], after[key]) : after[key]
    if (!shared && (kept !== before[key] || !(key in before))) {
      // Keys before this one kept prev's values.
      shared = {}
      for (const earlier in after) {
        if (earlier === key) break
        shared[earlier] = before[earlier]
      }
    }
    if (shared) shared[key] = kept
  }
  if (shared) return shared as T // an object like next
  // Every key of next is in prev with the same value: prev, unless it has more keys.
  let extra = false
  for (const key in before) if (!(key in after)) extra = true
  if (!extra) return prev
  // prev has keys next lacks; every key of next kept prev's value.
  const trimmed: Record<string, unknown> = {}
  for (const key in after) trimmed[key] = before[key]
  return trimmed as T // an object like next
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
