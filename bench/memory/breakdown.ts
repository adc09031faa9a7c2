/**
 * Where a server's RSS goes (issue 14): starts a server the way the bench's memory scenario does
 * (`--expose-gc`, the settle hook, the same environment), makes the 100 workshops, connects
 * 100 rooms × 5 idle `y-websocket` clients, and at each reading (after two forced GCs) prints
 * VmRSS, /proc/<pid>/smaps grouped by mapping, and what V8 reports (heap spaces, external).
 *
 *   node --import tsx bench/memory/breakdown.ts [keyplan|y-websocket-server] [--entry dist-a/node/server/index.js] [--idle] [--json] [--snapshots DIR]
 *
 * The reporter it preloads (`bench/servers/reportMemoryOnSignal.mjs`) is a few KB in every server.
 * `--entry` runs another compiled Keyplan (an A/B against a copy of an older dist/), `--idle` adds
 * the bench's reading after 30 s of idling, `--json` prints one line of numbers instead of tables.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { runClientJob } from '../clients/runClientJob.ts'
import type { ParentRequest } from '../clients/protocol.ts'
import { keyplan, yWebsocketServer, type Candidate } from '../servers/candidates.ts'
import { ServerProcess } from '../servers/ServerProcess.ts'
import { SCENARIOS } from '../suites/serverScenarios.ts'

const REPORT_HOOK = fileURLToPath(new URL('../servers/reportMemoryOnSignal.mjs', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const argv = process.argv.slice(2)
const VALUED = new Set(['--entry', '--snapshots'])
const which = argv.find((a, i) => !a.startsWith('--') && !VALUED.has(argv[i - 1] ?? '')) ?? 'keyplan'
const entryIndex = argv.indexOf('--entry')
const entry = entryIndex >= 0 ? argv[entryIndex + 1] : undefined
const withIdle = argv.includes('--idle')
const asJson = argv.includes('--json')
// `--snapshots <dir>`: a heap snapshot at each reading, written there (for a diff by constructor).
const snapshotDir = argv.includes('--snapshots') ? argv[argv.indexOf('--snapshots') + 1] : undefined

/** Mapping groups: what a line of /proc/<pid>/smaps belongs to. */
function groupOf(path: string): string {
  if (path === '') return 'anonymous (V8 heap, malloc arenas, thread stacks)'
  if (path === '[heap]') return '[heap] (main malloc arena)'
  if (path.startsWith('[stack')) return '[stack]'
  if (path.startsWith('[')) return path
  const base = path.split('/').pop() ?? path
  if (/\/node$|bin\/node/.test(path)) return 'node binary'
  if (base.endsWith('.node')) return `addon ${base}`
  if (base.startsWith('lib')) return 'shared libraries (libc, libstdc++, …)'
  return `file ${base}`
}

interface Smaps {
  rssKb: number
  anonKb: number
  fileKb: number
  groups: Record<string, { rssKb: number; anonKb: number }>
}

async function smaps(pid: number): Promise<Smaps> {
  const text = await readFile(`/proc/${pid}/smaps`, 'utf8')
  const groups: Smaps['groups'] = {}
  let current = groups['?'] ?? (groups['?'] = { rssKb: 0, anonKb: 0 })
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (head) {
      const name = groupOf((head[1] ?? '').trim())
      current = groups[name] ?? (groups[name] = { rssKb: 0, anonKb: 0 })
      continue
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line)
    if (field?.[1] === 'Rss') current.rssKb += Number(field[2])
    if (field?.[1] === 'Anonymous') current.anonKb += Number(field[2])
  }
  delete groups['?']
  const rssKb = Object.values(groups).reduce((n, g) => n + g.rssKb, 0)
  const anonKb = Object.values(groups).reduce((n, g) => n + g.anonKb, 0)
  return { rssKb, anonKb, fileKb: rssKb - anonKb, groups }
}

interface V8Report {
  memoryUsage: NodeJS.MemoryUsage
  spaces: { space_name: string; space_size: number; space_used_size: number; physical_space_size: number }[]
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10
const kbToMb = (kb: number) => Math.round((kb / 1024) * 10) / 10

/** Two forced GCs (the bench's settle), then the readings. */
async function reading(pid: number, reportDir: string) {
  for (let i = 0; i < 2; i++) {
    process.kill(pid, 'SIGUSR2')
    await sleep(700)
  }
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const vmRssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN)
  const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN)
  const maps = await smaps(pid)
  const report = JSON.parse(await readFile(join(reportDir, `${pid}.json`), 'utf8')) as V8Report
  if (snapshotDir) {
    process.kill(pid, 'SIGWINCH')
    await sleep(8000)
  }
  const spaces = Object.fromEntries(report.spaces.map((s) => [s.space_name, { committedMb: mb(s.physical_space_size), usedMb: mb(s.space_used_size) }]))
  const u = report.memoryUsage
  return {
    rssMb: kbToMb(vmRssKb),
    threads,
    fileMb: kbToMb(maps.fileKb),
    anonMb: kbToMb(maps.anonKb),
    groups: Object.fromEntries(Object.entries(maps.groups).sort((a, b) => b[1].rssKb - a[1].rssKb).map(([k, g]) => [k, kbToMb(g.rssKb)])),
    heapCommittedMb: mb(u.heapTotal),
    heapUsedMb: mb(u.heapUsed),
    externalMb: mb(u.external),
    arrayBuffersMb: mb(u.arrayBuffers),
    spaces,
  }
}

async function start(candidate: Candidate, dataDir: string, reportDir: string) {
  const before = process.env.NODE_OPTIONS
  process.env.NODE_OPTIONS = `${before ?? ''} --import ${REPORT_HOOK}`.trim()
  process.env.MEM_REPORT_DIR = reportDir
  try {
    if (!entry || candidate !== keyplan) return await candidate.start(dataDir)
    // Keyplan as the candidate starts it, but another compiled build (an A/B against an older dist/).
    const proc = await ServerProcess.start({
      args: [resolve(REPO_ROOT, entry)],
      typescript: false,
      env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: 'keyplan-bench-organisation-key', MAX_CONNECTIONS_PER_ADDRESS: '100000' },
      cwd: REPO_ROOT,
      ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      readyTimeoutMs: 20_000,
    })
    return { process: proc, wsUrl: `ws://127.0.0.1:${proc.port}/sync`, createRooms: makeRooms(proc.port) }
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS
    else process.env.NODE_OPTIONS = before
    delete process.env.MEM_REPORT_DIR
  }
}

/** Keyplan's createRooms against a given port (the candidate's own is bound to the server it started). */
function makeRooms(port: number) {
  return async (count: number, tag: string): Promise<string[]> => {
    const { CreatedWorkshopSchema } = await import('../../shared/api.ts')
    const { BOARD_IDS } = await import('../../shared/boards.ts')
    const rooms: string[] = []
    for (let i = 0; i < count; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer keyplan-bench-organisation-key' },
        body: JSON.stringify({ account: 'Bench', title: `${tag} ${i}` }),
      })
      if (res.status !== 201) throw new Error(`POST /api/workshops → ${res.status}`)
      const { id, links } = CreatedWorkshopSchema.parse(await res.json())
      rooms.push(`${id}/${BOARD_IDS[0]}?token=${new URL(links.team).searchParams.get('token') ?? ''}`)
    }
    return rooms
  }
}

async function main() {
  const candidate = which === 'keyplan' ? keyplan : which === 'y-websocket-server' ? yWebsocketServer : undefined
  if (!candidate) throw new Error(`unknown server ${which}`)
  const scenario = SCENARIOS.find((s) => s.tag === 'memory')
  if (!scenario) throw new Error('no memory scenario')
  const dataDir = await mkdtemp(join(tmpdir(), 'mem-data-'))
  const reportDir = snapshotDir ?? (await mkdtemp(join(tmpdir(), 'mem-report-')))
  const server = await start(candidate, dataDir, reportDir)
  const pid = server.process.pid
  const readings: Record<string, Awaited<ReturnType<typeof reading>>> = {}
  try {
    readings.boot = await reading(pid, reportDir)
    const rooms = await server.createRooms(scenario.rooms, scenario.tag)
    readings.noRooms = await reading(pid, reportDir)
    const answer = async (request: ParentRequest): Promise<unknown> => {
      if (request.what !== 'measure-memory') throw new Error(`unexpected ${request.what}`)
      if (request.idleMs) {
        if (!withIdle) return NaN
        await sleep(request.idleMs)
        readings.idle = await reading(pid, reportDir)
        return readings.idle.rssMb
      }
      readings.rooms = await reading(pid, reportDir)
      return readings.rooms.rssMb
    }
    await runClientJob(scenario.job(rooms, false), { protocol: candidate.protocol, wsUrl: server.wsUrl }, answer, () => {}, scenario.timeoutMs)
  } finally {
    await server.process.stop()
    await rm(dataDir, { recursive: true, force: true })
    if (!snapshotDir) await rm(reportDir, { recursive: true, force: true })
  }
  if (asJson) {
    console.log(JSON.stringify({ server: which, entry: entry ?? null, ...Object.fromEntries(Object.entries(readings).map(([k, r]) => [k, r.rssMb])), readings }))
    return
  }
  for (const [name, r] of Object.entries(readings)) {
    console.log(`\n== ${which} ${name}: RSS ${r.rssMb} MB (file-backed ${r.fileMb}, anonymous ${r.anonMb}), ${r.threads} threads`)
    console.log(`   V8 heap committed ${r.heapCommittedMb} MB, used ${r.heapUsedMb}; external ${r.externalMb} (array buffers ${r.arrayBuffersMb})`)
    console.log(`   spaces: ${Object.entries(r.spaces).map(([k, s]) => `${k} ${s.committedMb}/${s.usedMb}`).join(', ')}`)
    for (const [group, v] of Object.entries(r.groups)) if (v >= 0.1) console.log(`   ${String(v).padStart(6)} MB  ${group}`)
  }
}

await main()
