import { connectMany, type SyncClient } from '../adapters.ts'
import { awaitConvergence } from '../convergence.ts'
import type { IdleRoomsJob, ScenarioResult } from '../protocol.ts'
import { noteRecord, putRecords, shapeId } from '../records.ts'
import type { ScenarioContext } from './context.ts'

/** Rooms connected at once; more would only measure the accept queue. */
const CONNECT_BATCH = 10
/**
 * How long the rooms idle before the second reading. V8 shrinks a young generation that grew
 * during a busy start only once its memory reducer sees the process idle (several seconds after
 * the last full GC); a forced GC does not. A server runs idle most of its life, so both readings
 * are shown.
 */
const IDLE_MS = 30_000

/**
 * (d) `rooms` rooms × `clientsPerRoom` clients, each room with `recordsPerRoom` records
 * written by its first client; once everything is synced and converged, the parent reads the
 * server's settled RSS while the clients stay connected and idle, at once and after 30 s of idling.
 */
export async function idleRooms(job: IdleRoomsJob, ctx: ScenarioContext): Promise<ScenarioResult> {
  const byRoom = new Map<string, SyncClient[]>()
  for (let i = 0; i < job.rooms.length; i += CONNECT_BATCH) {
    const batch = job.rooms.slice(i, i + CONNECT_BATCH)
    await Promise.all(
      batch.map(async (room) => {
        const clients = await connectMany(ctx.endpoint, room, job.clientsPerRoom)
        byRoom.set(room, clients)
        const doc = clients[0]?.doc
        for (let n = 0; n < job.recordsPerRoom; n++) if (doc) putRecords(doc, [noteRecord(shapeId(0, n), n, n * 10, n * 10)])
      }),
    )
  }
  const docs = new Map([...byRoom].map(([room, clients]) => [room, clients.map((c) => c.doc)]))
  const warnings = await awaitConvergence(docs, 20_000)
  const rssMb = (await ctx.request({ what: 'measure-memory' })) as number // the parent answers measure-memory with MB
  const idleRssMb = (await ctx.request({ what: 'measure-memory', idleMs: IDLE_MS })) as number
  const clients = [...byRoom.values()].flat()
  const drops = clients.reduce((n, c) => n + c.drops(), 0)
  if (drops > 0) warnings.push(`${drops} connection drop(s) while idle`)
  for (const client of clients) client.destroy()
  return { metrics: { rssMb, roomsIdleRssMb: idleRssMb }, warnings }
}
