/**
 * [S32] [S33] Issue 17: clients of one board connected to different instances (as a round-robin
 * balancer spreads them) see each other's edits and presence live; a late joiner on a third
 * instance gets the whole board and everyone's presence.
 */
import { expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor, type TestClient } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { createWorkshop } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

const cluster = useCluster()
const EDITS_PER_CLIENT = 20

function sees(client: TestClient, other: TestClient, name: string): boolean {
  return client.provider.awareness.getStates().get(other.doc.clientID)?.user?.name === name
}

test('two instances: edits and presence converge; a late joiner on a third gets everything [S32] [S33]', async () => {
  const env = await cluster.env({ COMPACT_AFTER_UPDATES: '10' })
  const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)
  const room = `${workshop.id}/swot`
  const alice = await connectSynced(a.syncUrl, room)
  const bob = await connectSynced(b.syncUrl, room)
  alice.provider.awareness.setLocalStateField('user', { name: 'Alice' })
  bob.provider.awareness.setLocalStateField('user', { name: 'Bob' })
  await waitFor(() => sees(alice, bob, 'Bob') && sees(bob, alice, 'Alice'), 'presence across the two instances')

  for (let i = 0; i < EDITS_PER_CLIENT; i++) {
    setEntry(alice.doc, `a${i}`, i)
    setEntry(bob.doc, `b${i}`, i)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const complete = (client: TestClient) => Object.keys(mapContent(client.doc)).length === 2 * EDITS_PER_CLIENT
  await waitFor(() => complete(alice) && complete(bob), 'both clients to have every edit', 60_000)
  expect(mapContent(alice.doc)).toEqual(mapContent(bob.doc))

  const c = await cluster.start(env)
  const carol = await connectSynced(c.syncUrl, room)
  expect(mapContent(carol.doc)).toEqual(mapContent(alice.doc))
  await waitFor(() => sees(carol, alice, 'Alice') && sees(carol, bob, 'Bob'), 'the late joiner to see everyone present', 30_000)

  // The third instance's edits reach the other two.
  setEntry(carol.doc, 'c', 'late')
  await waitFor(() => mapContent(alice.doc)['c'] === 'late' && mapContent(bob.doc)['c'] === 'late', 'the late joiner\'s edit everywhere')

  // A client that leaves disappears from the other instances' clients.
  bob.destroy()
  await waitFor(() => !alice.provider.awareness.getStates().has(bob.doc.clientID) && !carol.provider.awareness.getStates().has(bob.doc.clientID), 'bob gone everywhere', 30_000)
  alice.destroy()
  carol.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
