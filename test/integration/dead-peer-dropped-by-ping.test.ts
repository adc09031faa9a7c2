import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, rawClient, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ pingIntervalMs: 250 })
})
afterAll(() => server.close())

test('a peer that answers no pings is dropped; one that does stays [S10]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const healthy = await connectSynced(server.syncUrl, room)
  const dead = rawClient(`${server.syncUrl}/${room}`, { autoPong: false })
  await dead.opened
  await waitFor(() => server.server.rooms.get(room)?.connections.size === 2, 'both peers to join')
  let pings = 0
  dead.ws.on('ping', () => pings++)

  const closed = await dead.closed
  // Terminated, not closed: a peer that does not answer would not read a close frame either.
  expect(closed.code).toBe(1006)
  expect(pings).toBeGreaterThan(0)
  expect(server.server.rooms.get(room)?.connections.size).toBe(1)
  // The healthy provider answered the same pings and is still in sync.
  expect(healthy.provider.wsconnected).toBe(true)
  healthy.destroy()
})
