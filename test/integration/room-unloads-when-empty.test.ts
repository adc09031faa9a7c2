import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import type { Room } from '../../server/sync/Room.ts'
import { setEntry } from '../helpers/testEntries.ts'

let server: TestServer
/** When set, unloading waits for it: lets a test connect in the middle of an unload. */
let holdUnload: Promise<void> | undefined
const unloading: Room[] = []
beforeAll(async () => {
  server = await startServer(
    { roomUnloadGraceMs: 50 },
    {
      beforeUnload: async (room) => {
        unloading.push(room)
        await holdUnload
      },
    },
  )
})
afterAll(() => server.close())

test('a room unloads after its last peer leaves, and an edit made just before leaving survives [S8]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const client = await connectSynced(server.syncUrl, room)
  expect(server.server.rooms.get(room)).toBeDefined()
  setEntry(client.doc, 'last words', 'kept')
  // Leave at once, with the edit possibly still in flight.
  client.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  expect(server.server.rooms.names()).toEqual([])

  const again = await connectSynced(server.syncUrl, room)
  expect(mapContent(again.doc)).toEqual({ 'last words': 'kept' })
  again.destroy()
  await waitFor(() => server.server.rooms.names().length === 0, 'the room to unload again')
})

test('a peer connecting while the room unloads keeps it loaded and loses nothing [S8]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/stakeholders`
  const first = await connectSynced(server.syncUrl, room)
  setEntry(first.doc, 'a', 1)
  await waitFor(() => mapContent(server.server.rooms.get(room)?.doc ?? first.doc).a === 1 && server.server.rooms.get(room) !== undefined, 'the server to apply a')
  const loaded = server.server.rooms.get(room)

  let release = () => {}
  holdUnload = new Promise((resolve) => {
    release = resolve
  })
  unloading.length = 0
  first.destroy()
  await waitFor(() => unloading.includes(loaded as Room), 'the unload to start') // loaded is defined: checked by the waitFor above

  const second = await connectSynced(server.syncUrl, room)
  setEntry(second.doc, 'b', 2)
  release()
  holdUnload = undefined
  await loaded?.whenDurable()
  // Same room object, still serving the new peer.
  expect(server.server.rooms.get(room)).toBe(loaded)
  expect(mapContent(second.doc)).toEqual({ a: 1, b: 2 })

  second.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload at last')
  const third = await connectSynced(server.syncUrl, room)
  expect(mapContent(third.doc)).toEqual({ a: 1, b: 2 })
  third.destroy()
})
