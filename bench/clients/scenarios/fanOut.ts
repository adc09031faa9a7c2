import { writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { connectMany } from '../adapters.ts'
import { awaitConvergence } from '../convergence.ts'
import type { FanOutJob, ScenarioResult } from '../protocol.ts'
import { observeRecords } from '../../../shared/docLayout.ts'
import { noteRecord, padding, putRecords } from '../records.ts'
import { percentile } from '../../stats.ts'
import type { ScenarioContext } from './context.ts'
import { waitFor } from '../wait.ts'
import { startCpuMeter } from '../cpuMeter.ts'

/** The note the writer drags. */
const DRAG_ID = 'shape:drag'

interface DragValue {
  seq: number
  t: number
  x: number
  y: number
  pad: string
}

/**
 * (a) A drag: one writer moves one note (`x`, `y` and a ~100-byte `meta.pos`) at `rateHz`; every other
 * client of the room records the time from the writer's local change to its own observe.
 * Writer and receivers share this process, so one clock measures both ends. A receiver that
 * gets several updates in one message (a server that coalesces) is charged for each of
 * them from that update's own send time.
 *
 * `BENCH_FANOUT_DUMP=<prefix>`: also writes, per update, the writer's send and the first and last
 * receivers' observe (ms of `performance.now()`, and `monoOffsetUs` to the monotonic clock that
 * `perf` and V8's CPU profiles use) to `<prefix>.<time>.json`, to split a slow delivery into the
 * server's part and the receivers' (docs/sync-server-targets.md, eighteenth session).
 */
export async function fanOut(job: FanOutJob, ctx: ScenarioContext): Promise<ScenarioResult> {
  const clients = await connectMany(ctx.endpoint, job.room, job.clients)
  const [writer, ...receivers] = clients
  if (!writer) throw new Error('fan-out needs at least one client')
  const warnings: string[] = []

  const period = 1000 / job.rateHz
  const warmupUpdates = Math.round(job.warmupMs / period)
  const total = warmupUpdates + Math.round(job.durationMs / period)
  const sentAt: number[] = []
  const latencies: number[] = []
  const lastSeen = new Array<number>(receivers.length).fill(0)
  // BENCH_FANOUT_DUMP=<prefix>: per update, the first and last receiver's observe (for a look at the tail).
  const firstObserved: number[] = []
  const lastObserved: number[] = []

  receivers.forEach((client, i) => {
    observeRecords(client.doc, (changes) => {
      const meta = changes.put.find((record) => record.id === DRAG_ID)?.meta
      const value = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta.pos as DragValue | undefined) : undefined // written by the writer below
      if (!value) return
      const now = performance.now()
      for (let seq = (lastSeen[i] ?? 0) + 1; seq <= value.seq; seq++) {
        const sent = sentAt[seq]
        if (seq > warmupUpdates && sent !== undefined) latencies.push(now - sent)
        firstObserved[seq] ??= now
        lastObserved[seq] = now
      }
      lastSeen[i] = Math.max(lastSeen[i] ?? 0, value.seq)
    })
  })

  let updateBytes = 0
  writer.doc.on('update', (update: Uint8Array) => (updateBytes += update.byteLength))
  const stopCpuMeter = await startCpuMeter(ctx)
  const start = performance.now()
  for (let seq = 1; seq <= total; seq++) {
    // Absolute schedule, so timer lateness does not lower the rate.
    const due = start + seq * period
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    sentAt[seq] = performance.now()
    const pos: DragValue = { seq, t: sentAt[seq] ?? 0, x: 100 + (seq % 500), y: 200 + (seq % 300), pad: padding(40) }
    putRecords(writer.doc, [{ ...noteRecord(DRAG_ID, 0, pos.x, pos.y), meta: { pos: { ...pos } } }])
  }

  const cpu = await stopCpuMeter()
  const drained = await waitFor(() => lastSeen.every((s) => s >= total), 10_000)
  if (!drained) {
    const missing = lastSeen.filter((s) => s < total).length
    warnings.push(`${missing} of ${receivers.length} receivers did not get the last update within 10 s`)
  }
  warnings.push(...(await awaitConvergence(new Map([[job.room, clients.map((c) => c.doc)]]), 5000)))
  const drops = clients.reduce((n, c) => n + c.drops(), 0)
  if (drops > 0) warnings.push(`${drops} connection drop(s) during the run`)
  const expected = receivers.length * (total - warmupUpdates)
  if (latencies.length < expected) warnings.push(`${expected - latencies.length} of ${expected} deliveries never observed`)

  for (const client of clients) client.destroy()
  const dump = process.env.BENCH_FANOUT_DUMP
  if (dump) {
    const rows = sentAt.map((sent, seq) => [seq, sent, firstObserved[seq] ?? null, lastObserved[seq] ?? null])
    await writeFile(`${dump}.${Date.now()}.json`, JSON.stringify({ url: ctx.endpoint.wsUrl, monoOffsetUs: Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000, warmupUpdates, rows: rows.filter((r) => r[1] !== undefined) }))
  }
  latencies.sort((a, b) => a - b)
  return {
    metrics: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      samples: latencies.length,
      updateBytes: updateBytes / total,
      // Every update of the metered run goes to every receiver.
      serverMsPer1k: ((cpu.serverSeconds * 1000) / (receivers.length * total)) * 1000,
      serverCpuPct: cpu.server,
      clientCpuPct: cpu.client,
      otherCpuPct: cpu.other,
    },
    warnings,
  }
}
