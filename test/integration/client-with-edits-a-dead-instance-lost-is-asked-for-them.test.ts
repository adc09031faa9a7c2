/**
 * [S26] [S32] A client sent edits to an instance that died before storing them, and comes back on
 * another. Its step 1 declares what it holds; an edit it sends before its step 2 builds on the lost
 * ones. The room does not close it (a page would drop its copy and lose those edits): it applies
 * nothing of that edit, asks with a step 1, and the client's step 2 brings every lost edit.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { connectSynced, mapContent, rawClient, syncFrame, updateFrame, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('an edit building on edits the server never stored gets a step 1, and the step 2 brings them all [S26] [S32]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const watcher = await connectSynced(server.syncUrl, room)

  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(watcher.doc))
  const serverHad = Y.encodeStateVector(client)
  setEntry(client, 'lost-with-the-instance', 1)
  const beforeNext = Y.encodeStateVector(client)
  setEntry(client, 'made-after-moving', 2)

  const moved = rawClient(`${server.syncUrl}/${room}?token=${workshop.tokens.team}&user=user:mover`)
  await moved.opened
  moved.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(client)))
  moved.send(updateFrame(Y.encodeStateAsUpdate(client, beforeNext)))
  // The server asks with a step 1 (a sync message of type 0 after the step 2 it answers ours with).
  const isStep1 = (frame: Uint8Array) => frame[0] === 0 && frame[1] === SYNC_MESSAGE_TYPE.step1
  await waitFor(() => moved.received.filter(isStep1).length >= 2, 'the server to ask for the client\'s state')
  expect(mapContent(watcher.doc)['made-after-moving']).toBeUndefined()
  moved.send(syncFrame(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(client, serverHad)))
  await waitFor(() => mapContent(watcher.doc)['made-after-moving'] === 2, 'both edits to reach the room')
  expect(mapContent(watcher.doc)['lost-with-the-instance']).toBe(1)
  expect(moved.ws.readyState).toBe(moved.ws.OPEN)
  moved.ws.close()
  watcher.destroy()
})
