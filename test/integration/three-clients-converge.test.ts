import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('three clients editing concurrently converge', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const clients = await Promise.all([0, 1, 2].map(() => connectSynced(server.syncUrl, room)))
  // Interleave writes without waiting: every client edits the same map and list concurrently.
  for (let round = 0; round < 50; round++) {
    clients.forEach((client, i) => {
      client.doc.getMap('test').set(`c${i}-${round}`, round)
      client.doc.getMap('test').set('contended', `c${i}-${round}`)
      client.doc.getArray('list').insert(0, [`c${i}-${round}`])
    })
  }
  const expectedKeys = 3 * 50 + 1
  await waitFor(
    () => clients.every((c) => Object.keys(mapContent(c.doc)).length === expectedKeys && c.doc.getArray('list').length === 150),
    'all clients to have every edit',
  )
  const [first, ...rest] = clients.map((c) => ({ map: mapContent(c.doc), list: c.doc.getArray('list').toJSON() }))
  for (const other of rest) expect(other).toEqual(first)
  clients.forEach((c) => c.destroy())
})
