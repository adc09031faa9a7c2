/**
 * [S1] [S34] Issue 17: `kill -9` of one of three instances in the middle of a burst of edits from
 * clients on all of them. Its clients reconnect to a surviving instance (as through the balancer)
 * with their documents, unsent edits included; afterwards every client has every edit any peer
 * had, and so does a fresh instance loading the board from PostgreSQL.
 */
import { expect, test } from 'vitest'
import { connectClient, connectSynced, mapContent, waitFor, type TestClient } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { createWorkshop } from '../helpers/startServer.ts'
import { entries, setEntry } from '../helpers/testEntries.ts'

const cluster = useCluster()
const EDITS_PER_WRITER = 40
const KILL_AFTER = 15

test('kill -9 of an instance mid-burst: every client reconnected elsewhere has every edit any peer had [S1] [S34]', async () => {
  const env = await cluster.env({ COMPACT_AFTER_UPDATES: '10' })
  const instances = await Promise.all([cluster.start(env), cluster.start(env), cluster.start(env)])
  const [a, b, c] = instances
  if (!a || !b || !c) throw new Error('three instances')
  const workshop = await createWorkshop(a.url)
  const room = `${workshop.id}/swot`
  const writers = await Promise.all(instances.map((instance) => connectSynced(instance.syncUrl, room)))
  const observers = await Promise.all(instances.map((instance) => connectSynced(instance.syncUrl, room)))

  const moved = new Map<TestClient, TestClient>()
  let seenAtKill: Record<string, unknown> = {}
  for (let i = 0; i < EDITS_PER_WRITER; i++) {
    for (const [w, writer] of writers.entries()) setEntry((moved.get(writer) ?? writer).doc, `w${w}-${i}`, i)
    await new Promise((resolve) => setTimeout(resolve, 3))
    if (i !== KILL_AFTER) continue
    b.process.kill('SIGKILL')
    await b.exited
    // Whatever any peer had received when the instance died.
    seenAtKill = Object.assign({}, ...[...writers, ...observers].map((client) => mapContent(client.doc)))
    // B's clients come back through the balancer on A, with their documents (unsent edits too).
    for (const client of [writers[1], observers[1]]) {
      if (!client) continue
      client.provider.destroy()
      moved.set(client, connectClient(a.syncUrl, room, { doc: client.doc }))
    }
  }
  const clients = [...writers, ...observers].map((client) => moved.get(client) ?? client)
  const everything = 3 * EDITS_PER_WRITER
  await waitFor(() => clients.every((client) => Object.keys(mapContent(client.doc)).length === everything), 'every client to have every edit', 90_000).catch((error: unknown) => {
    const counts = clients.map((client) => Object.keys(mapContent(client.doc)).length)
    const logs = [a, c].map((instance) => `exit ${instance.process.exitCode ?? 'running'}:\n${instance.stderr().slice(-2000)}`)
    throw new Error(`${String(error)}; edits per client ${counts.join(', ')} of ${everything}\n${logs.join('\n')}`)
  })
  const final = entries(writers[0]?.doc)
  for (const client of clients) expect(mapContent(client.doc)).toEqual(final)
  expect(Object.keys(seenAtKill).filter((key) => final[key] !== seenAtKill[key])).toEqual([])

  // Everything is in PostgreSQL: a new instance loads it all.
  const d = await cluster.start(env)
  const fresh = await connectSynced(d.syncUrl, room)
  expect(mapContent(fresh.doc)).toEqual(final)
  for (const client of [...clients, fresh]) client.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
