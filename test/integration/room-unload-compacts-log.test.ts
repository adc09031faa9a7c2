import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, entries } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  // Thresholds far above what the test writes: only the unload compacts.
  server = await startServer({ compactAfterUpdates: 10_000, roomUnloadGraceMs: 0 })
})
afterAll(() => server.close())

test('an unloading room leaves one merged row, and a new peer gets it all from that row [S23]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const writers = await Promise.all([0, 1].map(() => connectSynced(server.syncUrl, room)))
  const perWriter = 60
  await Promise.all(
    writers.map(async (writer, w) => {
      for (let i = 0; i < perWriter; i++) {
        setEntry(writer.doc, `w${w}-${i}`, i)
        await new Promise((resolve) => setImmediate(resolve))
      }
    }),
  )
  const total = writers.length * perWriter
  await waitFor(() => writers.every((w) => Object.keys(mapContent(w.doc)).length === total), 'writers to converge')
  await server.server.rooms.get(room)?.whenDurable()
  expect((await server.store.loadDocument(room)).updates.length).toBeGreaterThan(1)
  const expected = mapContent(writers[0]?.doc ?? new Y.Doc())

  for (const writer of writers) writer.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')

  const persisted = await server.store.loadDocument(room)
  expect(persisted.updates).toHaveLength(1)
  const fromStorage = new Y.Doc()
  for (const update of persisted.updates) Y.applyUpdate(fromStorage, update)
  expect(mapContent(fromStorage)).toEqual(expected)

  // The reloaded room answers a new peer's step 2 with the stored row itself.
  const fresh = await connectSynced(server.syncUrl, room)
  expect(mapContent(fresh.doc)).toEqual(expected)
  expect(Object.keys(entries(fresh.doc)).length).toBe(total)
  fresh.destroy()
})
