/**
 * Spends a time budget on queued work in chunks, each sized from what the ones before cost, so that
 * one browser task stays short however slow the machine is at the moment (issue 14: a large remote
 * batch of new shapes, where tldraw lays out each one as it enters the store).
 */
export interface TimeBudget {
  /**
   * Calls `apply(max)` (apply up to `max` items, return how many were applied) until it applies
   * none or the budget is spent; the first call gets at least one item, so work always advances.
   * Returns the number of items applied.
   */
  run(apply: (max: number) => number): number
}

/** Options of {@link timeBudget}. */
export interface TimeBudgetOptions {
  /** Milliseconds one {@link TimeBudget.run} may spend. */
  budgetMs: number
  /** The clock, in milliseconds. Default: `performance.now`. */
  now?: () => number
  /** What an item is assumed to cost until one has been measured. */
  firstGuessMs?: number
  /** At most this many items per `apply` call. */
  maxChunk?: number
}

/**
 * A {@link TimeBudget} that keeps its estimate of an item's cost between runs.
 * @example
 * const budget = timeBudget({ budgetMs: 8 })
 * budget.run((max) => applyNext(max)) // one task's share; schedule another task if work is left
 */
export function timeBudget({ budgetMs, now = () => performance.now(), firstGuessMs = 2, maxChunk = 100 }: TimeBudgetOptions): TimeBudget {
  let msPerItem = firstGuessMs
  return {
    run(apply) {
      const started = now()
      let applied = 0
      for (;;) {
        const left = budgetMs - (now() - started)
        // Another chunk only if an item fits: each chunk pays its own fixed cost (tldraw's flush).
        if (applied > 0 && left < msPerItem) break
        const max = Math.min(maxChunk, Math.max(1, Math.floor(left / msPerItem)))
        const before = now()
        const count = apply(max)
        if (count === 0) break
        applied += count
        // Mostly the latest chunk's cost: the machine's load changes from one second to the next.
        msPerItem = (msPerItem + (now() - before) / count) / 2
      }
      return applied
    },
  }
}
