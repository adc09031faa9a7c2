import { availableParallelism } from 'node:os'
import { z } from 'zod'
import type { Job, ScenarioResult } from '../clients/protocol.ts'
import { mergeThroughput } from '../clients/scenarios/throughput.ts'
import type { Better } from '../types.ts'

/** How one metric of a scenario result becomes a row. */
export interface MetricSpec {
  key: string
  metric: string
  unit: string
  better: Better
  digits?: number
  /** Context, not a result: no ratio (see `Row.informational`). */
  informational?: boolean
}

/** One of the issue 2 scenarios: the job to run and the rows it yields. */
export interface Scenario {
  name: string
  /** Short name used in room names and workshop titles. */
  tag: string
  /** Rooms to create on the server before the job starts. */
  rooms: number
  job(rooms: string[], quick: boolean): Job
  /**
   * Numbers of client processes to measure with (default [1]): each round runs once per number,
   * the rooms shared out over the processes, each running `job` with its share, and `merge` makes
   * their results one. Each server is shown with the number that suits it best.
   */
  clientProcesses?: number[]
  merge?(parts: readonly ScenarioResult[]): ScenarioResult
  metrics: MetricSpec[]
  /** Full runs repeat the scenario, alternating servers; the table takes each server's median over its undisturbed rounds. */
  rounds: number
  /** Upper bound for the client process, in ms. */
  timeoutMs: number
  /** Read the server's settled RSS before the job (the idle baseline). */
  baselineRss?: boolean
  /**
   * `split`: the server on a core of its own and the client processes on the others (where the
   * machine has two or more), as remote clients would be; otherwise (`shared`, the default) they
   * share every core, as throughput needs them to.
   */
  cores?: 'split' | 'shared'
}

/** CPU used by other processes during the measurement: context for how noisy a number is. */
const noiseRow: MetricSpec = { key: 'otherCpuPct', metric: 'other processes CPU (noise)', unit: '% core', better: 'lower', digits: 0, informational: true }

const cpuRows: MetricSpec[] = [
  { key: 'serverCpuPct', metric: 'server CPU', unit: '% core', better: 'lower', digits: 0, informational: true },
  { key: 'clientCpuPct', metric: 'client processes CPU', unit: '% core', better: 'lower', digits: 0, informational: true },
  noiseRow,
]

/**
 * Warm-up of each fan-out round before its updates are timed: 1 s, or `BENCH_FANOUT_WARMUP_MS`
 * (0–120,000) to time a server that has run a while (its hot path compiled by V8's optimising tier),
 * as a long-running deployment is, rather than one started seconds before.
 */
const FANOUT_WARMUP_MS = z.coerce.number().int().min(0).max(120_000).default(1000).parse(process.env.BENCH_FANOUT_WARMUP_MS)

/** The fan-out scenario: one writer drags a note at 60 updates/s, 49 receivers time each update. */
function fanOut(tag: string, name: string, cores: 'split' | 'shared'): Scenario {
  return {
    tag,
    name,
    cores,
    rooms: 1,
    job: ([room = ''], quick) => ({ scenario: 'fan-out', room, clients: 50, rateHz: 60, warmupMs: quick ? 500 : FANOUT_WARMUP_MS, durationMs: quick ? 3000 : 10_000 }),
    metrics: [
      { key: 'p50', metric: 'latency p50', unit: 'ms', better: 'lower', digits: 2 },
      { key: 'p99', metric: 'latency p99', unit: 'ms', better: 'lower', digits: 2 },
      { key: 'max', metric: 'latency max', unit: 'ms', better: 'lower', digits: 1, informational: true },
      { key: 'samples', metric: 'deliveries timed', unit: 'count', better: 'higher', digits: 0, informational: true },
      { key: 'updateBytes', metric: 'update size (check)', unit: 'B', better: 'lower', digits: 0, informational: true },
      { key: 'serverMsPer1k', metric: 'server CPU per 1,000 deliveries', unit: 'ms', better: 'lower', digits: 2, informational: true },
      ...cpuRows,
    ],
    rounds: 3,
    timeoutMs: 90_000,
  }
}

/** The four scenarios of issue 2 (fan-out measured two ways), in run order. */
export const SCENARIOS: readonly Scenario[] = [
  // Latency is measured with the load generator off the server's core: in a deployment the 49
  // receivers are other machines, while here every loopback write wakes the receivers' process
  // on the writer's core, and a server that did more work before its sends (Keyplan's checks and
  // durable append) then takes turns with it instead of running beside it (docs/benchmarks.md).
  // The shared-cores reading is kept beside it, as every run before 2026-12-05 measured it.
  fanOut('fan-out', '(a) fan-out: 1 room × 50 clients, 60 updates/s, server and clients on separate cores', 'split'),
  fanOut('fan-out-shared', '(a′) the same fan-out, clients on the server’s cores', 'shared'),
  {
    tag: 'throughput',
    name: '(b) throughput: 20 rooms × 10 clients, all writing',
    rooms: 20,
    job: (rooms, quick) => ({ scenario: 'throughput', rooms, clientsPerRoom: 10, window: 8, durationMs: quick ? 3000 : 10_000 }),
    // One client process tops out at one core (its event loop) while a fast server still has CPU
    // to spare, and then measures itself. More client processes compete with a server that is
    // the bottleneck for the CPU (2 cores here), so each server is measured both ways.
    clientProcesses: [1, Math.max(2, availableParallelism() - 1)],
    merge: mergeThroughput,
    metrics: [
      { key: 'delivered', metric: 'updates delivered', unit: 'upd/s', better: 'higher', digits: 0 },
      { key: 'written', metric: 'updates written', unit: 'upd/s', better: 'higher', digits: 0 },
      // On 2 cores the client processes and the server share the CPU; server CPU per delivery
      // compares the servers' efficiency independently of that.
      { key: 'serverMsPer1k', metric: 'server CPU per 1,000 deliveries', unit: 'ms', better: 'lower', digits: 1 },
      // The harness's own cost: what the client processes spend per delivery (the same clients for
      // every server of a protocol), which bounds the throughput 2 cores can show.
      { key: 'clientMsPer1k', metric: 'client processes CPU per 1,000 deliveries', unit: 'ms', better: 'lower', digits: 1, informational: true },
      { key: 'clientProcesses', metric: 'client processes (each server’s better count)', unit: 'count', better: 'lower', digits: 0, informational: true },
      ...cpuRows,
    ],
    rounds: 3,
    timeoutMs: 120_000,
  },
  {
    tag: 'cold-join',
    name: '(c) cold join: 5,000 shapes, 20,000 edits',
    rooms: 1,
    job: ([room = ''], quick) =>
      quick
        ? { scenario: 'cold-join', room, shapes: 1000, edits: 4000, writers: 4, restarts: 1, warmJoins: 2 }
        : { scenario: 'cold-join', room, shapes: 5000, edits: 15_000, writers: 4, restarts: 3, warmJoins: 3 },
    metrics: [
      { key: 'coldMs', metric: 'cold join → complete (median of restarts)', unit: 'ms', better: 'lower', digits: 1 },
      { key: 'firstColdMs', metric: 'first cold join after restart', unit: 'ms', better: 'lower', digits: 1 },
      { key: 'warmMs', metric: 'warm join (room held open by a client)', unit: 'ms', better: 'lower', digits: 1 },
      { key: 'buildUpdatesPerSec', metric: 'build: edits ingested', unit: 'upd/s', better: 'higher', digits: 0 },
      { key: 'docKb', metric: 'board size (check)', unit: 'KB', better: 'lower', digits: 0, informational: true },
      noiseRow,
    ],
    rounds: 1,
    timeoutMs: 240_000,
  },
  {
    tag: 'memory',
    name: '(d) memory: 100 rooms × 5 idle clients',
    rooms: 100,
    job: (rooms, quick) => ({ scenario: 'idle-rooms', rooms, clientsPerRoom: 5, recordsPerRoom: quick ? 5 : 20 }),
    metrics: [
      { key: 'idleRssMb', metric: 'server RSS, no rooms', unit: 'MB', better: 'lower', digits: 1, informational: true },
      { key: 'rssMb', metric: 'server RSS, 100 rooms × 5 clients', unit: 'MB', better: 'lower', digits: 1 },
      { key: 'roomsIdleRssMb', metric: 'the same after 30 s idle', unit: 'MB', better: 'lower', digits: 1 },
      // RSS rarely shrinks after a GC, so a server that allocated much at boot can grow less here.
      { key: 'deltaMb', metric: 'RSS added by the rooms', unit: 'MB', better: 'lower', digits: 1, informational: true },
    ],
    rounds: 1,
    timeoutMs: 180_000,
    baselineRss: true,
  },
]
