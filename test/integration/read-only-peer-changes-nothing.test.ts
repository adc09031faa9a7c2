import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('a read-only peer (a viewer) syncs and shares awareness, but its edits are neither applied nor relayed [S7] [A7]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const editor = await connectSynced(server.syncUrl, room)
  setEntry(editor.doc, 'from editor', 1)
  const viewer = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.viewer } })
  expect(mapContent(viewer.doc)).toEqual({ 'from editor': 1 })

  setEntry(viewer.doc, 'from viewer', 2)
  viewer.provider.awareness.setLocalStateField('user', { name: 'Viewer' })
  await waitFor(() => editor.provider.awareness.getStates().get(viewer.doc.clientID)?.user?.name === 'Viewer', 'the viewer awareness')
  // Later edits still reach the viewer; by then its own edit would have been relayed too.
  setEntry(editor.doc, 'second', 3)
  await waitFor(() => getEntry(viewer.doc, 'second') === 3, 'the viewer to get the second edit')
  expect(mapContent(editor.doc)).toEqual({ 'from editor': 1, second: 3 })

  // The viewer's awareness was sent after its edit on the same socket, so the server had handled
  // the edit before the editor saw that awareness: the server's doc and storage are conclusive.
  const serverRoom = server.server.rooms.get(room)
  expect(serverRoom && mapContent(serverRoom.doc)).toEqual({ 'from editor': 1, second: 3 })
  await serverRoom?.whenDurable()
  const stored = new Y.Doc()
  for (const update of (await server.store.loadDocument(room)).updates) Y.applyUpdate(stored, update)
  expect(mapContent(stored)).toEqual({ 'from editor': 1, second: 3 })
  editor.destroy()
  viewer.destroy()
})
