/**
 * [S34] Issue 17: Redis is killed in the middle of a session on two instances. Edits keep syncing
 * through PostgreSQL alone (polling the open rooms' logs), nothing is lost, and once Redis is back
 * the instances use it again.
 */
import { expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, nameSeen, untilHealth, useCluster } from '../helpers/cluster.ts'
import { createWorkshop } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

const cluster = useCluster()
const EDITS_PER_PHASE = 10

test('Redis killed mid-session: edits still sync through PostgreSQL, nothing is lost, and Redis is used again once back [S34]', async () => {
  const env = await cluster.env({ CLUSTER_POLL_MS: '200' })
  const instances = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(instances[0]?.url ?? '')
  const room = `${workshop.id}/swot`
  const [alice, bob] = await Promise.all(instances.map((instance) => connectSynced(instance.syncUrl, room)))
  if (!alice || !bob) throw new Error('two clients')
  let written = 0
  // One writer at a time: the other instance stores nothing meanwhile, so only the fan-out (Redis,
  // or the polling without it) can bring it the writer's rows.
  const phase = async (label: string) => {
    for (const [writer, reader] of [[alice, bob], [bob, alice]] as const) {
      for (let i = 0; i < EDITS_PER_PHASE; i++) {
        setEntry(writer.doc, `${label}-${writer.doc.clientID}-${i}`, i)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      written += EDITS_PER_PHASE
      await waitFor(() => Object.keys(mapContent(reader.doc)).length === written, `the ${label} edits on the other instance`, 60_000)
    }
  }

  alice.provider.awareness.setLocalStateField('user', { name: 'Alice' })
  await waitFor(() => nameSeen(bob, alice) === 'Alice', 'presence through Redis')
  await phase('before')

  await cluster.redis().kill()
  await waitFor(() => instances.every((instance) => instance.stderr().includes('cluster.fanout_degraded')), 'both instances to fall back to polling')
  await phase('without-redis')
  expect(mapContent(alice.doc)).toEqual(mapContent(bob.doc))

  await cluster.redis().restart()
  for (const instance of instances) await untilHealth(instance, (health) => health['fanout'] === 'redis', 'both instances to use Redis again')
  await waitFor(() => {
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice again' })
    return nameSeen(bob, alice) === 'Alice again'
  }, 'presence once Redis is back', 60_000)
  await phase('after')
  expect(mapContent(alice.doc)).toEqual(mapContent(bob.doc))

  const fresh = await connectSynced((await cluster.start(env)).syncUrl, room)
  expect(mapContent(fresh.doc)).toEqual(mapContent(alice.doc))
  for (const client of [alice, bob, fresh]) client.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
