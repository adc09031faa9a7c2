import { setTimeout as sleep } from 'node:timers/promises'
import { connectMany, type SyncClient } from '../adapters.ts'
import { awaitConvergence } from '../convergence.ts'
import type { ScenarioResult, ThroughputJob } from '../protocol.ts'
import { observeRecords } from '../../../shared/docLayout.ts'
import { noteRecord, padding, putRecords } from '../records.ts'
import { waitFor } from '../wait.ts'
import { startCpuMeter } from '../cpuMeter.ts'
import type { ScenarioContext } from './context.ts'

/** Id prefix of the writers' notes (`shape:tp-<writer>`). */
const PREFIX = 'shape:tp-'

interface WriteValue {
  seq: number
  pad: string
}

/** Bookkeeping of one room: what each writer sent and what each receiver has seen of it. */
interface RoomState {
  clients: SyncClient[]
  sent: number[]
  /** seen[receiver][writer]: highest seq of `writer` that `receiver` has observed. */
  seen: number[][]
}

/**
 * (b) Every client of every room rewrites its own note (a ~100-byte `meta` value) as fast as its
 * window allows: a writer may have at most `window` updates that some other client of its
 * room has not observed yet. The window is end to end, so neither the client process nor the
 * server can buffer without bound, and a server that loses an update stalls its writer
 * instead of looking fast. Metric: remote updates observed per second, all receivers summed.
 */
export async function throughput(job: ThroughputJob, ctx: ScenarioContext): Promise<ScenarioResult> {
  const rooms: RoomState[] = []
  for (const room of job.rooms) {
    const clients = await connectMany(ctx.endpoint, room, job.clientsPerRoom)
    const n = clients.length
    rooms.push({ clients, sent: new Array<number>(n).fill(0), seen: clients.map(() => new Array<number>(n).fill(0)) })
  }
  const warnings: string[] = []
  let running = false
  let delivered = 0
  let pumpScheduled = false

  const schedulePump = () => {
    if (pumpScheduled || !running) return
    pumpScheduled = true
    setImmediate(pump)
  }
  const inFlight = (room: RoomState, writer: number) => {
    let minSeen = Infinity
    for (let r = 0; r < room.seen.length; r++) if (r !== writer) minSeen = Math.min(minSeen, room.seen[r]?.[writer] ?? 0)
    return (room.sent[writer] ?? 0) - minSeen
  }
  const pump = () => {
    pumpScheduled = false
    if (!running) return
    for (const room of rooms) {
      room.clients.forEach((client, w) => {
        for (let free = job.window - inFlight(room, w); free > 0; free--) {
          const seq = (room.sent[w] ?? 0) + 1
          room.sent[w] = seq
          putRecords(client.doc, [{ ...noteRecord(`${PREFIX}${w}`, w, 0, 0), meta: { tp: { seq, pad: padding(80) } } }])
        }
      })
    }
  }

  for (const room of rooms) {
    room.clients.forEach((client, r) => {
      observeRecords(client.doc, (changes) => {
        const seen = room.seen[r]
        if (!seen) return
        for (const record of changes.put) {
          if (typeof record.id !== 'string' || !record.id.startsWith(PREFIX)) continue
          const w = Number(record.id.slice(PREFIX.length))
          if (w === r) continue
          const meta = record.meta
          const value = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta.tp as WriteValue | undefined) : undefined // written by pump above
          if (!value || value.seq <= (seen[w] ?? 0)) continue
          // A jump in seq means the skipped updates arrived in this same message (Yjs
          // integrates one client's items in order), so all of them count as delivered.
          if (running) delivered += value.seq - (seen[w] ?? 0)
          seen[w] = value.seq
        }
        schedulePump()
      })
    })
  }

  // Every client process of the job is connected before any starts writing (see mergeThroughput).
  await ctx.request({ what: 'start' })
  const stopCpuMeter = await startCpuMeter(ctx)
  running = true
  const start = performance.now()
  pump()
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
