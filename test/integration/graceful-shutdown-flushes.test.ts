import fs from 'node:fs'
import { afterAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { connectSynced, mapContent, nextClose, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

let server: TestServer
afterAll(() => fs.rmSync(server.dataDir, { recursive: true, force: true }))

test('shutdown writes updates that were applied but not yet stored, then closes peers with 1001 [S12]', async () => {
  server = await startServer()
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const client = await connectSynced(server.syncUrl, room)
  const serverRoom = server.server.rooms.get(room)
  const closed = nextClose(client.provider)

  const count = 200
  let stopping: Promise<void> | undefined
  let unflushedAtStop = 0
  // Stop the server from inside the update that completes the burst: some updates are in memory
  // only at that moment, waiting for their group commit.
  serverRoom?.doc.on('update', () => {
    if (stopping || Object.keys(mapContent(serverRoom.doc)).length < count) return
    unflushedAtStop = serverRoom.stats().unflushed + 1
    stopping = server.stop()
  })
  for (let i = 0; i < count; i++) setEntry(client.doc, `k${i}`, i)
  await waitFor(() => stopping !== undefined, 'the shutdown to start')
  await stopping
  expect(unflushedAtStop).toBeGreaterThan(0)
  expect((await closed).code).toBe(CLOSE_CODES.goingAway)
  client.provider.shouldConnect = false
  client.destroy()

  const store = new SqliteStore(server.dataDir)
  const doc = new Y.Doc()
  for (const update of (await store.loadDocument(room)).updates) Y.applyUpdate(doc, update)
  await store.close()
  expect(Object.keys(mapContent(doc))).toHaveLength(count)
})
