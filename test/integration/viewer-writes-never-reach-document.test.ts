import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { connectSynced, mapContent, rawClient, syncFrame, updateFrame, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, getEntry, entries } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

function awarenessFrame(awareness: awarenessProtocol.Awareness): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]))
  return encoding.toUint8Array(encoder)
}

test("a viewer's raw updates never reach the document or other peers; its awareness does [A7]", async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const team = await connectSynced(server.syncUrl, room)
  setEntry(team.doc, 'before', 1)
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'before') === 1, 'team edit stored')

  const viewer = rawClient(`${server.syncUrl}/${room}?token=${workshop.tokens.viewer}`)
  await viewer.opened
  // The viewer reads: the server's step 1 arrives, and answering with an empty state vector gets the content.
  viewer.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
  await waitFor(() => viewer.received.length >= 2, 'sync messages for the viewer')

  // ...and tries to write, as an update and as a step 2.
  const hostile = new Y.Doc()
  setEntry(hostile, 'evil', 'update')
  viewer.send(updateFrame(Y.encodeStateAsUpdate(hostile)))
  const hostile2 = new Y.Doc()
  setEntry(hostile2, 'evil2', 'step2')
  viewer.send(syncFrame(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(hostile2)))

  // Its cursor still flows. Frames of one connection are handled in order, and an applied update
  // would be in the room's doc at once: once the awareness is seen, the writes were handled.
  const presence = new awarenessProtocol.Awareness(new Y.Doc())
  presence.setLocalState({ user: 'sponsor' })
  viewer.send(awarenessFrame(presence))
  await waitFor(() => team.provider.awareness.getStates().get(presence.clientID)?.user === 'sponsor', 'viewer awareness')

  setEntry(team.doc, 'after', 2)
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'after') === 2, 'barrier stored')
  const late = await connectSynced(server.syncUrl, room)
  expect(mapContent(late.doc)).toEqual({ before: 1, after: 2 })
  expect(mapContent(team.doc)).toEqual({ before: 1, after: 2 })
  expect(entries(server.server.rooms.get(room)?.doc)).toEqual({ before: 1, after: 2 })
  expect(viewer.ws.readyState).toBe(viewer.ws.OPEN)

  viewer.ws.close()
  team.destroy()
  late.destroy()
})
