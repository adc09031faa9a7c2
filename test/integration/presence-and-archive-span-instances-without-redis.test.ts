/**
 * Issue 17 with Redis killed: what Redis carried between instances still crosses them through
 * PostgreSQL. Presence ([S33]): a client on each of two instances sees the other's presence, and
 * it goes when that client leaves; `/api/health` says presence is polled. Access changes ([A24]):
 * an archive on one instance closes a client on the other within the access poll, not when Redis
 * returns.
 */
import { expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, nextClose, waitFor } from '../helpers/clients.ts'
import type { ChildServer } from '../helpers/childServer.ts'
import { CLUSTER_TEST_TIMEOUT_MS, healthOf, nameSeen, namedClients, untilHealth, useCluster } from '../helpers/cluster.ts'
import { openControl } from '../helpers/controlClient.ts'
import { createWorkshop, workshopFetch } from '../helpers/startServer.ts'

const cluster = useCluster()

/** Two instances of a new database, with Redis killed once both are up. */
async function instancesWithoutRedis(): Promise<[ChildServer, ChildServer]> {
  const env = await cluster.env({ CLUSTER_POLL_MS: '200' })
  const a = await cluster.start(env)
  const b = await cluster.start(env)
  await cluster.redis().kill()
  for (const server of [a, b]) await untilHealth(server, (health) => health['presence'] === 'postgres-polling', 'health to say presence is polled')
  return [a, b]
}

test('[S33] Redis killed: a client on each instance sees the other\'s presence through PostgreSQL, and it goes when that client leaves', async () => {
  const [a, b] = await instancesWithoutRedis()
  try {
    expect(await healthOf(a)).toEqual({ status: 'degraded', rooms: expect.any(Number), database: 'ready', redis: 'down', fanout: 'postgres-polling', presence: 'postgres-polling' })
    const workshop = await createWorkshop(a.url)
    const { alice, bob } = await namedClients(a, b, `${workshop.id}/swot`)
    await waitFor(() => nameSeen(bob, alice) === 'Alice', 'Bob to see Alice (instance a) through PostgreSQL', 60_000)
    await waitFor(() => nameSeen(alice, bob) === 'Bob', 'Alice to see Bob (instance b) through PostgreSQL', 60_000)

    bob.destroy()
    await waitFor(() => !alice.provider.awareness.getStates().has(bob.doc.clientID), 'Bob\'s presence to go once he left', 60_000)
    alice.destroy()
  } finally {
    await cluster.redis().restart()
  }
}, CLUSTER_TEST_TIMEOUT_MS)

test('[A24] Redis killed: archiving on one instance closes a client on the other with 1013 within the access poll', async () => {
  const [a, b] = await instancesWithoutRedis()
  try {
    const workshop = await createWorkshop(a.url)
    const bob = await connectSynced(b.syncUrl, `${workshop.id}/swot`)
    let closed: { code: number; reason: string } | undefined
    void nextClose(bob.provider).then((close) => (closed = close))
    const response = await workshopFetch(`${a.url}/api/workshops/${workshop.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ archived: true }),
    })
    expect(response.status).toBe(200)
    await waitFor(() => closed !== undefined, 'the client on the other instance to be closed', 60_000)
    expect(closed).toEqual({ code: CLOSE_CODES.tryAgainLater, reason: 'workshop archived, reconnect' })
    bob.destroy()
  } finally {
    await cluster.redis().restart()
  }
}, CLUSTER_TEST_TIMEOUT_MS)

test('[C13] Redis killed: a rename on one instance reaches a room page on the other within the access poll (QA q36a)', async () => {
  const [a, b] = await instancesWithoutRedis()
  try {
    const workshop = await createWorkshop(a.url)
    // Only a room page on B (no board open there).
    const page = await openControl(b, workshop.id, workshop.tokens.team, 'Tom')
    const told = () => page.messages.filter((m) => m.type === 'workshop').length
    // B's first read of the workshop since Redis went: the page reads it once (a change may have been lost before).
    await waitFor(() => told() === 1, 'the first read to tell the page', 60_000)
    const response = await workshopFetch(`${a.url}/api/workshops/${workshop.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'FY28 account plan' }),
    })
    expect(response.status).toBe(200)
    await waitFor(() => told() === 2, 'the rename to reach the page on B', 60_000)
    page.close()
  } finally {
    await cluster.redis().restart()
  }
}, CLUSTER_TEST_TIMEOUT_MS)
