import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ compactAfterUpdates: 20 })
})
afterAll(() => server.close())

test('compaction under concurrent writes keeps every update [S5]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const writers = await Promise.all([0, 1, 2].map(() => connectSynced(server.syncUrl, room)))
  // Count rows appended and compactions that ran while the writers were writing.
  const store = server.store
  const append = store.appendUpdates.bind(store)
  const compactDocument = store.compactDocument.bind(store)
  let appendedRows = 0
  let writing = true
  let compactionsDuringWrites = 0
  store.appendUpdates = (updates) => {
    if (updates.some((u) => u.docName === room)) appendedRows++
    return append(updates)
  }
  store.compactDocument = (docName, merged, upToSeq) => {
    if (docName === room && writing) compactionsDuringWrites++
    return compactDocument(docName, merged, upToSeq)
  }
  const perWriter = 300
  await Promise.all(
    writers.map(async (writer, w) => {
      for (let i = 0; i < perWriter; i++) {
        // Twenty cards per writer, each rewritten as a drag does (an append and a delete).
        setEntry(writer.doc, `w${w}-${i % 20}`, i)
        await new Promise((resolve) => setImmediate(resolve))
      }
    }),
  )
  const total = writers.length * 20
  const last = (card: number) => perWriter - 20 + card + (card < perWriter % 20 ? 20 : 0)
  await waitFor(
    () => writers.every((writer) => [0, 1, 2].every((w) => Array.from({ length: 20 }, (_, c) => c).every((c) => mapContent(writer.doc)[`w${w}-${c}`] === last(c)))),
    'writers to converge',
  )
  writing = false
  const serverRoom = server.server.rooms.get(room)
  await serverRoom?.whenDurable()

  // The log was compacted while the writes went on (far fewer rows than were appended) and still
  // holds everything.
  expect(compactionsDuringWrites).toBeGreaterThan(0)
  const persisted = await server.store.loadDocument(room)
  expect(appendedRows).toBeGreaterThan(40)
  expect(persisted.updates.length).toBeLessThan(appendedRows / 2)
  const fromStorage = new Y.Doc()
  for (const update of persisted.updates) Y.applyUpdate(fromStorage, update)
  const [reference] = writers
  expect(mapContent(fromStorage)).toEqual(mapContent(reference?.doc ?? new Y.Doc()))

  for (const writer of writers) writer.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  const fresh = await connectSynced(server.syncUrl, room)
  expect(Object.keys(mapContent(fresh.doc))).toHaveLength(total)
  expect(mapContent(fresh.doc)).toEqual(mapContent(fromStorage))
  fresh.destroy()
})
