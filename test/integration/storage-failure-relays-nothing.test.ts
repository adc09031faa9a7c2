import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { DocumentUpdate } from '../../server/store/Store.ts'
import { connectSynced, mapContent, nextClose, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

/** A SqliteStore whose appends fail while `failing` is set (a full disk, an I/O error). */
class FlakyStore extends SqliteStore {
  failing = false
  override async appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]> {
    if (this.failing) throw new Error('disk full')
    return super.appendUpdates(updates)
  }
}

let server: TestServer & { store: FlakyStore }
beforeAll(async () => {
  server = await startServer({}, {}, (config) => new FlakyStore(config.dataDir))
})
afterAll(() => server.close())

test('an update that cannot be stored is relayed to no one; peers are closed with 1011 and resync [S1] [S2]', async () => {
  const { store, syncUrl } = server
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const writer = await connectSynced(syncUrl, room)
  const reader = await connectSynced(syncUrl, room)
  setEntry(writer.doc, 'stored', 1)
  await waitFor(() => getEntry(reader.doc, 'stored') === 1, 'the first edit')

  const readerClosed = nextClose(reader.provider)
  const writerClosed = nextClose(writer.provider)
  store.failing = true
  setEntry(writer.doc, 'lost', 2)
  expect((await readerClosed).code).toBe(CLOSE_CODES.internalError)
  expect((await writerClosed).code).toBe(CLOSE_CODES.internalError)
  // The reader never saw the update that was not stored.
  expect(mapContent(reader.doc)).toEqual({ stored: 1 })

  // Storage recovers: the providers reconnect, the writer's copy resyncs the edit, nothing is lost.
  store.failing = false
  await waitFor(() => getEntry(reader.doc, 'lost') === 2, 'the edit after recovery')
  // The reader got it, so it is stored [S1].
  const stored = new Y.Doc()
  for (const update of (await store.loadDocument(room)).updates) Y.applyUpdate(stored, update)
  expect(mapContent(stored)).toEqual({ stored: 1, lost: 2 })
  writer.destroy()
  reader.destroy()
})
