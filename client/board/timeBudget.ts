/**
 * Sizes chunks of queued work so that one browser task stays short however slow the machine is at
 * the moment (issue 14: a large remote batch of new shapes, where tldraw lays out each one as it
 * enters the store and React mounts it right after, in the same task). One chunk per task: each
 * chunk pays a fixed cost (tldraw's flush, React's re-render of the whole shape list), so a task
 * takes one chunk as large as its budget holds rather than several small ones.
 */
export interface TimeBudget {
  /**
   * How many items the next task may take, when `spentMs` of its budget went to other work already.
   * `withFrame`: the page renders the items in the same task (the task is an animation frame's
   * callback), so their rendering ({@link measuredFrame}) counts against the budget too.
   */
  items(spentMs?: number, withFrame?: boolean): number
  /** Reports that a task took `count` items in `ms`, everything they cost in the task included. */
  measured(count: number, ms: number): void
  /**
   * Reports that the frame rendered right after a task of `count` items (style, layout and paint of
   * what they added, in a task of its own) took `ms`. Tasks are then also sized so that their
   * frame fits the budget.
   */
  measuredFrame(count: number, ms: number): void
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
 * so one cheap measurement cannot make the next task long. The items that fit are rounded up: with
 * a fixed cost of more than half the budget (a busy machine), rounding down kept a task of one
 * item at one item for good (one item "cost" the fixed cost, so two never fitted), and 1,000 new
 * shapes took 1,000 tasks that each paid the fixed cost (docs/sync-server-targets.md, 2026-12-04,
 * twelfth session). Rounded up, the sizes climb to where fixed cost plus items fill the budget.
 * @example
 * const budget = timeBudget({ budgetMs: 30 })
 * const started = performance.now()
 * const count = applyNext(budget.items())
 * queueMicrotask(() => budget.measured(count, performance.now() - started)) // after React's render
 */
export function timeBudget({ budgetMs, firstGuessMs = 2, maxItems = 200, minItems = 1 }: TimeBudgetOptions): TimeBudget {
  let msPerItem = firstGuessMs
  /** The rendering of an item in the frame after its task; 0 until measured. */
  let frameMsPerItem = 0
  let last = 0
  /** Items that fit `ms`, rounded up (a float's last digit aside). */
  const fitting = (ms: number, perItem: number) => (perItem > 0 ? Math.ceil(ms / perItem - 1e-9) : Number.POSITIVE_INFINITY)
  return {
    items(spentMs = 0, withFrame = false) {
      const fit = withFrame
        ? fitting(budgetMs - spentMs, msPerItem + frameMsPerItem)
        : Math.min(fitting(budgetMs - spentMs, msPerItem), fitting(budgetMs, frameMsPerItem))
      const grown = last > 0 ? Math.ceil(last * GROWTH) : maxItems
      return Math.max(minItems, Math.min(maxItems, grown, fit))
    },
    measured(count, ms) {
      if (count <= 0 || count < minItems) return
      last = count
      msPerItem = Math.max(ms, 0.01) / count
    },
    measuredFrame(count, ms) {
      if (count <= 0 || count < minItems) return
      frameMsPerItem = Math.max(ms, 0) / count
    },
  }
}
