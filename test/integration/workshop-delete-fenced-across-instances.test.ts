/**
 * [S36] Issue 17: a workshop deleted on instance a while a client keeps writing to one of its
 * boards on instance b. Redis is down, so b hears of the delete only from its access poll ([A24]):
 * until then its room of the workshop stays open and its client's edits reach its group commit.
 * The store refuses them, the client ends refused with 4404, and nothing of the workshop is left
 * in PostgreSQL once b has unloaded the room.
 */
import pg from 'pg'
import { expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, untilHealth, useCluster } from '../helpers/cluster.ts'
import { createWorkshop, workshopFetch } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

const cluster = useCluster()

/** Rows anywhere in the database that belong to `workshopId`. */
async function leftovers(url: string, workshopId: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const counts: Record<string, number> = {}
    const ofDocs = { doc_heads: 'doc', doc_updates: 'doc', compaction_leases: 'doc', board_presence: 'doc' }
    for (const [table, column] of Object.entries(ofDocs)) {
      const { rows } = await client.query(`SELECT count(*)::integer AS n FROM ${table} WHERE starts_with(${column}, $1 || '/')`, [workshopId])
      counts[table] = (rows[0] as { n: number }).n
    }
    for (const table of ['snapshots', 'board_changes', 'votes', 'workshop_timers', 'workshop_access']) {
      const { rows } = await client.query(`SELECT count(*)::integer AS n FROM ${table} WHERE workshop_id = $1`, [workshopId])
      counts[table] = (rows[0] as { n: number }).n
    }
    const { rows } = await client.query('SELECT count(*)::integer AS n FROM workshops WHERE id = $1', [workshopId])
    counts['workshops'] = (rows[0] as { n: number }).n
    return counts
  } finally {
    await client.end()
  }
}

test('[S36] deleting a workshop on one instance while a client writes to it on another leaves nothing of it in PostgreSQL', async () => {
  const env = await cluster.env({ CLUSTER_POLL_MS: '200', ROOM_UNLOAD_GRACE_MS: '200', HISTORY_IDLE_MS: '100' })
  const a = await cluster.start(env)
  const b = await cluster.start(env)
  try {
    await cluster.redis().kill()
    const workshop = await createWorkshop(a.url)
    const room = `${workshop.id}/swot`
    const writer = await connectSynced(b.syncUrl, room, { shouldReconnect: () => true })
    let refused: { code: number; reason: string } | undefined
    writer.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event && event.code === CLOSE_CODES.unknownWorkshop) refused = { code: event.code, reason: event.reason }
    })
    // Writes until it is turned away for good, before, during and after the delete.
    let written = 0
    const writing = (async () => {
      while (refused === undefined) {
        setEntry(writer.doc, `note-${written}`, written)
        written++
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    await waitFor(() => written >= 10, 'the first edits')

    const response = await workshopFetch(`${a.url}/api/workshops/${workshop.id}`, { method: 'DELETE' })
    expect(response.status).toBe(204)
    await writing
    expect(refused?.code).toBe(CLOSE_CODES.unknownWorkshop)
    writer.destroy()

    await untilHealth(b, (health) => health['rooms'] === 0, 'b to unload the room')
    expect(await leftovers(env['DATABASE_URL'] ?? '', workshop.id)).toEqual({
      doc_heads: 0,
      doc_updates: 0,
      compaction_leases: 0,
      board_presence: 0,
      snapshots: 0,
      board_changes: 0,
      votes: 0,
      workshop_timers: 0,
      workshop_access: 0,
      workshops: 0,
    })
    // b took edits after the delete (its room was open) and the store turned them away.
    expect(b.stderr()).toContain('store.append_refused_deleted_workshop')
    // [S39] Redis down at the delete: its generation key is left (logged) and the delete goes on.
    expect(a.stderr()).toContain('cluster.generation_forget_failed')
  } finally {
    await cluster.redis().restart()
  }
}, CLUSTER_TEST_TIMEOUT_MS)
