import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { JsonValue } from '@tldraw/utils'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

function serverChange(key: string, value: JsonValue): Uint8Array {
  const doc = new Y.Doc()
  setEntry(doc, key, value)
  return Y.encodeStateAsUpdate(doc)
}

test('a server-side update is stored, relayed to peers and announced by the room (restore hook)', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const peer = await connectSynced(server.syncUrl, room)
  const announced: Uint8Array[] = []
  server.server.rooms.get(room)?.on('update', (update) => announced.push(update))

  await server.server.rooms.withRoom(workshop.id, 'actions', (r) => r.applyServerUpdate(serverChange('restored', true)))
  // Resolved means durable: it is in storage now.
  const stored = new Y.Doc()
  for (const update of (await server.store.loadDocument(room)).updates) Y.applyUpdate(stored, update)
  expect(mapContent(stored)).toEqual({ restored: true })
  await waitFor(() => getEntry(peer.doc, 'restored') === true, 'the peer to receive it')
  expect(announced.length).toBeGreaterThan(0)
  await expect(server.server.rooms.get(room)?.applyServerUpdate(new Uint8Array([1, 2, 3]))).rejects.toThrow()
  peer.destroy()
})

test('withRoom on a board nobody is connected to loads it, then lets it unload [S8]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  await server.server.rooms.withRoom(workshop.id, 'swot', (r) => r.applyServerUpdate(serverChange('offline', 1)))
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  const peer = await connectSynced(server.syncUrl, room)
  expect(mapContent(peer.doc)).toEqual({ offline: 1 })
  peer.destroy()
})
