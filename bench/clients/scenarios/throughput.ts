import { setTimeout as sleep } from 'node:timers/promises'
import { connectMany, type SyncClient } from '../adapters.ts'
import { awaitConvergence } from '../convergence.ts'
import type { ScenarioResult, ThroughputJob } from '../protocol.ts'
import * as Y from 'yjs'
import { noteRecord, padding, putRecords } from '../records.ts'
import { waitFor } from '../wait.ts'
import { startCpuMeter } from '../cpuMeter.ts'
import type { ScenarioContext } from './context.ts'

/** Id prefix of the writers' notes (`shape:tp-<writer>`). */
const PREFIX = 'shape:tp-'

/** Bookkeeping of one room: what each writer sent and what each receiver has seen of it. */
interface RoomState {
  clients: SyncClient[]
  sent: number[]
  /** clocks[writer][seq]: the writer's Yjs clock right after its write `seq` (clocks[w][0] before any). */
  clocks: number[][]
  /** seen[receiver][writer]: highest seq of `writer` that `receiver` has applied. */
  seen: number[][]
  /** Updates each client received and has not applied yet. */
  pending: Uint8Array[][]
}

/**
 * (b) Every client of every room rewrites its own note (a ~100-byte `meta` value) as fast as its
 * window allows: a writer may have at most `window` updates that some other client of its
 * room has not applied yet. The window is end to end, so neither the client process nor the
 * server can buffer without bound, and a server that loses an update stalls its writer
 * instead of looking fast. Metric: remote updates applied per second, all receivers summed.
 *
 * To keep the harness's own cost per delivery low (on 2 cores the client processes are the
 * limit), each client applies what it received since its last turn in one transaction, once per
 * event-loop turn and before it writes, so it writes on a document as current as before; and an
 * update counts as seen when the writer's Yjs clock in the receiver's document reaches the clock
 * the writer had after writing it, not by reading the records back. Servers get the same frames.
 */
export async function throughput(job: ThroughputJob, ctx: ScenarioContext): Promise<ScenarioResult> {
  const rooms: RoomState[] = []
  let flushScheduled = false
  for (const room of job.rooms) {
    const clients = await connectMany(ctx.endpoint, room, job.clientsPerRoom)
    const n = clients.length
    const state: RoomState = {
      clients,
      sent: new Array<number>(n).fill(0),
      clocks: clients.map((c) => [Y.getState(c.doc.store, c.doc.clientID)]),
      seen: clients.map(() => new Array<number>(n).fill(0)),
      pending: clients.map(() => []),
    }
    clients.forEach((client, r) => {
      client.deferUpdates((update) => {
        state.pending[r]?.push(update)
        scheduleFlush()
      })
    })
    rooms.push(state)
  }
  const warnings: string[] = []
  let running = false
  let delivered = 0

  function scheduleFlush() {
    if (flushScheduled) return
    flushScheduled = true
    setImmediate(turn)
  }
  const inFlight = (room: RoomState, writer: number) => {
    let minSeen = Infinity
    for (let r = 0; r < room.seen.length; r++) if (r !== writer) minSeen = Math.min(minSeen, room.seen[r]?.[writer] ?? 0)
    return (room.sent[writer] ?? 0) - minSeen
  }
  /** Applies what client `r` received, in one transaction, and advances what it has seen. */
  const applyPending = (room: RoomState, r: number) => {
    const updates = room.pending[r]
    const client = room.clients[r]
    const seen = room.seen[r]
    if (!updates || updates.length === 0 || !client || !seen) return
    room.pending[r] = []
    client.applyUpdates(updates)
    const { doc } = client
    room.clients.forEach((writer, w) => {
      const clocks = room.clocks[w]
      if (w === r || !clocks) return
      const clock = Y.getState(doc.store, writer.doc.clientID)
      let s = seen[w] ?? 0
      // Yjs integrates one client's updates in order, so every write up to this clock arrived.
      while (s < (room.sent[w] ?? 0) && (clocks[s + 1] ?? Infinity) <= clock) s++
      if (running) delivered += s - (seen[w] ?? 0)
      seen[w] = s
    })
  }
  const turn = () => {
    flushScheduled = false
    for (const room of rooms) for (let r = 0; r < room.clients.length; r++) applyPending(room, r)
    if (!running) return
    for (const room of rooms) {
      room.clients.forEach((client, w) => {
        const clocks = room.clocks[w]
        for (let free = job.window - inFlight(room, w); free > 0; free--) {
          const seq = (room.sent[w] ?? 0) + 1
          room.sent[w] = seq
          putRecords(client.doc, [{ ...noteRecord(`${PREFIX}${w}`, w, 0, 0), meta: { tp: { seq, pad: padding(80) } } }])
          clocks?.push(Y.getState(client.doc.store, client.doc.clientID))
        }
      })
    }
  }

  // Every client process of the job is connected before any starts writing (see mergeThroughput).
  await ctx.request({ what: 'start' })
  const stopCpuMeter = await startCpuMeter(ctx)
  running = true
  const start = performance.now()
  turn()
  await sleep(job.durationMs)
  running = false
  const elapsed = (performance.now() - start) / 1000
  const rate = delivered / elapsed
  const cpu = await stopCpuMeter()
  const serverMsPer1k = ((cpu.serverSeconds * 1000) / delivered) * 1000

  const drained = await waitFor(() => rooms.every((room) => room.clients.every((_, w) => inFlight(room, w) === 0)), 15_000)
  if (!drained) warnings.push('some updates were never delivered to every client of their room (waited 15 s after the run)')
  const byRoom = new Map(job.rooms.map((name, i) => [name, rooms[i]?.clients.map((c) => c.doc) ?? []]))
  warnings.push(...(await awaitConvergence(byRoom, 5000)))
  const drops = rooms.reduce((n, room) => n + room.clients.reduce((m, c) => m + c.drops(), 0), 0)
  if (drops > 0) warnings.push(`${drops} connection drop(s) during the run`)
  const written = rooms.reduce((n, room) => n + room.sent.reduce((a, b) => a + b, 0), 0)

  for (const room of rooms) for (const client of room.clients) client.destroy()
  const metrics: ThroughputMetrics = {
    delivered: rate,
    written: written / elapsed,
    serverMsPer1k,
    clientMsPer1k: ((cpu.clientSeconds * 1000) / delivered) * 1000,
    serverCpuPct: cpu.server,
    clientCpuPct: cpu.client,
    otherCpuPct: cpu.other,
    deliveredCount: delivered,
    writtenCount: written,
    wallSeconds: cpu.wallSeconds,
    serverSeconds: cpu.serverSeconds,
    clientSeconds: cpu.clientSeconds,
    machineSeconds: cpu.machineSeconds,
  }
  return { metrics: { ...metrics }, warnings }
}

/** What one throughput client process reports: the table's numbers and the counts behind them. */
interface ThroughputMetrics {
  delivered: number
  written: number
  serverMsPer1k: number
  clientMsPer1k: number
  serverCpuPct: number
  clientCpuPct: number
  otherCpuPct: number
  deliveredCount: number
  writtenCount: number
  wallSeconds: number
  serverSeconds: number
  clientSeconds: number
  machineSeconds: number
}

/**
 * One result from the client processes that shared a throughput job, each with its own rooms.
 * They started writing together (the `start` request is a barrier) and measured the same window,
 * so their rates add up; the server's and the machine's CPU were measured by each over that one
 * window, so those are averaged, while the client processes' own CPU adds up.
 */
export function mergeThroughput(parts: readonly ScenarioResult[]): ScenarioResult {
  const sum = (key: keyof ThroughputMetrics) => parts.reduce((n, p) => n + (p.metrics[key] ?? Number.NaN), 0)
  const mean = (key: keyof ThroughputMetrics) => sum(key) / parts.length
  const wall = mean('wallSeconds')
  const server = mean('serverSeconds')
  const client = sum('clientSeconds')
  const machine = mean('machineSeconds')
  const deliveredCount = sum('deliveredCount')
  const pct = (seconds: number) => (seconds / wall) * 100
  const metrics: ThroughputMetrics = {
    delivered: sum('delivered'),
    written: sum('written'),
    serverMsPer1k: ((server * 1000) / deliveredCount) * 1000,
    clientMsPer1k: ((client * 1000) / deliveredCount) * 1000,
    serverCpuPct: pct(server),
    clientCpuPct: pct(client),
    otherCpuPct: pct(Math.max(0, machine - server - client)),
    deliveredCount,
    writtenCount: sum('writtenCount'),
    wallSeconds: wall,
    serverSeconds: server,
    clientSeconds: client,
    machineSeconds: machine,
  }
  return { metrics: { ...metrics }, warnings: parts.flatMap((p) => p.warnings) }
}
