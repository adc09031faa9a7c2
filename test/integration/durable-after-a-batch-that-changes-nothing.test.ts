import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, rawClient, updateFrame, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('whenDurable resolves once a batch that changes nothing (updates the room already has) is applied [S4]', async () => {
  const workshop = await server.createWorkshop()
  const name = `${workshop.id}/swot`
  const writer = await connectSynced(server.syncUrl, name)
  setEntry(writer.doc, 'card', 'placed')
  const room = server.server.rooms.get(name)
  if (!room) throw new Error('room not loaded')
  await waitFor(() => getEntry(room.doc, 'card') === 'placed', 'the edit on the server')
  await room.whenDurable()

  const peer = rawClient(`${server.syncUrl}/${name}`)
  await waitFor(() => peer.received.length > 0 && room.connections.size === 2, 'the peer to join')
  const conn = [...room.connections].at(-1) // the peer: connections keep join order
  if (!conn) throw new Error('no connection')
  // The peer resends what the room already has: queued for the next group commit, applied as a
  // no-op. Someone waiting for durability in between (a snapshot, an unload) must not wait forever.
  conn.receive(updateFrame(Y.encodeStateAsUpdate(writer.doc)))
  expect(room.stats().unflushed).toBe(1)
  const durable = room.whenDurable().then(() => 'durable')
  expect(await Promise.race([durable, sleep(3_000).then(() => 'still waiting')])).toBe('durable')
  expect(room.stats().unflushed).toBe(0)

  peer.ws.close()
  writer.destroy()
})
