/**
 * The contract between `bench/run.ts` and the suites in `bench/suites/`.
 *
 * A suite compares its own set of candidates (columns): the server suite compares servers,
 * a layout suite could compare document layouts. Each row is one measurement of every
 * candidate; the runner prints one table per suite with the ratio baseline / best other.
 *
 * @example
 * export const layoutSuite: Suite = {
 *   name: 'layout',
 *   title: 'Document layouts',
 *   columns: ['y-map', 'y-keyvalue'],
 *   baseline: 'y-map',
 *   async run(opts) {
 *     return [{ suite: 'layout', scenario: 'encode 5k shapes', metric: 'size', unit: 'KB',
 *       better: 'lower', values: { 'y-map': 812, 'y-keyvalue': 640 } }]
 *   },
 * }
 */

/** Which direction of a metric is good. */
export type Better = 'lower' | 'higher'

/** One measurement, across all of a suite's candidates. */
export interface Row {
  suite: string
  scenario: string
  metric: string
  unit: string
  better: Better
  /** Value per candidate column; a missing key means the candidate did not run. */
  values: Record<string, number>
  /** A context number (CPU share, payload size), shown without a ratio or verdict. */
  informational?: boolean
  /** Column the ratio is computed for; defaults to the suite's baseline. */
  baseline?: string
  /** Printed under the table, e.g. how the number was measured. */
  note?: string
}

/**
 * Something a reader must not miss: a candidate that lost updates, did not converge, served
 * an empty document, or could not run. Printed under the suite's table and kept in the docs.
 */
export interface Warning {
  /**
   * correctness: lost, late or diverged data (the candidate's numbers get a ⚠ in the table);
   * noise: the machine was busy; failed: the candidate did not run. Absent means correctness.
   */
  kind?: 'correctness' | 'noise' | 'failed'
  suite: string
  candidate: string
  scenario: string
  message: string
}

/** What a suite hands back: its rows, plus warnings about correctness or skipped candidates. */
export interface SuiteResult {
  rows: Row[]
  warnings: Warning[]
}

/** Options every suite receives from the runner. */
export interface SuiteOptions {
  /** Small sizes and short durations for a smoke run (`BENCH_QUICK=1`). */
  quick: boolean
  /** Restrict the candidates run (`BENCH_CANDIDATES=a,b`); undefined means all. */
  candidates: readonly string[] | undefined
  /** Run only scenarios whose name contains this text (`BENCH_SCENARIO=throughput`). */
  scenario?: string | undefined
  /** A fresh directory the suite may write to; the runner removes it afterwards. */
  tmpDir: string
  /** Progress output (stderr), so stdout stays the result table. */
  log: (message: string) => void
}

/** A benchmark suite: a module in `bench/suites/` registered in `bench/suites/index.ts`. */
export interface Suite {
  /** Short id used by `BENCH_ONLY=<name>` and in the docs section markers. */
  name: string
  /** Heading in the printed table and in `docs/benchmarks.md`. */
  title: string
  /** What is compared and how, one paragraph of markdown, kept in the docs. */
  description: string
  /** Candidate columns, in print order. */
  columns: readonly string[]
  /** The candidate the ratio column is about (ours). */
  baseline: string
  run(opts: SuiteOptions): Promise<SuiteResult>
}
