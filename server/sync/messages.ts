/**
 * Encoders of the server's outgoing messages; each result is sent as one frame. The sync and
 * awareness payloads are written by `y-protocols` itself, so the frames are the ones every
 * y-websocket peer reads; only the outer message type comes from `shared/protocol.ts`.
 */
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import { MESSAGE_TYPE } from '../../shared/protocol.ts'

/** A frame of `messageType` whose payload `write` appends. */
function frame(messageType: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageType)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Sync step 1: the server's state vector ("send me what I am missing"). */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame(MESSAGE_TYPE.sync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc))
}

/** Sync step 2: everything the peer with `stateVector` is missing. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame(MESSAGE_TYPE.sync, (encoder) => syncProtocol.writeSyncStep2(encoder, doc, stateVector))
}

/**
 * Sync step 2 carrying `update` as it is (e.g. a stored merged state that equals the doc, [S23]),
 * without re-encoding the document. y-protocols writes step 2 only from a doc, so this one writes
 * its sub-type and payload the way `writeSyncStep2` does.
 */
export function encodeSyncStep2FromUpdate(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_TYPE.sync, (encoder) => {
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
    encoding.writeVarUint8Array(encoder, update)
  })
}

/** An incremental update. */
export function encodeUpdate(update: Uint8Array): Buffer {
  return encodeUpdateFromParts([update])
}

/**
 * An incremental update whose bytes are `parts` joined: the frame
 * `syncProtocol.writeUpdate` writes, with the payload copied once into a buffer of its exact size
 * (the relay builds one per peer that wrote part of a batch, [S4]). A Buffer (small ones from
 * Node's pool): `ws` sends a Buffer as it is, but wraps any other Uint8Array in a new Buffer on
 * every send, and the relay sends one frame to every peer.
 */
export function encodeUpdateFromParts(parts: readonly Uint8Array[]): Buffer {
  let length = 0
  for (const part of parts) length += part.byteLength
  // Both leading varints are single bytes (message type 0, sync type 2); only the length varies.
  const message = Buffer.allocUnsafe(2 + varUintLength(length) + length)
  message[0] = MESSAGE_TYPE.sync
  message[1] = syncProtocol.messageYjsUpdate
  let at = writeVarUint(message, 2, length)
  for (const part of parts) {
    message.set(part, at)
    at += part.byteLength
  }
  return message
}

/** A message and the WebSocket frame that carries it (the message is a view into the frame). */
export type FramedMessage = { message: Buffer; framed: Buffer }

/**
 * {@link encodeUpdateFromParts} and its {@link webSocketFrame} in one buffer, the parts copied once:
 * the relay builds one per peer that wrote part of a batch and one for every other peer ([S4]), and
 * each is written to the peer's socket as it is (`Connection.send`), not framed again by `ws` (a
 * header buffer, options and a two-part write per send). `message` is what `ws` would be handed
 * where the raw socket cannot be written.
 */
export function updateFrameFromParts(parts: readonly Uint8Array[]): FramedMessage {
  let length = 0
  for (const part of parts) length += part.byteLength
  const out = updateFrameOfLength(length)
  let at = out.framed.byteLength - length
  for (const part of parts) {
    out.framed.set(part, at)
    at += part.byteLength
  }
  return out
}

/**
 * {@link updateFrameFromParts} with its update of `length` bytes left to write: they are the last
 * `length` bytes of `framed` (for a writer that copies them from elsewhere, `UpdateRuns.frameWithout`).
 */
export function updateFrameOfLength(length: number): FramedMessage {
  const messageLength = 2 + varUintLength(length) + length
  const header = frameHeaderLength(messageLength)
  const framed = Buffer.allocUnsafe(header + messageLength)
  writeFrameHeader(framed, messageLength, header)
  framed[header] = MESSAGE_TYPE.sync
  framed[header + 1] = syncProtocol.messageYjsUpdate
  writeVarUint(framed, header + 2, length)
  return { message: framed.subarray(header), framed }
}

/** Bytes of the header of an unmasked WebSocket frame with a payload of `length` (RFC 6455 §5.2). */
function frameHeaderLength(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10
}

/** Writes the header of a final, unmasked binary frame of `length` bytes at the start of `frame`. */
function writeFrameHeader(frame: Buffer, length: number, header: number): void {
  frame[0] = 0x82
  if (header === 2) frame[1] = length
  else if (header === 4) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
}

/**
 * `message` as the one binary WebSocket frame a server sends it in (RFC 6455 §5.2: FIN, opcode 2,
 * unmasked, the payload length in 7, 7+16 or 7+64 bits), to build once when one message goes to
 * many peers: each peer's socket is then written once with it (`Connection.send`), instead of
 * `ws` framing it again per peer (a header buffer, options and a two-part write each: ~1 KB of
 * garbage per delivery).
 */
export function webSocketFrame(message: Uint8Array): Buffer {
  const length = message.byteLength
  const header = frameHeaderLength(length)
  const frame = Buffer.allocUnsafe(header + length)
  writeFrameHeader(frame, length, header)
  frame.set(message, header)
  return frame
}

/** Bytes of `n` as a lib0 varuint (7 bits per byte). */
export function varUintLength(n: number): number {
  let bytes = 1
  while (n > 0x7f) {
    n = Math.floor(n / 128)
    bytes++
  }
  return bytes
}

/** Writes `n` as a lib0 varuint at `at`; returns the position after it. */
export function writeVarUint(target: Uint8Array, at: number, n: number): number {
  while (n > 0x7f) {
    target[at++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  target[at++] = n
  return at
}

/** Awareness states of `clients` (removed ones encode as `null`). */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return frame(MESSAGE_TYPE.awareness, (encoder) => encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)))
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

/** A Yjs state vector (the format of `Y.encodeStateVector`) of `clocks`: per client id, the clock below which a doc holds everything. */
export function encodeStateVectorOf(clocks: ReadonlyMap<number, number>): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, clocks.size)
  for (const [client, clock] of clocks) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * [S45] The beat of a sync socket that heard nothing else for a while: an awareness update of no
 * client (`[1, 1, 0]`). Every y-websocket client applies it as a no-op (no awareness event, no
 * answer) and takes it for a sign of life, as it takes any message.
 */
export const BEAT: FramedMessage = (() => {
  // An awareness update is `varUint(count)` and the entries: a count of 0 and nothing else.
  const message = Buffer.from(frame(MESSAGE_TYPE.awareness, (encoder) => encoding.writeVarUint8Array(encoder, Uint8Array.of(0))))
  return { message, framed: webSocketFrame(message) }
})()
