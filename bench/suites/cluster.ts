/**
 * Several Keyplan instances on one PostgreSQL and one Redis (issue 17), started by the suite as
 * child processes (`server/index.ts` through tsx), clients in this process (y-websocket providers):
 *
 * - fan-out latency: one writer, readers on another instance than the writer's vs all on one
 *   instance (target: cross-instance p99 ≤ 2× one instance), and with Redis stopped (PostgreSQL
 *   polling every `CLUSTER_POLL_MS`, informational);
 * - throughput and server CPU per 1,000 deliveries with 1, 2 and 3 instances: writers and readers
 *   spread round-robin over the instances, as a balancer would; CPU of every instance plus Redis;
 * - cold join from PostgreSQL vs SQLite: a board written through a client, every instance
 *   restarted, a fresh client timed until it holds the complete board (on 2 instances it joins on
 *   the one the board was not written through);
 * - for reference, Hocuspocus with `@hocuspocus/extension-redis` on the same Redis (fan-out and
 *   throughput, 2 instances).
 *
 * Runnable alone: `node --import tsx bench/suites/cluster.ts` (`BENCH_QUICK=1` for a smoke run).
 */
import fs from 'node:fs'
import path from 'node:path'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { startPostgres, type PostgresCluster } from '../../test/helpers/postgres.ts'
import { startRedis, type RedisServer } from '../../test/helpers/redis.ts'
import { entries, setEntry } from '../../test/helpers/testEntries.ts'
import * as Y from 'yjs'
import { connect, type SyncClient } from '../clients/adapters.ts'
import { noteRecord, putRecords } from '../clients/records.ts'
import type { Endpoint } from '../clients/protocol.ts'
import { ServerProcess } from '../servers/ServerProcess.ts'
import { median, percentile } from '../stats.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

const SUITE = 'cluster'
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ORG_KEY = 'keyplan-bench-organisation-key'
/** The token secret every instance shares, as several-instance mode requires ([A23]): `k1:` + 32 bytes. */
const TOKEN_SECRET = `k1:${Buffer.alloc(32, 7).toString('base64url')}`
const ONE = '1 instance'
const TWO = '2 instances'
const THREE = '3 instances'
const HOCUSPOCUS = 'hocuspocus + redis, 2 instances'
const SQLITE = '1 instance on SQLite'
const CLOCK_TICKS_PER_SECOND = 100

const CreatedSchema = z.object({ id: z.string(), links: z.object({ team: z.string() }) })

type Instance = {
  process: ServerProcess
  endpoint: Endpoint
  /** The same server started again on the same storage (a new port). */
  restart?(): Promise<Instance>
  /** A room every instance of its cluster accepts (for Keyplan a new workshop's board, its token in the name). */
  createRoom(): Promise<string>
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const proc = await ServerProcess.start({
    args: ['server/index.ts'],
    typescript: true,
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: ORG_KEY, MAX_CONNECTIONS_PER_ADDRESS: '100000', ...env },
    cwd: REPO_ROOT,
    ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    readyTimeoutMs: 60_000,
  })
  const httpUrl = `http://127.0.0.1:${proc.port}`
  return {
    process: proc,
    endpoint: { protocol: 'y-websocket', wsUrl: `ws://127.0.0.1:${proc.port}/sync` },
    restart: async () => {
      await proc.stop()
      return startInstance(env)
    },
    async createRoom() {
      const res = await fetch(`${httpUrl}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ORG_KEY}` },
        body: JSON.stringify({ account: 'Bench', title: 'cluster' }),
      })
      if (res.status !== 201) throw new Error(`POST /api/workshops → ${res.status} ${await res.text()}`)
      const { id, links } = CreatedSchema.parse(await res.json())
      // The provider appends the room name to the URL as is: the token travels as its query.
      return `${id}/swot?token=${new URL(links.team).searchParams.get('token') ?? ''}`
    },
  }
}

/** A Hocuspocus instance with its Redis extension (`bench/servers/hocuspocusServer.mjs`). */
async function startHocuspocus(dataDir: string, redis: RedisServer): Promise<Instance> {
  const proc = await ServerProcess.start({
    args: ['bench/servers/hocuspocusServer.mjs'],
    typescript: false,
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_PORT: String(redis.port) },
    cwd: REPO_ROOT,
    ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    readyTimeoutMs: 60_000,
  })
  let rooms = 0
  return {
    process: proc,
    endpoint: { protocol: 'hocuspocus', wsUrl: `ws://127.0.0.1:${proc.port}` },
    createRoom: async () => `cluster-${process.pid}-${++rooms}`,
  }
}

function destroyAll(clients: SyncClient[]): void {
  for (const client of clients) {
    client.destroy()
    client.doc.destroy()
  }
}

async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `predicate` holds or `ms` passed; returns whether it held. */
async function until(predicate: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) return false
    await sleep(5)
  }
  return true
}

/** Readers record when each key first reached them. */
function trackArrivals(readers: SyncClient[]): Map<SyncClient, Map<string, number>> {
  const arrivals = new Map<SyncClient, Map<string, number>>()
  for (const reader of readers) {
    const seen = new Map<string, number>()
    arrivals.set(reader, seen)
    reader.doc.on('update', () => {
      const now = performance.now()
      for (const key of Object.keys(entries(reader.doc))) if (!seen.has(key)) seen.set(key, now)
    })
  }
  return arrivals
}

type Cluster = { postgres: PostgresCluster; redis: RedisServer; dataDir: string }

/** Starts `count` instances on a new database. */
async function startInstances(cluster: Cluster, count: number, extra: Record<string, string> = {}): Promise<Instance[]> {
  const env = { DATABASE_URL: await cluster.postgres.createDatabase(), REDIS_URL: cluster.redis.url, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET, DATA_DIR: cluster.dataDir, ...extra }
  const instances: Instance[] = []
  // One after the other: tsx start-up competes for the two cores.
  for (let i = 0; i < count; i++) instances.push(await startInstance(env))
  return instances
}

/** Fan-out latency in ms (p50, p99) of `writes` writes by one writer on `writerOn` to readers on `readersOn`. */
async function fanOut(writerOn: Instance, readersOn: Instance, readerCount: number, writes: number, gapMs: number): Promise<{ p50: number; p99: number; missing: number }> {
  const room = await writerOn.createRoom()
  const writer = connect(writerOn.endpoint, room)
  await writer.synced
  const readers = Array.from({ length: readerCount }, () => connect(readersOn.endpoint, room))
  await Promise.all([writer, ...readers].map((c) => c.synced))
  const arrivals = trackArrivals(readers)
  const sentAt = new Map<string, number>()
  for (let i = 0; i < writes; i++) {
    const key = `k${i}`
    sentAt.set(key, performance.now())
    setEntry(writer.doc, key, i)
    await sleep(gapMs)
  }
  await until(() => readers.every((r) => [...sentAt.keys()].every((key) => arrivals.get(r)?.has(key))), 30_000)
  const latencies: number[] = []
  let missing = 0
  for (const seen of arrivals.values()) {
    for (const [key, sent] of sentAt) {
      const at = seen.get(key)
      if (at === undefined) missing++
      else latencies.push(at - sent)
    }
  }
  destroyAll([writer, ...readers])
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), missing }
}

/** Deliveries per second and server CPU ms per 1,000 deliveries with writers and readers spread over `instances`. */
async function throughput(cluster: Cluster, instances: Instance[], writerCount: number, readerCount: number, seconds: number, ratePerWriter: number): Promise<{ perSecond: number; cpuPer1000: number; missing: number }> {
  const room = await (instances[0] as Instance).createRoom() // at least one instance
  const at = (i: number) => (instances[i % instances.length] as Instance).endpoint // i mod length is an index
  const writers = Array.from({ length: writerCount }, (_, i) => connect(at(i), room))
  await Promise.all(writers.map((c) => c.synced))
  const readers = Array.from({ length: readerCount }, (_, i) => connect(at(i + 1), room))
  await Promise.all([...writers, ...readers].map((c) => c.synced))
  const arrivals = trackArrivals(readers)
  const pids = [...instances.map((i) => i.process.pid), cluster.redis.pid()]
  const cpuBefore = (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0)
  const started = performance.now()
  let written = 0
  const rounds = Math.round(seconds * ratePerWriter)
  for (let round = 0; round < rounds; round++) {
    for (const [w, writer] of writers.entries()) setEntry(writer.doc, `w${w}-${round}`, round)
    written += writers.length
    await sleep(1000 / ratePerWriter)
  }
  const expected = written
  await until(() => readers.every((r) => (arrivals.get(r)?.size ?? 0) >= expected), 60_000)
  const elapsed = (performance.now() - started) / 1000
  const cpuAfter = (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0)
  const deliveries = [...arrivals.values()].reduce((n, seen) => n + seen.size, 0)
  destroyAll([...writers, ...readers])
  return { perSecond: deliveries / elapsed, cpuPer1000: ((cpuAfter - cpuBefore) * 1000 * 1000) / Math.max(1, deliveries), missing: expected * readers.length - deliveries }
}

/** Updates the writer may have ahead of the observer while building a board. */
const BUILD_WINDOW = 64

/** True when `doc` holds everything the state vector `expected` describes. */
function covers(doc: Y.Doc, expected: Uint8Array): boolean {
  return [...Y.decodeStateVector(expected)].every(([client, clock]) => Y.getState(doc.store, client) >= clock)
}

/**
 * Writes a board of `shapes` notes then `edits` moves (one transaction each) through one client on
 * `on`, with an observer on the same instance bounding what is in flight; returns the state vector
 * a later join must reach.
 */
async function buildBoard(on: Instance, room: string, shapes: number, edits: number): Promise<Uint8Array> {
  const writer = connect(on.endpoint, room)
  const observer = connect(on.endpoint, room)
  await Promise.all([writer.synced, observer.synced])
  const own = writer.doc.clientID
  const ahead = () => Y.getState(writer.doc.store, own) - Y.getState(observer.doc.store, own)
  for (let op = 0; op < shapes + edits; op++) {
    if (ahead() >= BUILD_WINDOW && !(await until(() => ahead() < BUILD_WINDOW, 30_000))) throw new Error('cold join: the board build stalled')
    const n = op < shapes ? op : (op * 7919) % shapes
    putRecords(writer.doc, [noteRecord(`shape:n${n}`, n, (op * 37) % 4000, (op * 53) % 3000)])
    if (op % 16 === 15) await new Promise((resolve) => setImmediate(resolve))
  }
  const expected = Y.encodeStateVector(writer.doc)
  if (!(await until(() => covers(observer.doc, expected), 60_000))) throw new Error('cold join: the observer never got the whole board')
  destroyAll([writer, observer])
  return expected
}

/**
 * Cold join in ms (median of `restarts`): the board written through `instances[0]`, then every
 * instance restarted (the board must come from storage) and a fresh client on the last one timed
 * from connecting until it holds the complete board. `instances` holds the restarted ones after.
 */
async function coldJoin(instances: Instance[], shapes: number, edits: number, restarts: number): Promise<{ ms: number; incomplete: number }> {
  const first = instances[0]
  if (!first) throw new Error('cold join needs an instance')
  const room = await first.createRoom()
  const expected = await buildBoard(first, room, shapes, edits)
  const times: number[] = []
  let incomplete = 0
  for (let i = 0; i < restarts; i++) {
    // In place, so the caller stops what runs now even if a join throws.
    for (const [n, instance] of instances.entries()) {
      if (!instance.restart) throw new Error('cold join needs instances that restart')
      instances[n] = await instance.restart()
    }
    const joinOn = instances.at(-1) as Instance // as many instances as given, at least one
    // A join of another, small board first: a fresh process compiles its sync path (tsx) on the first
    // join, which is start-up, not loading this board from storage.
    const warm = connect(joinOn.endpoint, await joinOn.createRoom())
    await warm.synced
    destroyAll([warm])
    const doc = new Y.Doc()
    const started = performance.now()
    // Timed on the update that completes the board, not on a poll.
    let doneAt: number | undefined
    doc.on('update', () => {
      if (doneAt === undefined && covers(doc, expected)) doneAt = performance.now()
    })
    const client = connect(joinOn.endpoint, room, doc)
    const complete = await until(() => doneAt !== undefined, 60_000)
    const ms = (doneAt ?? performance.now()) - started
    destroyAll([client])
    if (complete) times.push(ms)
    else incomplete++
  }
  return { ms: median(times), incomplete }
}

export const clusterSuite: Suite = {
  name: SUITE,
  title: 'Several instances on PostgreSQL and Redis',
  description:
    'Keyplan instances (server/index.ts through tsx) on one PostgreSQL 15 (fsync on) and one Redis 7, ' +
    'y-websocket clients in the bench process. Fan-out: one writer (a note every 50 ms), readers on ' +
    'the same instance (1 instance) or on another (2 instances, through Redis; and with Redis stopped, ' +
    'PostgreSQL polling every second). Throughput: writers and readers spread round-robin over 1, 2 ' +
    'or 3 instances; CPU is every instance plus redis-server, per 1,000 deliveries. Cold join: a board ' +
    'written through one instance, every instance restarted (and warmed by a join of another board), a fresh client timed until it holds the ' +
    'whole board, from PostgreSQL (1 and 2 instances) and from SQLite (one instance, the default). ' +
    'Hocuspocus 4.7 with @hocuspocus/extension-redis on the same Redis, 2 instances, for reference.',
  columns: [TWO, ONE, THREE, SQLITE, HOCUSPOCUS],
  baseline: TWO,
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const rows: Row[] = []
    const warnings: Warning[] = []
    const dataDir = fs.mkdtempSync(path.join(opts.tmpDir, 'data-'))
    const [postgres, redis] = await Promise.all([startPostgres({ settings: { fsync: 'on' } }), startRedis()])
    const cluster: Cluster = { postgres, redis, dataDir }
    const started: Instance[] = []
    const writes = opts.quick ? 30 : 200
    const readerCount = opts.quick ? 5 : 20
    // BENCH_SCENARIO picks by scenario name; fan-out and throughput run together (they share the Hocuspocus pair).
    const wanted = (...scenarios: string[]) => !opts.scenario || scenarios.some((scenario) => scenario.includes(opts.scenario ?? ''))
    try {
      if (wanted('fan-out', 'throughput', 'server CPU per 1,000 deliveries')) {
        opts.log('  fan-out')
        const [solo] = await startInstances(cluster, 1)
        if (!solo) throw new Error('no instance')
        started.push(solo)
        const one = await fanOut(solo, solo, readerCount, writes, 50)
        const pair = await startInstances(cluster, 2)
        started.push(...pair)
        const [a, b] = pair
        if (!a || !b) throw new Error('no instances')
        const two = await fanOut(a, b, readerCount, writes, 50)
        for (const [name, result] of [[ONE, one], [TWO, two]] as const) {
          if (result.missing > 0) warnings.push({ suite: SUITE, candidate: name, scenario: 'fan-out', message: `${result.missing} deliveries missing` })
        }
        await redis.kill()
        const polling = await fanOut(a, b, readerCount, Math.min(writes, 40), 50)
        await redis.restart()
        rows.push({
          suite: SUITE,
          scenario: 'fan-out with Redis stopped (PostgreSQL polling, 1 s)',
          metric: 'p99',
          unit: 'ms',
          better: 'lower',
          informational: true,
          values: { [TWO]: polling.p99 },
          note: `${polling.missing} deliveries missing`,
        })
        for (const instance of started.splice(0)) await instance.process.stop()
        const hocuspocusDir = fs.mkdtempSync(path.join(opts.tmpDir, 'hocuspocus-'))
        const hocuspocusPair = [await startHocuspocus(hocuspocusDir, redis), await startHocuspocus(hocuspocusDir, redis)]
        started.push(...hocuspocusPair)
        const [ha, hb] = hocuspocusPair
        if (!ha || !hb) throw new Error('no instances')
        const peer = await fanOut(ha, hb, readerCount, writes, 50)
        if (peer.missing > 0) warnings.push({ suite: SUITE, candidate: HOCUSPOCUS, scenario: 'fan-out', message: `${peer.missing} deliveries missing` })
        const hocuspocusThroughput = await throughput(cluster, hocuspocusPair, 6, opts.quick ? 12 : 24, opts.quick ? 3 : 15, 20)
        for (const instance of started.splice(0)) await instance.process.stop()
        const fanNote = `${writes} writes 50 ms apart, ${readerCount} readers`
        rows.push({ suite: SUITE, scenario: 'fan-out, readers on another instance', metric: 'p50', unit: 'ms', better: 'lower', values: { [ONE]: one.p50, [TWO]: two.p50, [HOCUSPOCUS]: peer.p50 }, note: fanNote })
        rows.push({ suite: SUITE, scenario: 'fan-out, readers on another instance', metric: 'p99', unit: 'ms', better: 'lower', values: { [ONE]: one.p99, [TWO]: two.p99, [HOCUSPOCUS]: peer.p99 }, note: fanNote })

        opts.log('  throughput')
        const seconds = opts.quick ? 3 : 15
        const values: Record<string, number> = { [HOCUSPOCUS]: Math.round(hocuspocusThroughput.perSecond) }
        const cpu: Record<string, number> = { [HOCUSPOCUS]: Math.round(hocuspocusThroughput.cpuPer1000 * 10) / 10 }
        for (const [name, count] of [[ONE, 1], [TWO, 2], [THREE, 3]] as const) {
          const instances = await startInstances(cluster, count)
          started.push(...instances)
          const result = await throughput(cluster, instances, 6, opts.quick ? 12 : 24, seconds, 20)
          if (result.missing > 0) warnings.push({ suite: SUITE, candidate: name, scenario: 'throughput', message: `${result.missing} deliveries missing` })
          values[name] = Math.round(result.perSecond)
          cpu[name] = Math.round(result.cpuPer1000 * 10) / 10
          for (const instance of started.splice(0)) await instance.process.stop()
        }
        const note = '6 writers at 20 notes/s each, readers spread over the instances'
        rows.push({ suite: SUITE, scenario: 'throughput', metric: 'deliveries/s', unit: '/s', better: 'higher', values, note })
        rows.push({ suite: SUITE, scenario: 'server CPU per 1,000 deliveries', metric: 'CPU', unit: 'ms', better: 'lower', values: cpu, note: 'every instance plus redis-server' })
      }

      if (wanted('cold join')) {
        opts.log('  cold join')
        const boardShapes = opts.quick ? 400 : 2000
        const boardEdits = opts.quick ? 400 : 4000
        const restarts = opts.quick ? 1 : 3
        const cold: Record<string, number> = {}
        const sqliteDir = fs.mkdtempSync(path.join(opts.tmpDir, 'sqlite-'))
        const candidates: Array<[string, () => Promise<Instance[]>]> = [
          // Keyplan's default: one process on a SQLite file, no DATABASE_URL or REDIS_URL.
          [SQLITE, async () => [await startInstance({ DATA_DIR: sqliteDir, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET })]],
          [ONE, () => startInstances(cluster, 1)],
          [TWO, () => startInstances(cluster, 2)],
        ]
        for (const [name, start] of candidates) {
          started.push(...(await start()))
          const result = await coldJoin(started, boardShapes, boardEdits, restarts)
          if (result.incomplete > 0) warnings.push({ suite: SUITE, candidate: name, scenario: 'cold join', message: `${result.incomplete} join(s) never held the complete board` })
          cold[name] = Math.round(result.ms * 10) / 10
          for (const instance of started.splice(0)) await instance.process.stop()
        }
        rows.push({
          suite: SUITE,
          scenario: `cold join: ${boardShapes.toLocaleString('en-US')} shapes, ${boardEdits.toLocaleString('en-US')} edits, from PostgreSQL vs SQLite`,
          metric: `cold join → complete (median of ${restarts} restart${restarts === 1 ? '' : 's'})`,
          unit: 'ms',
          better: 'lower',
          values: cold,
          note: 'the board written through one instance, every instance restarted and warmed by a join of another board, a fresh client timed until it holds the whole board; on 2 instances it joins the one the board was not written through',
        })
      }
    } finally {
      for (const instance of started) await instance.process.stop()
      await redis.stop()
      await postgres.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
    return { rows, warnings }
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.env.BENCH_QUICK === '1'
  const tmpDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'keyplan-bench-cluster-'))
  const result = await clusterSuite.run({ quick, candidates: undefined, scenario: process.env.BENCH_SCENARIO, tmpDir, log: (m) => process.stderr.write(`${m}\n`) })
  for (const row of result.rows) console.log(`${row.scenario} ${row.metric}: ${JSON.stringify(row.values)} ${row.note ?? ''}`)
  for (const warning of result.warnings) console.log(`warning: ${warning.candidate} ${warning.scenario}: ${warning.message}`)
  fs.rmSync(tmpDir, { recursive: true, force: true })
  process.exit(0)
}
