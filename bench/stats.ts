/** Nearest-rank percentile of `sorted` (ascending), `p` in 0..100. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

/** Median of unsorted values: the middle one, or the mean of the middle two. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const upper = sorted[sorted.length >> 1] ?? Number.NaN
  if (sorted.length % 2 === 1) return upper
  return ((sorted[(sorted.length >> 1) - 1] ?? Number.NaN) + upper) / 2
}

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
}

/**
 * Median wall time in ms of `runs` calls of `fn`, after `warmups` unmeasured calls (to warm up the
 * JIT). An async `fn` is timed until its promise settles; a sync one adds no await to the timing.
 */
export async function timeMedian(runs: number, warmups: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const result = fn()
    if (result instanceof Promise) await result
    samples.push(performance.now() - started)
  }
  return median(samples)
}
