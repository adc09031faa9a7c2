import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

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
  for (let i = 0; i < 100; i++) (i % 2 === 0 ? a : b).doc.getMap('test').set(`k${i}`, i)
  a.doc.getText('notes').insert(0, 'hello')
  await waitFor(() => Object.keys(mapContent(b.doc)).length === 100 && Object.keys(mapContent(a.doc)).length === 100, 'a and b to converge')

  const late = await connectSynced(server.syncUrl, room)
  // Synced means it has the server's whole document, with no further waiting.
  expect(mapContent(late.doc)).toEqual(mapContent(a.doc))
  expect(late.doc.getText('notes').toString()).toBe('hello')

  for (const client of [a, b, late]) client.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'room to unload')

  const afterReload = await connectSynced(server.syncUrl, room)
  expect(mapContent(afterReload.doc)).toEqual(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])))
  expect(afterReload.doc.getText('notes').toString()).toBe('hello')
  afterReload.destroy()
})
