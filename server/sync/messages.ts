/** Encoders of the server's outgoing messages; each result is sent as one frame. */
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'

function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** Sync step 1: the server's state vector ("send me what I am missing"). */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return syncMessage(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(doc))
}

/** Sync step 2: everything the peer with `stateVector` is missing. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return syncMessage(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(doc, stateVector))
}

/** Sync step 2 carrying `update` as it is (e.g. a stored merged state that equals the doc). */
export function encodeSyncStep2FromUpdate(update: Uint8Array): Uint8Array {
  return syncMessage(SYNC_MESSAGE_TYPE.step2, update)
}

/** An incremental update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return syncMessage(SYNC_MESSAGE_TYPE.update, update)
}

/** Awareness states of `clients` (removed ones encode as `null`). */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

/** An awareness update (the payload, not a frame) holding `entries` as they are. */
export function encodeAwarenessEntries(entries: ReadonlyArray<{ client: number; clock: number; state: string }>): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { client, clock, state } of entries) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, state)
  }
  return encoding.toUint8Array(encoder)
}
