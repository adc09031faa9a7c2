import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ compactAfterUpdates: 20 })
})
afterAll(() => server.close())

test('compaction under concurrent writes keeps every update [S5]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const writers = await Promise.all([0, 1, 2].map(() => connectSynced(server.syncUrl, room)))
  const perWriter = 300
  await Promise.all(
    writers.map(async (writer, w) => {
      for (let i = 0; i < perWriter; i++) {
        writer.doc.getMap('test').set(`w${w}-${i}`, i)
        if (i % 3 === 0) writer.doc.getArray('list').insert(0, [`w${w}-${i}`])
        if (i % 7 === 0 && writer.doc.getArray('list').length > 2) writer.doc.getArray('list').delete(1, 1)
        await new Promise((resolve) => setImmediate(resolve))
      }
    }),
  )
  const total = writers.length * perWriter
  await waitFor(() => writers.every((w) => Object.keys(mapContent(w.doc)).length === total), 'writers to converge')
  const serverRoom = server.server.rooms.get(room)
  await serverRoom?.whenDurable()
  await waitFor(() => (serverRoom?.stats().logRows ?? Infinity) < 20, 'the last compaction')

  // The log was compacted (far fewer rows than updates) and still holds everything.
  const persisted = await server.store.loadDocument(room)
  expect(persisted.updates.length).toBeLessThan(20)
  const fromStorage = new Y.Doc()
  for (const update of persisted.updates) Y.applyUpdate(fromStorage, update)
  const [reference] = writers
  expect(mapContent(fromStorage)).toEqual(mapContent(reference?.doc ?? new Y.Doc()))
  expect(fromStorage.getArray('list').toJSON()).toEqual(reference?.doc.getArray('list').toJSON())

  for (const writer of writers) writer.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  const fresh = await connectSynced(server.syncUrl, room)
  expect(Object.keys(mapContent(fresh.doc))).toHaveLength(total)
  expect(fresh.doc.getArray('list').toJSON()).toEqual(fromStorage.getArray('list').toJSON())
  fresh.destroy()
})
