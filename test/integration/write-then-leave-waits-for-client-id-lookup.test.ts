/**
 * [S12] [S29] A client that writes and closes its connection at once loses nothing, even when its
 * update still waits for the store's answer about a client id the room has not seen (a PostgreSQL
 * round trip in several-instance mode): the update is judged and kept once the answer comes, and
 * the room does not unload before. Here the store answers only when the test lets it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { ClientIdHoldBounds, ClientIdHolder } from '../../server/store/Store.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

/** A SQLite store whose client-id holds wait until {@link release}. */
class SlowHoldStore extends SqliteStore {
  gate: Promise<void> = Promise.resolve()
  asked = 0
  private open: (() => void) | undefined
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve))
  }
  release(): void {
    this.open?.()
  }
  override async holdClientIds(docName: string, clients: readonly number[], holder: ClientIdHolder | null, bounds: ClientIdHoldBounds): Promise<Map<number, string>> {
    this.asked++
    await this.gate
    return super.holdClientIds(docName, clients, holder, bounds)
  }
}

let server: TestServer & { store: SlowHoldStore }
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer({}, {}, (config) => new SlowHoldStore(config.dataDir, { synchronous: config.sqliteSynchronous }))
  workshop = await server.createWorkshop()
})
afterAll(async () => {
  await server.close()
})

test('an update still waiting for its client-id look-up when its sender closes is stored, and read back after the room unloads', async () => {
  const room = `${workshop.id}/actions`
  const writer = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:quick', key: 'quick-browser-secret-0123456789' }, shouldReconnect: () => false })
  server.store.hold()
  const askedBefore = server.store.asked
  setEntry(writer.doc, 'note', 'written just before leaving')
  await waitFor(() => server.store.asked > askedBefore, 'the room to ask the store about the new client id')
  writer.destroy()
  await waitFor(() => server.server.rooms.get(room)?.stats().connections === 0, 'the server to see the writer leave')
  server.store.release()

  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  const reader = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team } })
  expect(getEntry(reader.doc, 'note')).toBe('written just before leaving')
  reader.destroy()
})
