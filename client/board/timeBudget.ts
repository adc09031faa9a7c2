/**
 * Sizes chunks of queued work so that one browser task stays short however slow the machine is at
 * the moment (issue 14: a large remote batch of new shapes, where tldraw lays out each one as it
 * enters the store and React mounts it right after, in the same task). One chunk per task: each
 * chunk pays a fixed cost (tldraw's flush, React's re-render of the whole shape list), so a task
 * takes one chunk as large as its budget holds rather than several small ones.
 */
export interface TimeBudget {
  /** How many items the next task may take, when `spentMs` of its budget went to other work already. */
  items(spentMs?: number): number
  /** Reports that a task took `count` items in `ms`, everything they cost in the task included. */
  measured(count: number, ms: number): void
}

/** Options of {@link timeBudget}. */
export interface TimeBudgetOptions {
  /** Milliseconds one task may spend. */
  budgetMs: number
  /** What an item is assumed to cost until one has been measured. */
  firstGuessMs?: number
  /** At most this many items per task. */
  maxItems?: number
  /**
   * At least this many items per task: where a task's fixed cost can fill the budget alone, so
   * that a busy moment cannot split the work into many tasks that each pay that cost. A task of
   * fewer items (all there was) is not measured: its fixed cost says nothing of an item's.
   */
  minItems?: number
}

/** A task takes at most this many times the items of the last measured one. */
const GROWTH = 1.5

/**
 * A {@link TimeBudget} that keeps its estimate of an item's cost between tasks and batches. The
 * estimate is the last task's cost per item, fixed cost included, so tasks settle where the fixed
 * cost plus their items fill the budget; a task grows at most {@link GROWTH}× over the last one,
 * so one cheap measurement cannot make the next task long.
 * @example
 * const budget = timeBudget({ budgetMs: 30 })
 * const started = performance.now()
 * const count = applyNext(budget.items())
 * queueMicrotask(() => budget.measured(count, performance.now() - started)) // after React's render
 */
export function timeBudget({ budgetMs, firstGuessMs = 2, maxItems = 200, minItems = 1 }: TimeBudgetOptions): TimeBudget {
  let msPerItem = firstGuessMs
  let last = 0
  return {
    items(spentMs = 0) {
      const fit = Math.floor((budgetMs - spentMs) / msPerItem)
      const grown = last > 0 ? Math.ceil(last * GROWTH) : maxItems
      return Math.max(minItems, Math.min(maxItems, grown, fit))
    },
    measured(count, ms) {
      if (count <= 0 || count < minItems) return
      last = count
      msPerItem = Math.max(ms, 0.01) / count
    },
  }
}
