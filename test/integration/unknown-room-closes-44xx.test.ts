import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectClient, rawClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('an unknown workshop closes with 4404 and the provider stops reconnecting [S11]', async () => {
  // A genuine token of a workshop that does not exist: without one, the answer is 4401 ([A1]).
  const client = connectClient(server.syncUrl, 'nosuchworkshop1/swot', {
    params: { token: await server.mintToken('nosuchworkshop1', 'team') },
  })
  const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
    client.provider.on('closed', (event) => resolve(event))
  })
  expect(closed.code).toBe(CLOSE_CODES.unknownWorkshop)
  expect(closed.reason).toBe('unknown workshop')
  expect(client.provider.shouldConnect).toBe(false)
  client.destroy()
})

test.each([
  ['an unknown board', (id: string) => `/sync/${id}/kanban`, CLOSE_CODES.badRoom],
  ['extra path segments', (id: string) => `/sync/${id}/swot/extra`, CLOSE_CODES.badRoom],
  ['a missing board', (id: string) => `/sync/${id}`, CLOSE_CODES.badRoom],
  ['an unknown workshop with a malformed token', () => '/sync/nosuchworkshop1/swot?token=secret', CLOSE_CODES.unauthorized],
])('%s closes the upgraded socket with its 44xx code [S11]', async (_name, path, code) => {
  const workshop = await server.createWorkshop()
  const raw = rawClient(`${server.syncUrl.replace(/\/sync$/, '')}${path(workshop.id)}`)
  await raw.opened
  expect((await raw.closed).code).toBe(code)
  expect(server.server.rooms.names()).toEqual([])
})
