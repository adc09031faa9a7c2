import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { runClientJob } from '../clients/runClientJob.ts'
import type { Endpoint, Job, ParentRequest, ScenarioResult } from '../clients/protocol.ts'
import { CANDIDATES, type Candidate, type RunningServer } from '../servers/candidates.ts'
import type { Better, Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

const SUITE = 'server'

/** How one metric of a scenario result becomes a row. */
interface MetricSpec {
  key: string
  metric: string
  unit: string
  better: Better
  digits?: number
}

/** One of the issue 2 scenarios: the job to run and the rows it yields. */
interface Scenario {
  name: string
  /** Rooms to create on the server before the job starts. */
  rooms: number
  job(rooms: string[], quick: boolean): Job
  metrics: MetricSpec[]
  /** Upper bound for the client process, in ms. */
  timeoutMs: number
  /** Read the server's settled RSS before the job (the idle baseline). */
  baselineRss?: boolean
}

const SCENARIOS: Scenario[] = [
  {
    name: '(a) fan-out: 1 room × 50 clients, 60 updates/s',
    rooms: 1,
    job: ([room = ''], quick) => ({ scenario: 'fan-out', room, clients: 50, rateHz: 60, warmupMs: quick ? 500 : 1000, durationMs: quick ? 3000 : 10_000 }),
    metrics: [
      { key: 'p50', metric: 'latency p50', unit: 'ms', better: 'lower', digits: 2 },
      { key: 'p99', metric: 'latency p99', unit: 'ms', better: 'lower', digits: 2 },
      { key: 'updateBytes', metric: 'update size (check)', unit: 'B', better: 'lower', digits: 0 },
    ],
    timeoutMs: 90_000,
  },
  {
    name: '(b) throughput: 20 rooms × 10 clients, all writing',
    rooms: 20,
    job: (rooms, quick) => ({ scenario: 'throughput', rooms, clientsPerRoom: 10, window: 8, durationMs: quick ? 3000 : 10_000 }),
    metrics: [
      { key: 'delivered', metric: 'updates delivered', unit: 'upd/s', better: 'higher', digits: 0 },
      { key: 'written', metric: 'updates written', unit: 'upd/s', better: 'higher', digits: 0 },
    ],
    timeoutMs: 120_000,
  },
  {
    name: '(c) cold join: 5,000 shapes, 20,000 edits',
    rooms: 1,
    job: ([room = ''], quick) =>
      quick
        ? { scenario: 'cold-join', room, shapes: 1000, edits: 4000, writers: 4, restarts: 1, warmJoins: 2 }
        : { scenario: 'cold-join', room, shapes: 5000, edits: 15_000, writers: 4, restarts: 3, warmJoins: 3 },
    metrics: [
      { key: 'coldMs', metric: 'cold join → complete (median of restarts)', unit: 'ms', better: 'lower', digits: 1 },
      { key: 'firstColdMs', metric: 'first cold join after restart', unit: 'ms', better: 'lower', digits: 1 },
      { key: 'warmMs', metric: 'warm join (room loaded)', unit: 'ms', better: 'lower', digits: 1 },
      { key: 'buildUpdatesPerSec', metric: 'build: edits ingested', unit: 'upd/s', better: 'higher', digits: 0 },
      { key: 'docKb', metric: 'board size (check)', unit: 'KB', better: 'lower', digits: 0 },
    ],
    timeoutMs: 240_000,
  },
  {
    name: '(d) memory: 100 rooms × 5 idle clients',
    rooms: 100,
    job: (rooms, quick) => ({ scenario: 'idle-rooms', rooms, clientsPerRoom: 5, recordsPerRoom: quick ? 5 : 20 }),
    metrics: [
      { key: 'idleRssMb', metric: 'server RSS, no rooms', unit: 'MB', better: 'lower', digits: 1 },
      { key: 'rssMb', metric: 'server RSS, 100 rooms × 5 clients', unit: 'MB', better: 'lower', digits: 1 },
      { key: 'deltaMb', metric: 'RSS added by the rooms', unit: 'MB', better: 'lower', digits: 1 },
    ],
    timeoutMs: 120_000,
    baselineRss: true,
  },
]

/** Runs one scenario against one candidate on a fresh server with a fresh data dir. */
async function runScenario(candidate: Candidate, scenario: Scenario, opts: SuiteOptions, dataDir: string): Promise<ScenarioResult> {
  let server: RunningServer = await candidate.start(dataDir)
  try {
    const rooms = await server.createRooms(scenario.rooms, 'bench')
    const idleRssMb = scenario.baselineRss ? await server.process.settledRssMb() : undefined
    const endpoint = (s: RunningServer): Endpoint => ({ protocol: candidate.protocol, wsUrl: s.wsUrl })
    const answer = async (request: ParentRequest): Promise<unknown> => {
      switch (request.what) {
        case 'restart-server':
          await server.process.stop()
          server = await candidate.start(dataDir)
          return endpoint(server)
        case 'measure-memory':
          return server.process.settledRssMb()
      }
    }
    const log = (message: string) => opts.log(`    ${candidate.name}: ${message}`)
    const result = await runClientJob(scenario.job(rooms, opts.quick), endpoint(server), answer, log, scenario.timeoutMs)
    if (idleRssMb !== undefined && result.metrics.rssMb !== undefined) {
      result.metrics.idleRssMb = idleRssMb
      result.metrics.deltaMb = result.metrics.rssMb - idleRssMb
    }
    return result
  } finally {
    await server.process.stop()
  }
}

async function run(opts: SuiteOptions): Promise<SuiteResult> {
  const rows = new Map<string, Row>()
  const warnings: Warning[] = []
  const candidates = CANDIDATES.filter((c) => !opts.candidates || opts.candidates.includes(c.name))
  for (const scenario of SCENARIOS) {
    opts.log(`  ${scenario.name}`)
    for (const candidate of candidates) {
      const dataDir = await mkdtemp(join(opts.tmpDir, `${candidate.name}-`))
      const started = performance.now()
      try {
        const result = await runScenario(candidate, scenario, opts, dataDir)
        for (const spec of scenario.metrics) {
          const value = result.metrics[spec.key]
          if (value === undefined || Number.isNaN(value)) continue
          const id = `${scenario.name}\0${spec.metric}`
          const row = rows.get(id) ?? { suite: SUITE, scenario: scenario.name, metric: spec.metric, unit: spec.unit, better: spec.better, values: {} }
          row.values[candidate.name] = round(value, spec.digits ?? 1)
          rows.set(id, row)
        }
        for (const message of result.warnings) warnings.push({ suite: SUITE, candidate: candidate.name, scenario: scenario.name, message })
        opts.log(`    ${candidate.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s${result.warnings.length ? ` (${result.warnings.length} warning(s))` : ''}`)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        opts.log(`    ${candidate.name}: FAILED: ${message}`)
        warnings.push({ suite: SUITE, candidate: candidate.name, scenario: scenario.name, message: `did not run: ${message.split('\n').slice(0, 6).join(' | ')}` })
      } finally {
        await rm(dataDir, { recursive: true, force: true })
      }
    }
  }
  return { rows: [...rows.values()], warnings }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Keyplan's sync server against the reference Yjs servers (issue 2). */
export const serverSuite: Suite = {
  name: SUITE,
  title: 'Sync server: Keyplan vs y-websocket-server vs Hocuspocus',
  description: [
    'Each scenario starts each server as its own child process on a free loopback port with a fresh data dir',
    '(Keyplan: SQLite in `DATA_DIR`; `@y/websocket-server` 0.1.1: LevelDB via `YPERSISTENCE`; `@hocuspocus/server` 4.7:',
    '`@hocuspocus/extension-sqlite` on a file). Clients run in a separate process: `y-websocket` 3.1 providers',
    '(`disableBc`) for Keyplan and y-websocket-server, `@hocuspocus/provider` 4.7 for Hocuspocus, one socket per client.',
    'Latency is measured from the writer’s local change to each receiver’s observe, in one process (one clock).',
    'Throughput counts remote updates observed by all receivers; each writer may have 8 updates not yet seen by every',
    'other client of its room, so nothing buffers without bound and a lost update stalls its writer.',
    'Cold join: the board is written through real clients, the server restarted, and a fresh client timed until it',
    'holds the complete board (not just “synced”). Memory: VmRSS of the server process after two forced GCs.',
    'Every scenario ends with a convergence check; anything lost or diverged is listed under the table.',
  ].join(' '),
  columns: CANDIDATES.map((c) => c.name),
  baseline: 'keyplan',
  run,
}
