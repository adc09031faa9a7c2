import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, rawClient, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { getEntry, setEntries, setEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ maxBufferedBytes: 256 * 1024 })
})
afterAll(() => server.close())

test('a peer that stops reading is disconnected with slowConsumer, the others carry on [S9]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const writer = await connectSynced(server.syncUrl, room)
  const reader = await connectSynced(server.syncUrl, room)
  const stuck = rawClient(`${server.syncUrl}/${room}`)
  await stuck.opened
  await waitFor(() => server.server.rooms.get(room)?.connections.size === 3, 'three peers')
  // Stop reading from the socket: the server's send buffer for this peer can only grow.
  stuck.ws.pause()

  // ~48 KiB an update: 16 records, each within the record pass's meta cap ([R2]), at most ~200
  // updates a second, under the per-connection rate ([S28]).
  const chunk = 'x'.repeat(3 * 1024)
  for (let i = 0; server.server.rooms.get(room)?.connections.size === 3; i++) {
    if (i > 2000) throw new Error('the stuck peer was never disconnected')
    setEntries(writer.doc, Object.fromEntries(Array.from({ length: 16 }, (_, k) => [`big${(i * 16 + k) % 800}`, `${i}${chunk}`])))
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  expect(server.server.rooms.get(room)?.connections.size).toBe(2)

  stuck.ws.resume()
  expect((await stuck.closed).code).toBe(CLOSE_CODES.slowConsumer)
  // The reading peer was never affected.
  expect(reader.provider.wsconnected).toBe(true)
  setEntry(writer.doc, 'after', true)
  await waitFor(() => getEntry(reader.doc, 'after') === true, 'the reader to get the next edit')
  writer.destroy()
  reader.destroy()
})
