import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { connectSynced, mapContent, rawClient, syncFrame, updateFrame, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { deleteEntry, setEntries, setEntry } from '../helpers/testEntries.ts'

const MAX_FRAME_BYTES = 64 * 1024

let server: TestServer
let room: string
let peer: TestClient
let expected: Record<string, unknown>

beforeAll(async () => {
  server = await startServer({ maxFrameBytes: MAX_FRAME_BYTES })
  const workshop = await server.createWorkshop()
  room = `${workshop.id}/swot`
  peer = await connectSynced(server.syncUrl, room)
  setEntry(peer.doc, 'before', 'bad input')
  expected = mapContent(peer.doc)
  await waitFor(() => JSON.stringify(mapContent(server.server.rooms.get(room)?.doc ?? new Y.Doc())) === JSON.stringify(expected), 'the server to have the peer edit')
})
afterAll(async () => {
  peer.destroy()
  await server.close()
})

/** A valid update carrying structs and a delete set, for truncation. */
function richUpdate(): Uint8Array {
  const doc = new Y.Doc()
  setEntries(doc, { injected: 'x'.repeat(50), gone: 1 })
  deleteEntry(doc, 'gone')
  return Y.encodeStateAsUpdate(doc)
}

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const part of parts) part(encoder)
  return encoding.toUint8Array(encoder)
}

const cases: Array<[string, () => Uint8Array | string, number]> = [
  ['a text frame', () => 'hello', CLOSE_CODES.unsupportedData],
  ['an unknown message type', () => frame((e) => encoding.writeVarUint(e, 7)), CLOSE_CODES.invalidPayload],
  ['an auth message from a client', () => frame((e) => encoding.writeVarUint(e, MESSAGE_TYPE.auth), (e) => encoding.writeVarUint(e, 0)), CLOSE_CODES.invalidPayload],
  ['an unknown sync type', () => syncFrame(9, new Uint8Array([0])), CLOSE_CODES.invalidPayload],
  ['a garbled varint (over 53 bits)', () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), CLOSE_CODES.invalidPayload],
  ['a truncated varint', () => new Uint8Array([0x80]), CLOSE_CODES.invalidPayload],
  ['an empty binary frame', () => new Uint8Array([]), CLOSE_CODES.invalidPayload],
  ['a truncated message (length beyond the frame)', () => updateFrame(richUpdate()).slice(0, 20), CLOSE_CODES.invalidPayload],
  ['trailing garbage after a valid update', () => new Uint8Array([...updateFrame(richUpdate()), 0, 1]), CLOSE_CODES.invalidPayload],
  ['random bytes as an update', () => updateFrame(new Uint8Array([7, 200, 13, 99, 1, 2, 3, 4, 5])), CLOSE_CODES.invalidPayload],
  [
    // Yjs integrates structs before reading the delete set: without validation this half-applies.
    'an update with its delete set cut off',
    () => {
      const update = richUpdate()
      return updateFrame(update.slice(0, update.length - 2))
    },
    CLOSE_CODES.invalidPayload,
  ],
  ['a sync step 2 that does not decode', () => syncFrame(SYNC_MESSAGE_TYPE.step2, new Uint8Array([1, 1, 1])), CLOSE_CODES.invalidPayload],
  [
    // Walked whole on arrival (its bytes and lengths are right) but decoded only at its room's turn:
    // Yjs parses a JSON item's text there and fails. Refused then, before any of it is applied.
    'an update whose JSON item does not parse',
    () =>
      updateFrame(
        frame(
          (e) => encoding.writeVarUint(e, 1), // one client
          (e) => encoding.writeVarUint(e, 1), // one struct
          (e) => encoding.writeVarUint(e, 4242), // client id
          (e) => encoding.writeVarUint(e, 0), // clock
          (e) => encoding.writeUint8(e, 2), // an item of JSON content, no origins
          (e) => encoding.writeVarUint(e, 1), // parent named by its key
          (e) => encoding.writeVarString(e, 'records'),
          (e) => encoding.writeVarUint(e, 1), // one value
          (e) => encoding.writeVarString(e, '{"not json'),
          (e) => encoding.writeVarUint(e, 0), // empty delete set
        ),
      ),
    CLOSE_CODES.invalidPayload,
  ],
  ['an invalid state vector', () => syncFrame(SYNC_MESSAGE_TYPE.step1, new Uint8Array([5, 1])), CLOSE_CODES.invalidPayload],
  [
    'an awareness update with broken JSON',
    () =>
      frame(
        (e) => encoding.writeVarUint(e, MESSAGE_TYPE.awareness),
        (e) => encoding.writeVarUint8Array(e, frame((a) => encoding.writeVarUint(a, 1), (a) => encoding.writeVarUint(a, 42), (a) => encoding.writeVarUint(a, 1), (a) => encoding.writeVarString(a, '{"x":'))),
      ),
    CLOSE_CODES.invalidPayload,
  ],
  ['a frame over MAX_FRAME_BYTES', () => updateFrame(new Uint8Array(MAX_FRAME_BYTES + 1)), CLOSE_CODES.messageTooBig],
]

test.each(cases)('%s closes that connection only, the document stays untouched [S6]', async (_name, makeFrame, code) => {
  const raw = rawClient(`${server.syncUrl}/${room}`)
  await raw.opened
  // Wait for the server's step 1: the room is loaded and this connection joined it.
  await waitFor(() => raw.received.length > 0, 'the server step 1')
  raw.send(makeFrame())
  expect((await raw.closed).code).toBe(code)

  // The other peer is still connected, its doc and the server's are unchanged, and sync still works.
  expect(peer.provider.wsconnected).toBe(true)
  expect(mapContent(peer.doc)).toEqual(expected)
  const serverDoc = server.server.rooms.get(room)?.doc
  expect(serverDoc && mapContent(serverDoc)).toEqual(expected)
  const check = await connectSynced(server.syncUrl, room)
  expect(mapContent(check.doc)).toEqual(expected)
  check.destroy()
})

test('after all bad frames, storage holds exactly the good edits [S6]', async () => {
  const persisted = await server.store.loadDocument(room)
  const reloaded = new Y.Doc()
  for (const update of persisted.updates) Y.applyUpdate(reloaded, update)
  expect(mapContent(reloaded)).toEqual(expected)
})
