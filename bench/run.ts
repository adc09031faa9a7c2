/**
 * `npm run bench`: runs the suites of `bench/suites/index.ts` in order, prints one table per
 * suite with the ratio of ours to the best other candidate, and keeps the latest results in
 * `docs/benchmarks.md`.
 *
 * Environment (parsed once, here):
 * - `BENCH_QUICK=1`: small sizes and short runs (a smoke test, about a minute); not written to the docs.
 * - `BENCH_ONLY=<suite>`: run one suite (e.g. `server`); its docs section is still updated.
 * - `BENCH_CANDIDATES=a,b`: run only these candidates (e.g. `keyplan,hocuspocus`).
 * - `BENCH_SCENARIO=<text>`: run only scenarios whose name contains the text (e.g. `throughput`).
 * Quick runs and runs filtered by candidate or scenario leave `docs/benchmarks.md` alone.
 *
 * The bench raises its own scheduling priority (nice -10) when allowed; servers and client
 * processes inherit it, so other work on a shared machine disturbs the measurements less.
 */
import { availableParallelism, cpus, getPriority, setPriority, tmpdir, totalmem } from 'node:os'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { updateDocs } from './docsFile.ts'
import { formatMarkdown, formatText, type RunInfo, type SuiteReport } from './report.ts'
import { SUITES } from './suites/index.ts'

const DOCS = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url))

const EnvSchema = z.object({
  BENCH_QUICK: z
    .enum(['', '0', '1', 'true', 'false'])
    .default('')
    .transform((v) => v === '1' || v === 'true'),
  BENCH_ONLY: z
    .string()
    .optional()
    .refine((v) => !v || SUITES.some((s) => s.name === v), { message: `must be one of: ${SUITES.map((s) => s.name).join(', ')}` }),
  BENCH_SCENARIO: z.string().optional(),
  BENCH_CANDIDATES: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined)),
})

function parseEnv() {
  const parsed = EnvSchema.safeParse(process.env)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`bench: ${issue.path.join('.')}: ${issue.message}`)
    process.exit(2)
  }
  return parsed.data
}

/** Scheduling priority for the bench and everything it starts (children inherit it). */
const BENCH_NICE = -10

/** Raises this process's priority if permitted; returns the nice value it runs at. */
function raisePriority(): number {
  try {
    setPriority(BENCH_NICE)
  } catch {
    // Not permitted (not root, no CAP_SYS_NICE): run at normal priority; the info line says so.
  }
  return getPriority()
}

async function main(): Promise<void> {
  const env = parseEnv()
  const nice = raisePriority()
  const info: RunInfo = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: `${availableParallelism()} cores (nproc), ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, nice ${nice}`,
    node: process.versions.node,
    quick: env.BENCH_QUICK,
  }
  const suites = SUITES.filter((s) => !env.BENCH_ONLY || s.name === env.BENCH_ONLY)
  const log = (message: string) => process.stderr.write(`${message}\n`)
  const reports: SuiteReport[] = []
  for (const suite of suites) {
    const tmpDir = await mkdtemp(join(tmpdir(), `keyplan-bench-${suite.name}-`))
    const started = performance.now()
    log(`suite ${suite.name}${env.BENCH_QUICK ? ' (quick)' : ''}`)
    try {
      const result = await suite.run({ quick: env.BENCH_QUICK, candidates: env.BENCH_CANDIDATES, scenario: env.BENCH_SCENARIO, tmpDir, log })
      reports.push({ suite, result, info, seconds: (performance.now() - started) / 1000 })
    } finally {
      await rm(tmpDir, { recursive: true, force: true })
    }
  }
  for (const report of reports) console.log(`\n${formatText(report)}\n`)
  if (env.BENCH_QUICK || env.BENCH_CANDIDATES || env.BENCH_SCENARIO) {
    log('(quick or filtered run: docs/benchmarks.md left unchanged)')
    return
  }
  await updateDocs(DOCS, new Map(reports.map((r) => [r.suite.name, formatMarkdown(r)])))
  log(`wrote ${DOCS}`)
}

await main()
