/**
 * Fan-out latency as the server adds it: the server bench's fan-out scenario (one writer drags one
 * note at 60 updates/s among 50 clients, `bench/suites/serverScenarios.ts`) against a real server
 * process (Keyplan as `npm start` runs it, over SQLite in a temp dir; or y-websocket-server), with
 * the client side's own cost taken out. The writer is a real y-websocket provider; the 49 receivers
 * are bare `ws` sockets that only note when each message arrives (`process.hrtime`, one clock for
 * both ends) and decode nothing until the run is over. So a delivery's latency is the writer's send,
 * loopback, the server's whole path (read, checks, durable append, relay) and the receiver's read,
 * and differences between servers or builds are the server's.
 *
 * Prints, per round, p50 / p99 / max of every delivery, and the same for the relay's spread (the
 * last receiver's arrival minus the first's, per update): the part of the latency that is the order
 * of the sends. Rounds alternate between the servers named, so a busy machine slows each alike.
 * Also how often per measured update the server's main thread was preempted (switched out while it
 * could run, /proc): with the receivers on the same 2 cores, a server preempted after most of its
 * 49 writes takes turns with the receivers' process instead of running beside it, and its spread
 * widens (docs/sync-server-targets.md, fifteenth session).
 *
 * The spread has a floor that is this process's: it reads the 49 messages one after another (~1 ms
 * on the busy 2-core machine), so a server whose sends are faster than that reads as the floor.
 *
 * `node --import tsx bench/fanOutLatency.ts` (Keyplan, built into dist/node when stale, against
 * y-websocket-server), or with `SERVERS=keyplan,keyplan:dist/node-old/server/index.js` to compare two
 * builds of Keyplan, A/B: the second bundled at the other commit (`npm run build`, then dist/node
 * copied to dist/node-old, inside the repository so that node_modules resolve); with
 * `y-websocket-server+<µs>`, y-websocket-server made to work that much CPU before it handles each
 * message (`bench/servers/spinBeforeMessage.mjs`), as Keyplan's path does before its relay.
 * `CORES=split` keeps the server on core 0 and this process on the others, as the server bench's
 * fan-out (a) does; by default they share the cores, as its (a′).
 * `ROUNDS` (4), `UPDATES` (600 measured, after 60 of warm-up), `CLIENTS` (50), `RATE` (60 per second); `FANLAT_DUMP=<prefix>` writes each round's send and first / last arrival
 * times per update (µs of `process.hrtime`, the machine's one clock) to `<prefix>.<server>.<n>.json`,
 * to line up with marks of a server build instrumented for a look inside (as the targets doc's
 * fourteenth-session paragraph did; nothing in the product writes them).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { connect } from './clients/adapters.ts'
import { withTimeout } from './clients/wait.ts'
import { noteRecord, padding, putRecords } from './clients/records.ts'
import { keyplan, startYWebsocketServer, yWebsocketServer, type Candidate } from './servers/candidates.ts'
import { ServerProcess } from './servers/ServerProcess.ts'
import { BOARD_IDS } from '../shared/boards.ts'
import { percentile } from './stats.ts'
import { pinToCores, splitCores } from './cpuAffinity.ts'

const ROUNDS = Number(process.env.ROUNDS ?? 4)
const UPDATES = Number(process.env.UPDATES ?? 600)
const WARMUP = Math.round(UPDATES / 10)
const CLIENTS = Number(process.env.CLIENTS ?? 50)
const RATE = Number(process.env.RATE ?? 60)
const CORES = process.env.CORES === 'split' ? splitCores() : undefined
const DRAG_ID = 'shape:drag'

/** Keyplan started from another build's entry (`keyplan:<path>`), as the candidate starts its own. */
function keyplanAt(entry: string): Candidate {
  return {
    name: `keyplan:${entry}`,
    protocol: 'y-websocket',
    async start(dataDir) {
      const proc = await ServerProcess.start({
        args: [resolve(entry)],
        typescript: false,
        env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: 'keyplan-bench-organisation-key', MAX_CONNECTIONS_PER_ADDRESS: '100000' },
        cwd: process.cwd(),
        ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
        readyTimeoutMs: 20_000,
      })
      return { process: proc, wsUrl: `ws://127.0.0.1:${proc.port}/sync`, createRooms: (count, tag) => createKeyplanRooms(`http://127.0.0.1:${proc.port}`, count, tag) }
    },
  }
}

async function createKeyplanRooms(httpUrl: string, count: number, tag: string): Promise<string[]> {
  const rooms: string[] = []
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${httpUrl}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer keyplan-bench-organisation-key' },
      body: JSON.stringify({ account: 'Bench', title: `${tag} ${i}` }),
    })
    if (res.status !== 201) throw new Error(`POST /api/workshops → ${res.status}`)
    const { id, links } = (await res.json()) as { id: string; links: { team: string } } // the API's CreatedWorkshop
    rooms.push(`${id}/${BOARD_IDS[0]}?token=${new URL(links.team).searchParams.get('token') ?? ''}`)
  }
  return rooms
}

/**
 * y-websocket-server made to work `spinUs` of CPU before it handles each message (`y-websocket-server+<µs>`,
 * `bench/servers/spinBeforeMessage.mjs`): as Keyplan's checks and durable append do before its
 * relay. An experiment on the relay's spread, not a peer.
 */
function yWebsocketServerSpinning(spinUs: number): Candidate {
  return {
    name: `y-websocket-server+${spinUs}`,
    protocol: 'y-websocket',
    start: (dataDir) => startYWebsocketServer(dataDir, { args: ['--import', resolve('bench/servers/spinBeforeMessage.mjs')], env: { SPIN_BEFORE_MESSAGE_US: String(spinUs) } }),
  }
}

function candidate(spec: string): Candidate {
  if (spec === 'keyplan') return keyplan
  if (spec === 'y-websocket-server') return yWebsocketServer
  if (spec.startsWith('keyplan:')) return keyplanAt(spec.slice('keyplan:'.length))
  if (spec.startsWith('y-websocket-server+')) return yWebsocketServerSpinning(Number(spec.slice('y-websocket-server+'.length)))
  throw new Error(`unknown server ${spec}`)
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n)

type Round = { p50: number; p99: number; max: number; spreadP50: number; spreadP99: number; samples: number; preemptedPerUpdate: number; cpuUsPerUpdate: number }

async function round(server: Candidate): Promise<Round> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fanlat-'))
  const running = await server.start(dataDir)
  try {
    if (CORES) await pinToCores(running.process.pid, CORES.server)
    const [room = ''] = await running.createRooms(1, 'fanlat')
    const endpoint = { protocol: 'y-websocket' as const, wsUrl: running.wsUrl }
    const writer = connect(endpoint, room)
    await withTimeout(writer.synced, 30_000, 'the writer to sync')
    // Received messages, as they came: arrival time and bytes, read after the run.
    const arrivals: { at: number; data: Buffer }[][] = []
    await Promise.all(
      Array.from({ length: CLIENTS - 1 }, (_, i) => {
        const got: { at: number; data: Buffer }[] = (arrivals[i] = [])
        const ws = new WebSocket(`${running.wsUrl}/${room}`)
        ws.binaryType = 'nodebuffer'
        ws.on('message', (data: Buffer) => got.push({ at: nowUs(), data }))
        return new Promise<void>((ok, fail) => {
          ws.once('open', () => ok())
          ws.once('error', fail)
        }).then(() => {
          receivers.push(ws)
        })
      }),
    )
    await sleep(500)
    for (const got of arrivals) got.length = 0
    // The writer's clock after each update: a relayed message's update covers up to some clock.
    const sentAt: number[] = []
    const clockAfter: number[] = []
    const period = 1000 / RATE
    const total = WARMUP + UPDATES
    const start = performance.now()
    let preemptedFrom = NaN
    let cpuFrom = NaN
    for (let seq = 1; seq <= total; seq++) {
      if (seq === WARMUP + 1) {
        preemptedFrom = await running.process.preemptions()
        cpuFrom = await running.process.cpuSeconds()
      }
      const wait = start + seq * period - performance.now()
      if (wait > 0) await sleep(wait)
      sentAt[seq] = nowUs()
      putRecords(writer.doc, [{ ...noteRecord(DRAG_ID, 0, 100 + (seq % 500), 200 + (seq % 300)), meta: { pos: { seq, pad: padding(40) } } }])
      clockAfter[seq] = Y.getState(writer.doc.store, writer.doc.clientID)
    }
    const preempted = (await running.process.preemptions()) - preemptedFrom
    await sleep(1000)
    // The server's CPU (user + system, all threads) over the measured updates and their relay.
    const cpuUsPerUpdate = (((await running.process.cpuSeconds()) - cpuFrom) * 1e6) / UPDATES
    const latencies: number[] = []
    const firstAt: number[] = []
    const lastAt: number[] = []
    for (const got of arrivals) {
      let seen = 0
      for (const { at, data } of got) {
        const decoder = decoding.createDecoder(data)
        if (decoding.readVarUint(decoder) !== 0) continue // not a sync message
        const type = decoding.readVarUint(decoder)
        if (type !== 1 && type !== 2) continue // not a step 2 or an update
        const to = Y.parseUpdateMeta(decoding.readVarUint8Array(decoder)).to.get(writer.doc.clientID) ?? 0
        while (seen < total && (clockAfter[seen + 1] ?? Infinity) <= to) {
          seen++
          if (seen <= WARMUP) continue
          const latency = (at - (sentAt[seen] ?? at)) / 1000
          latencies.push(latency)
          firstAt[seen] = Math.min(firstAt[seen] ?? Infinity, at)
          lastAt[seen] = Math.max(lastAt[seen] ?? -Infinity, at)
        }
      }
    }
    writer.destroy()
    for (const ws of receivers.splice(0)) ws.terminate()
    const expected = (CLIENTS - 1) * UPDATES
    if (latencies.length !== expected) console.error(`  ${server.name}: ${expected - latencies.length} of ${expected} deliveries not seen`)
    const spreads: number[] = []
    for (let seq = WARMUP + 1; seq <= total; seq++) {
      const first = firstAt[seq]
      const last = lastAt[seq]
      if (first !== undefined && last !== undefined) spreads.push((last - first) / 1000)
    }
    // Per update: when it was sent, first and last delivered (µs, `process.hrtime`), to line up with
    // marks a server build was given for a look inside (nothing in the product writes them).
    if (process.env.FANLAT_DUMP) await writeFile(`${process.env.FANLAT_DUMP}.${server.name.replace(/\W+/g, '_')}.${dumps++}.json`, JSON.stringify({ sentAt, firstAt, lastAt }))
    latencies.sort((a, b) => a - b)
    spreads.sort((a, b) => a - b)
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, spreadP50: percentile(spreads, 50), spreadP99: percentile(spreads, 99), samples: latencies.length, preemptedPerUpdate: preempted / UPDATES, cpuUsPerUpdate }
  } finally {
    await running.process.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

const receivers: WebSocket[] = []
let dumps = 0
// The harness (writer and receivers) on the cores the server is kept off, as the server bench's (a).
if (CORES) await pinToCores(process.pid, CORES.clients)
const servers = (process.env.SERVERS ?? 'keyplan,y-websocket-server').split(',').map(candidate)
const results = new Map<string, Round[]>(servers.map((s) => [s.name, []]))
const f = (n: number) => n.toFixed(2).padStart(6)
for (let r = 0; r < ROUNDS; r++) {
  for (const server of servers) {
    const result = await round(server)
    results.get(server.name)?.push(result)
    console.log(`round ${r + 1} ${server.name.padEnd(28)} p50 ${f(result.p50)} p99 ${f(result.p99)} max ${f(result.max)} ms; spread p50 ${f(result.spreadP50)} p99 ${f(result.spreadP99)} ms; preempted ${result.preemptedPerUpdate.toFixed(1).padStart(4)} per update; server CPU ${result.cpuUsPerUpdate.toFixed(0).padStart(5)} µs per update (${result.samples} deliveries)`)
  }
}
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50)
for (const [name, rounds] of results) {
  console.log(`${name.padEnd(34)} median of rounds: p50 ${f(median(rounds.map((x) => x.p50)))} p99 ${f(median(rounds.map((x) => x.p99)))} spread p50 ${f(median(rounds.map((x) => x.spreadP50)))} p99 ${f(median(rounds.map((x) => x.spreadP99)))} ms; preempted ${median(rounds.map((x) => x.preemptedPerUpdate)).toFixed(1)} per update; server CPU ${median(rounds.map((x) => x.cpuUsPerUpdate)).toFixed(0)} µs per update`)
}
// The providers' and servers' leftovers (timers, pipes) would keep the process alive.
process.exit(0)
