/**
 * [S35] Issue 17: the instance compacting a board is paused (SIGSTOP) while its clients and
 * another instance's go on writing; the other instance takes the compaction lease over under a
 * new epoch. Resumed, the paused instance's compaction is refused inside its transaction (fenced),
 * and nothing anyone wrote is lost.
 */
import pg from 'pg'
import { expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import type { ChildServer } from '../helpers/childServer.ts'
import { createWorkshop } from '../helpers/startServer.ts'
import { entries, setEntry } from '../helpers/testEntries.ts'

const cluster = useCluster()
/**
 * Each client rewrites this many keys: the board stays small, so that its compaction thresholds
 * stay at COMPACT_AFTER_UPDATES rows (they grow with the merged size, [S23]).
 */
const KEYS = 4

type Lease = { owner: string; epoch: number }

async function leaseOf(url: string, doc: string): Promise<Lease | undefined> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query('SELECT owner, epoch::integer AS epoch FROM compaction_leases WHERE doc = $1', [doc])
    return rows[0] as Lease | undefined // the two columns selected
  } finally {
    await client.end()
  }
}

/** Whether `owner` (`host:pid:random`) is the instance `server`. */
function isOwner(owner: string | undefined, server: ChildServer): boolean {
  return owner?.split(':')[1] === String(server.process.pid)
}

test('an instance paused while another takes the compaction over cannot compact when resumed, and nothing is lost [S35]', async () => {
  const env = await cluster.env({ COMPACT_AFTER_UPDATES: '5', COMPACTION_LEASE_MS: '1000' })
  const instances = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(instances[0]?.url ?? '')
  const room = `${workshop.id}/swot`
  const clients = await Promise.all(instances.map((instance) => connectSynced(instance.syncUrl, room)))
  let written = 0
  /** Both clients hold every client's edits of the last round. */
  const inStep = () =>
    clients.every((client) => {
      const content = entries(client.doc)
      return [0, 1].every((i) => content[`c${i}-${(written - 1) % KEYS}`] === written - 1)
    })
  const writeRound = (which: number[]) => {
    for (const i of which) {
      const doc = clients[i]?.doc
      if (doc) setEntry(doc, `c${i}-${written % KEYS}`, written)
    }
    written++
  }

  // Whoever compacts first holds the lease.
  let lease: Lease | undefined
  while (lease === undefined) {
    writeRound([0, 1])
    await new Promise((resolve) => setTimeout(resolve, 30))
    lease = await leaseOf(env.DATABASE_URL ?? '', room)
  }
  const holderIndex = instances.findIndex((instance) => isOwner(lease?.owner, instance))
  const holder = instances[holderIndex]
  const other = instances[1 - holderIndex]
  if (!holder || !other) throw new Error(`lease held by an unknown instance: ${lease.owner}`)
  // Let the other instance apply everything the holder stored, then pause the holder.
  await waitFor(() => inStep(), 'both clients in step')
  holder.process.kill('SIGSTOP')

  // Both clients go on writing (the paused instance's client into its socket); the other instance
  // takes the lease over once it expired.
  let takenOver: Lease | undefined
  while (takenOver === undefined) {
    writeRound([0, 1])
    await new Promise((resolve) => setTimeout(resolve, 50))
    const now = await leaseOf(env.DATABASE_URL ?? '', room)
    if (now && isOwner(now.owner, other)) takenOver = now
  }
  expect(takenOver.epoch).toBeGreaterThan(lease.epoch)
  // A few more rounds from both so that the resumed instance has a compaction due at once.
  for (let i = 0; i < 6; i++) writeRound([0, 1])
  holder.process.kill('SIGCONT')

  // Its clients' edits keep coming, so a compaction falls due on the resumed instance soon.
  const deadline = Date.now() + 90_000
  while (!holder.stderr().includes('sync.compaction_fenced')) {
    if (Date.now() > deadline) throw new Error(`the resumed instance never tried to compact; its log:\n${holder.stderr().slice(-4000)}`)
    writeRound([0, 1])
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const after = await leaseOf(env.DATABASE_URL ?? '', room)
  expect(isOwner(after?.owner, other)).toBe(true)

  // Nothing lost: both clients converge on the last round of edits, and a fresh instance loads it.
  await waitFor(() => inStep(), 'both clients to have every edit', 60_000)
  const final = entries(clients[0]?.doc)
  for (const i of [0, 1]) for (let k = 0; k < KEYS; k++) expect(final[`c${i}-${(written - 1 - k) % KEYS}`]).toBe(written - 1 - k)
  const fresh = await connectSynced((await cluster.start(env)).syncUrl, room)
  expect(mapContent(fresh.doc)).toEqual(final)
  for (const client of [...clients, fresh]) client.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
