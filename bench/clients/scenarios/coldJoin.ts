import { setTimeout as sleep } from 'node:timers/promises'
import * as Y from 'yjs'
import { connect, connectMany } from '../adapters.ts'
import { awaitConvergence } from '../convergence.ts'
import { startCpuMeter } from '../cpuMeter.ts'
import { waitFor } from '../wait.ts'
import type { ColdJoinJob, Endpoint, ScenarioResult } from '../protocol.ts'
import { readRecords } from '../../../shared/docLayout.ts'
import { noteRecord, putRecords, shapeId } from '../records.ts'
import type { ScenarioContext } from './context.ts'
import { mean, median } from '../../stats.ts'

/** Updates a writer may have in flight (not yet seen by the observer) while building. */
const BUILD_WINDOW = 64
/** Time to let servers with debounced storage (Hocuspocus: 2 s) write before the restart. */
const STORE_SETTLE_MS = 3500
const JOIN_TIMEOUT_MS = 60_000

/**
 * (c) Builds a board through real clients (`shapes` records created, then `edits` updates of
 * random records, one transaction each), restarts the server so the room must come from disk,
 * and times fresh joins: from creating the provider to holding the complete board. "Synced"
 * alone is not enough: a server that answers before loading (y-websocket-server: issue 81)
 * would sync an empty doc first; that is reported as a warning and the join is timed until
 * the content is there.
 */
export async function coldJoin(job: ColdJoinJob, ctx: ScenarioContext): Promise<ScenarioResult> {
  const warnings: string[] = []
  const buildStart = performance.now()
  const { expected, docBytes } = await build(job, ctx)
  const buildSeconds = (performance.now() - buildStart) / 1000
  ctx.log(`built ${job.shapes} shapes + ${job.edits} edits in ${buildSeconds.toFixed(1)} s (${(docBytes / 1024).toFixed(0)} KB)`)
  await sleep(STORE_SETTLE_MS)

  const cold: number[] = []
  const warm: number[] = []
  const noise: number[] = []
  let earlySyncs = 0
  const record = (result: JoinResult, what: string, into: number[]) => {
    noise.push(result.otherCpuPct)
    if (result.syncedIncomplete) earlySyncs++
    if (result.incomplete !== undefined) warnings.push(`${what}: ${result.incomplete}`)
    else into.push(result.ms)
  }
  for (let i = 0; i < job.restarts; i++) {
    ctx.endpoint = (await ctx.request({ what: 'restart-server' })) as Endpoint // the parent answers restart-server with the new Endpoint
    record(await timeJoin(ctx, job.room, expected), `cold join after restart ${i + 1}`, cold)
  }
  // Warm joins: a holder keeps the room loaded, since y-websocket-server and Hocuspocus unload
  // a room as soon as its last client leaves (Keyplan after a grace period).
  const holder = connect(ctx.endpoint, job.room)
  const held = await waitFor(() => covers(holder.doc, expected), JOIN_TIMEOUT_MS)
  if (!held) warnings.push('the holder client never received the complete board')
  for (let j = 0; j < job.warmJoins; j++) record(await timeJoin(ctx, job.room, expected), `warm join ${j + 1}`, warm)
  holder.destroy()
  if (earlySyncs > 0) warnings.push(`${earlySyncs} join(s) reported synced before the board was loaded (empty or partial document)`)
  return {
    metrics: {
      coldMs: median(cold),
      firstColdMs: cold[0] ?? Number.NaN,
      warmMs: mean(warm),
      buildUpdatesPerSec: (job.shapes + job.edits) / buildSeconds,
      docKb: docBytes / 1024,
      otherCpuPct: median(noise),
    },
    warnings,
  }
}

/** Writes the board; returns the state vector every later join must reach. */
async function build(job: ColdJoinJob, ctx: ScenarioContext): Promise<{ expected: Uint8Array; docBytes: number }> {
  const [observer, ...writers] = await connectMany(ctx.endpoint, job.room, job.writers + 1)
  if (!observer || writers.length === 0) throw new Error('cold join needs an observer and a writer')
  const shapesPer = Math.ceil(job.shapes / writers.length)
  const editsPer = Math.ceil(job.edits / writers.length)

  // Writers waiting for the observer to catch up; woken on every update it receives.
  let waiting: Array<() => void> = []
  observer.doc.on('update', () => {
    const wake = waiting
    waiting = []
    for (const resolve of wake) resolve()
  })
  // Progress every 10 s, so a build that slows down or stalls shows where and how fast.
  const done = writers.map(() => 0)
  const buildStart = performance.now()
  const progress = setInterval(() => {
    const ops = done.reduce((a, b) => a + b, 0)
    const drops = writers.reduce((n, c) => n + c.drops(), 0)
    ctx.log(`building: ${ops} of ${(shapesPer + editsPer) * writers.length} writes after ${((performance.now() - buildStart) / 1000).toFixed(0)} s, ${drops} connection drop(s)`)
  }, 10_000)
  await Promise.all(
    writers.map(async (writer, w) => {
      const own = writer.doc.clientID
      const random = seededRandom(42 + w)
      for (let op = 0; op < shapesPer + editsPer; op++) {
        while (Y.getState(writer.doc.store, own) - Y.getState(observer.doc.store, own) >= BUILD_WINDOW) {
          await new Promise<void>((resolve) => waiting.push(resolve))
        }
        const n = op < shapesPer ? op : Math.floor(random() * shapesPer)
        putRecords(writer.doc, [noteRecord(shapeId(w, n), n, Math.round(random() * 4000), Math.round(random() * 3000))])
        done[w] = op + 1
        // Yield now and then, so the sockets get flushed while writers take turns.
        if (op % 16 === 15) await new Promise((resolve) => setImmediate(resolve))
      }
    }),
  ).finally(() => clearInterval(progress))
  const clients = [observer, ...writers]
  const notConverged = await awaitConvergence(new Map([[job.room, clients.map((c) => c.doc)]]), 30_000)
  if (notConverged.length > 0) throw new Error(`board build did not converge: ${notConverged.join('; ')}`)
  const expected = Y.encodeStateVector(observer.doc)
  const docBytes = Y.encodeStateAsUpdate(observer.doc).byteLength
  for (const client of clients) client.destroy()
  return { expected, docBytes }
}

interface JoinResult {
  ms: number
  /** CPU other processes used during the join (noise), % of one core. */
  otherCpuPct: number
  syncedIncomplete: boolean
  incomplete?: string
}

/** One fresh client: time from connect until its state vector covers `expected`. */
async function timeJoin(ctx: ScenarioContext, room: string, expected: Uint8Array): Promise<JoinResult> {
  const doc = new Y.Doc()
  const complete = () => covers(doc, expected)
  const stopCpuMeter = await startCpuMeter(ctx)
  const start = performance.now()
  const client = connect(ctx.endpoint, room, doc)
  let syncedIncomplete = false
  void client.synced.then(() => (syncedIncomplete = !complete()))
  const done = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), JOIN_TIMEOUT_MS)
    doc.on('update', () => {
      if (!complete()) return
      clearTimeout(timer)
      resolve(true)
    })
  })
  const ms = performance.now() - start
  const { other: otherCpuPct } = await stopCpuMeter()
  await Promise.race([client.synced, sleep(5000)])
  const records = readRecords(doc).size
  client.destroy()
  doc.destroy()
  if (!done) return { ms, otherCpuPct, syncedIncomplete, incomplete: `board incomplete after ${JOIN_TIMEOUT_MS} ms (${records} records)` }
  return { ms, otherCpuPct, syncedIncomplete }
}

/** xorshift32 with a fixed seed per writer, so every server gets the same board. */
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x100000000
  }
}

/** True when `doc` holds everything the state vector `expected` describes. */
function covers(doc: Y.Doc, expected: Uint8Array): boolean {
  return [...Y.decodeStateVector(expected)].every(([client, clock]) => Y.getState(doc.store, client) >= clock)
}
