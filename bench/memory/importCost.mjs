/**
 * What importing one module costs a fresh Node process (issue 14): for each module named, a new
 * `node --expose-gc` imports it (with everything it imports), forces two GCs and reports VmRSS,
 * V8's heap (used, and the young generation's committed size), `external`, and the pages of the
 * node binary's embedded ICU data it touched; less the same for a process that imports nothing.
 *
 *   node bench/memory/importCost.mjs zod yjs dist/relaycost/server/sync/Connection.js …
 *
 * Bare names resolve from the repository (node_modules); paths are relative to it. Costs include
 * the module's own imports, so a package already paid for by another is counted in both.
 * `BASE="a b"`: modules imported first by every process, the baseline too (costs on top of them).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const ROUNDS = Number(process.env.ROUNDS ?? 3)
// The embedded ICU data's address range in the node binary (non-PIE), for the icu column.
function icuRange() {
  try {
    const line = execFileSync('nm', ['-S', process.execPath], { encoding: 'utf8', maxBuffer: 2 ** 28 }).split('\n').find((l) => /icudt\d+_dat$/.test(l))
    if (!line) return undefined
    const [start, size] = line.split(' ').map((h) => BigInt(`0x${h}`))
    return `${start.toString(16)}:${(start + size).toString(16)}`
  } catch {
    return undefined
  }
}
const ICU_RANGE = icuRange()
const toUrl = (spec) => (spec.startsWith('.') || spec.startsWith('dist/') ? pathToFileURL(resolve(REPO, spec)).href : spec)
const BASE_MODULES = (process.env.BASE ?? '').split(' ').filter(Boolean).map(toUrl).join(' ')

// Runs in the child: import, settle, measure.
const probe = `
import v8 from 'node:v8'
import { readFileSync } from 'node:fs'
const spec = process.argv[1]
for (const base of (process.env.BASE_MODULES ?? '').split(' ').filter(Boolean)) await import(base)
if (spec !== '-') await import(spec)
for (let i = 0; i < 2; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 300)) }
const rss = Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024
const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s]))
const u = process.memoryUsage()
// Pages of the node binary's embedded ICU data (the icudt*_dat symbol) mapped into this process.
let icu = 0
if (process.env.ICU_RANGE) {
  const [lo, hi] = process.env.ICU_RANGE.split(':').map((h) => Number.parseInt(h, 16))
  const { openSync, readSync } = await import('node:fs')
  const first = Math.floor(lo / 4096), pages = Math.ceil((hi - first * 4096) / 4096)
  const buf = Buffer.alloc(pages * 8)
  readSync(openSync('/proc/self/pagemap', 'r'), buf, 0, buf.length, first * 8)
  for (let i = 0; i < pages; i++) if (buf.readBigUInt64LE(i * 8) >> 63n) icu++
  icu = (icu * 4096) / 2 ** 20
}
console.log(JSON.stringify({ rss, heapUsed: u.heapUsed / 2 ** 20, young: spaces.new_space.physical_space_size / 2 ** 20, external: u.external / 2 ** 20, icu }))
`

function measure(spec) {
  const target = spec === '-' ? '-' : toUrl(spec)
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe, target], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ICU_RANGE: ICU_RANGE ?? '', BASE_MODULES } })
  return JSON.parse(out.trim().split('\n').pop())
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
function medianOf(spec) {
  const runs = Array.from({ length: ROUNDS }, () => measure(spec))
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]))
}

const base = medianOf('-')
console.log(`baseline: RSS ${base.rss.toFixed(1)} MB, heap used ${base.heapUsed.toFixed(1)}, young ${base.young.toFixed(1)}, external ${base.external.toFixed(1)}`)
console.log('module'.padEnd(48), 'RSS', ' heap', 'young', ' ext', '  icu')
for (const spec of process.argv.slice(2)) {
  const m = medianOf(spec)
  const d = (k) => (m[k] - base[k]).toFixed(1).padStart(5)
  console.log(spec.padEnd(48), d('rss'), d('heapUsed'), d('young'), d('external'), d('icu'))
}
