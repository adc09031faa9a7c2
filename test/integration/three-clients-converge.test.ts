import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

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
      setEntry(client.doc, `c${i}-${round}`, round)
      setEntry(client.doc, 'contended', `c${i}-${round}`)
      setEntry(client.doc, `l${i}-${round}`, `c${i}-${round}`)
    })
  }
  const expectedKeys = 2 * 3 * 50 + 1
  await waitFor(
    () => clients.every((c) => Object.keys(mapContent(c.doc)).length === expectedKeys),
    'all clients to have every edit',
  )
  const [first, ...rest] = clients.map((c) => mapContent(c.doc))
  for (const other of rest) expect(other).toEqual(first)
  clients.forEach((c) => c.destroy())
})
