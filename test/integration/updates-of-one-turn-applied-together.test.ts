import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { rawClient, updateFrame, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, entries } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** The payloads of the sync update messages among `frames`. */
function relayedUpdates(frames: Uint8Array[]): Uint8Array[] {
  const updates: Uint8Array[] = []
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.sync) continue
    if (decoding.readVarUint(decoder) !== SYNC_MESSAGE_TYPE.update) continue
    updates.push(decoding.readVarUint8Array(decoder))
  }
  return updates
}

test('updates that arrive in one turn are applied as one transaction, stored as one row and relayed once, overwritten values as tombstones [S4]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const observer = rawClient(`${server.syncUrl}/${room}`)
  const sender = rawClient(`${server.syncUrl}/${room}`)
  await Promise.all([observer.opened, sender.opened])
  // Both have joined once the server's step 1 has arrived.
  await waitFor(() => observer.received.length > 0 && sender.received.length > 0, 'both to join')
  const rowsBefore = (await server.store.loadDocument(room)).updates.length

  // A drag: eight positions of one card, each its own update, written in one go (one TCP segment),
  // so that the server reads all of them in one turn.
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let x = 1; x <= 8; x++) setEntry(doc, 'card', { x, note: 'n'.repeat(2000) })
  const socket = (sender.ws as WebSocket & { _socket: { cork(): void; uncork(): void } })._socket // ws keeps its net.Socket here
  socket.cork()
  for (const update of updates) sender.send(updateFrame(update))
  socket.uncork()

  await waitFor(() => relayedUpdates(observer.received).length > 0, 'the relay')
  await server.server.rooms.get(room)?.whenDurable()
  const relayed = relayedUpdates(observer.received)
  // One relay, not eight.
  expect(relayed).toHaveLength(1)
  const [update = new Uint8Array()] = relayed
  // The card and its last position arrive; the seven overwritten ones travel as tombstones without content.
  const peer = new Y.Doc()
  Y.applyUpdate(peer, update)
  expect(entries(peer)).toEqual({ card: { x: 8, note: 'n'.repeat(2000) } })
  const withContent = Y.decodeUpdate(update).structs.filter((s) => s instanceof Y.Item && !(s.content instanceof Y.ContentDeleted))
  expect(withContent).toHaveLength(2)
  expect(update.byteLength).toBeLessThan(updates.reduce((sum, u) => sum + u.byteLength, 0) / 3)
  // Stored as one row that holds the same state.
  const persisted = await server.store.loadDocument(room)
  expect(persisted.updates.length).toBe(rowsBefore + 1)
  const fromStorage = new Y.Doc()
  for (const row of persisted.updates) Y.applyUpdate(fromStorage, row)
  expect(entries(fromStorage)).toEqual(entries(doc))

  observer.ws.close()
  sender.ws.close()
})
