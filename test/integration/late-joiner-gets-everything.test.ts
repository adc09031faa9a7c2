import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('a late joiner gets everything, from memory and after the room was unloaded [S3]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const a = await connectSynced(server.syncUrl, room)
  const b = await connectSynced(server.syncUrl, room)
  for (let i = 0; i < 100; i++) setEntry((i % 2 === 0 ? a : b).doc, `k${i}`, i)
  setEntry(a.doc, 'notes', 'hello')
  await waitFor(() => Object.keys(mapContent(b.doc)).length === 101 && Object.keys(mapContent(a.doc)).length === 101, 'a and b to converge')

  const late = await connectSynced(server.syncUrl, room)
  // Synced means it has the server's whole document, with no further waiting.
  expect(mapContent(late.doc)).toEqual(mapContent(a.doc))

  for (const client of [a, b, late]) client.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'room to unload')

  const afterReload = await connectSynced(server.syncUrl, room)
  expect(mapContent(afterReload.doc)).toEqual({ ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])), notes: 'hello' })
  afterReload.destroy()
})
