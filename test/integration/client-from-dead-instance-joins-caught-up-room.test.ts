/**
 * [S32] [S26] Issue 17: an instance stored a row and relayed it to its client, then died before
 * publishing it. The client comes back through the balancer on another instance, whose room never
 * heard of the row, and at once sends an edit that builds on it. The room first applies what the
 * store holds, so the edit is accepted instead of refused as referencing structs the board lacks.
 */
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { connectSynced, mapContent, rawClient, updateFrame, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { createWorkshop } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

const cluster = useCluster()

test('a client holding a row its dead instance never published joins a room that has applied it first [S32]', async () => {
  // No polling within the test: only the catch-up at join can bring the row in.
  const env = await cluster.env({ CLUSTER_POLL_MS: '600000' })
  const a = await cluster.start(env)
  const workshop = await createWorkshop(a.url)
  const room = `${workshop.id}/swot`
  const watcher = await connectSynced(a.syncUrl, room)

  // What the dead instance stored and relayed to its client, but never published.
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(watcher.doc))
  const before = Y.encodeStateVector(client)
  setEntry(client, 'stored-by-the-dead-instance', 1)
  const store = await PostgresStore.open(env.DATABASE_URL ?? '')
  try {
    await store.appendUpdates([{ docName: room, update: Y.encodeStateAsUpdate(client, before) }])
  } finally {
    await store.close()
  }

  // The client's next edit builds on that row and arrives before anything else.
  const known = Y.encodeStateVector(client)
  setEntry(client, 'made-after-moving', 2)
  const moved = rawClient(`${a.syncUrl}/${room}?token=${workshop.tokens.team}&user=user:mover`)
  moved.ws.once('open', () => moved.send(updateFrame(Y.encodeStateAsUpdate(client, known))))
  await moved.opened

  await waitFor(() => mapContent(watcher.doc)['made-after-moving'] === 2, 'the moved client\'s edit to reach the room', 30_000)
  expect(mapContent(watcher.doc)['stored-by-the-dead-instance']).toBe(1)
  expect(moved.ws.readyState).toBe(moved.ws.OPEN)
  moved.ws.close()
  watcher.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
