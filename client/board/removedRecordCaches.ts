import type { TLRecord, TLStore } from 'tldraw'

/**
 * Makes the store's computed caches (`store.createComputedCache`, which tldraw's editor uses for
 * every shape's geometry, page transform, clip path, handles, fonts, …) answer `undefined` for a
 * record that was removed, instead of running their functions on it. Call on a new store, before
 * an editor uses it (issue 14, docs/upstream-reports.md).
 *
 * When a shape is removed, its component is still mounted until React renders the removal, and
 * its reactors check whether what they read changed: each cache entry they read re-derives from
 * the removed record, which tldraw's store hands over as its "uninitialised" marker (a symbol).
 * The record comparisons and derivations then throw on it (`shape.id` of a symbol's missing
 * property, "No shape util found for type undefined"), several errors per shape, each with its
 * message and stack built and then caught by the signals library: about half of the store's work
 * when a teammate removes 1,000 shapes. A cache entry of a removed record has nothing to compute;
 * `undefined` is what the cache answers for a record it does not have, and the comparisons of
 * records and of results are not run on either.
 */
export function skipRemovedRecordsInCaches(store: TLStore): void {
  const create = store.createComputedCache.bind(store)
  store.createComputedCache = (name, derive, opts) =>
    create(name, (record) => (isRecord(record) ? derive(record) : undefined), {
      ...opts,
      ...(opts?.areRecordsEqual && {
        areRecordsEqual: (a, b) => (isRecord(a) && isRecord(b) ? opts.areRecordsEqual?.(a, b) === true : a === b),
      }),
      // The result for a removed record is undefined, which tldraw's comparisons (of lists of
      // fonts, say) do not expect either.
      ...(opts?.areResultsEqual && {
        areResultsEqual: (a, b) => (a === undefined || b === undefined ? a === b : opts.areResultsEqual?.(a, b) === true),
      }),
    })
}

/** False for the marker tldraw's store leaves in a removed record's signal. */
function isRecord(value: unknown): value is TLRecord {
  return typeof value === 'object' && value !== null
}
