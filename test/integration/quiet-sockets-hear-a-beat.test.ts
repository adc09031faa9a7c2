/**
 * [S45] A socket the server has nothing else to send still hears from it, so that a page can tell a
 * quiet room from a server that stopped answering: a sync socket gets an awareness update of no
 * one (`[1, 1, 0]`), which the stock y-websocket provider takes as a sign of life and applies as a
 * no-op; a room-control socket gets `{"type":"beat"}`. That a page notices a silent server is
 * `test/e2e/hung-server-leaves-connected-then-recovers.test.ts`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ControlServerMessageSchema } from '../../shared/control.ts'
import { connectSynced, rawClient, waitFor } from '../helpers/clients.ts'
import { openControl } from '../helpers/controlClient.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
})
afterAll(() => server.close())

test('a quiet sync socket hears a beat that a stock provider applies as a no-op [S45]', async () => {
  const room = `${workshop.id}/swot`
  const raw = rawClient(`${server.syncUrl}/${room}`)
  await raw.opened
  await waitFor(() => raw.received.some((frame) => frame.length === 3 && frame[0] === 1 && frame[1] === 1 && frame[2] === 0), 'a beat')

  const client = await connectSynced(server.syncUrl, room)
  const heard = client.provider.wsLastMessageReceived
  let awarenessEvents = 0
  client.provider.awareness.on('update', () => awarenessEvents++)
  const states = [...client.provider.awareness.getStates().keys()]
  await waitFor(() => client.provider.wsLastMessageReceived > heard, 'the provider to hear something')
  expect(awarenessEvents).toBe(0)
  expect([...client.provider.awareness.getStates().keys()]).toEqual(states)
  expect(client.provider.wsconnected).toBe(true)
  client.destroy()
  raw.ws.close()
})

test('a quiet room-control socket hears a beat [S45]', async () => {
  const page = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
  const beats: unknown[] = []
  page.ws.on('message', (data) => {
    const message = ControlServerMessageSchema.parse(JSON.parse(String(data)))
    if (message.type === 'beat') beats.push(message)
  })
  await waitFor(() => beats.length > 0, 'a beat')
  expect(beats[0]).toEqual({ type: 'beat' })
  page.close()
})
