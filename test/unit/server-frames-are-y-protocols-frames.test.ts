import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { MESSAGE_TYPE } from '../../shared/protocol.ts'
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncStep2FromUpdate, encodeUpdate } from '../../server/sync/messages.ts'

function docWith(entries: Record<string, string>): Y.Doc {
  const doc = new Y.Doc()
  for (const [key, value] of Object.entries(entries)) doc.getMap('test').set(key, value)
  return doc
}

/** Applies a sync frame to `doc` the way a y-websocket client does; returns the sync sub-type and its reply. */
function readSyncFrame(frame: Uint8Array, doc: Y.Doc): { syncType: number; reply: Uint8Array } {
  const decoder = decoding.createDecoder(frame)
  expect(decoding.readVarUint(decoder)).toBe(MESSAGE_TYPE.sync)
  const reply = encoding.createEncoder()
  const syncType = syncProtocol.readSyncMessage(decoder, reply, doc, 'server')
  expect(decoding.hasContent(decoder)).toBe(false)
  return { syncType, reply: encoding.toUint8Array(reply) }
}

test('step 1 carries the server’s state vector; the peer answers it with what the server lacks', () => {
  const server = docWith({ a: '1' })
  const peer = docWith({ b: '2' })
  const { syncType, reply } = readSyncFrame(encodeSyncStep1(server), peer)
  expect(syncType).toBe(syncProtocol.messageYjsSyncStep1)
  readSyncFrame(new Uint8Array([MESSAGE_TYPE.sync, ...reply]), server)
  expect(server.getMap('test').toJSON()).toEqual({ a: '1', b: '2' })
})

test('step 2 carries what the peer with the given state vector is missing', () => {
  const server = docWith({ a: '1', b: '2' })
  const peer = new Y.Doc()
  expect(readSyncFrame(encodeSyncStep2(server, Y.encodeStateVector(peer)), peer).syncType).toBe(syncProtocol.messageYjsSyncStep2)
  expect(peer.getMap('test').toJSON()).toEqual({ a: '1', b: '2' })
})

test('step 2 from a stored update carries that update byte for byte, as y-protocols frames step 2 [S23]', () => {
  const stored = Y.encodeStateAsUpdate(docWith({ a: '1' }))
  const frame = encodeSyncStep2FromUpdate(stored)
  const expected = encoding.createEncoder()
  encoding.writeVarUint(expected, MESSAGE_TYPE.sync)
  encoding.writeVarUint(expected, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(expected, stored)
  expect(frame).toEqual(encoding.toUint8Array(expected))
  const peer = new Y.Doc()
  readSyncFrame(frame, peer)
  expect(peer.getMap('test').toJSON()).toEqual({ a: '1' })
})

test('an update frame applies the update', () => {
  const source = docWith({ a: '1' })
  const peer = new Y.Doc()
  expect(readSyncFrame(encodeUpdate(Y.encodeStateAsUpdate(source)), peer).syncType).toBe(syncProtocol.messageYjsUpdate)
  expect(peer.getMap('test').toJSON()).toEqual({ a: '1' })
})

test('an awareness frame carries the states of the given clients', () => {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState({ user: { name: 'Tom' } })
  const decoder = decoding.createDecoder(encodeAwareness(awareness, [doc.clientID]))
  expect(decoding.readVarUint(decoder)).toBe(MESSAGE_TYPE.awareness)
  const received = new awarenessProtocol.Awareness(new Y.Doc())
  awarenessProtocol.applyAwarenessUpdate(received, decoding.readVarUint8Array(decoder), 'server')
  expect(received.getStates().get(doc.clientID)).toEqual({ user: { name: 'Tom' } })
})
