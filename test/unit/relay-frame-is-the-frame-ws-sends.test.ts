/**
 * [S4] A message relayed to many peers is framed once (`webSocketFrame`) and that frame is written
 * to every peer's socket: it must be byte for byte the frame `ws` itself sends for the message, at
 * every payload length encoding (7 bits, 16 bits, 64 bits). So must the frame of a sender's cut of
 * a batch, built with its message in one buffer (`updateFrameFromParts`).
 */
import { expect, test } from 'vitest'
import * as ws from 'ws'
import { encodeUpdateFromParts, updateFrameFromParts, webSocketFrame } from '../../server/sync/messages.ts'

/** The frame `ws` sends for a binary message from a server (unmasked, FIN, no extension). */
function framedByWs(message: Uint8Array): Buffer {
  // `Sender.frame` is the framing `ws` uses for every send; @types/ws does not declare Sender.
  const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }
  const parts = Sender.frame(Buffer.from(message), { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false })
  return Buffer.concat(parts)
}

test.each([0, 1, 125, 126, 200, 65_535, 65_536, 300_000])('a %i-byte message is framed as ws frames it [S4]', (length) => {
  const message = new Uint8Array(length)
  for (let i = 0; i < length; i++) message[i] = (i * 31 + 7) & 0xff
  expect(webSocketFrame(message).equals(framedByWs(message))).toBe(true)
})

test.each([0, 1, 120, 123, 124, 200, 65_530, 65_536, 300_000])('an update of %i bytes in parts is framed as ws frames its message [S4]', (length) => {
  const update = new Uint8Array(length)
  for (let i = 0; i < length; i++) update[i] = (i * 17 + 3) & 0xff
  const parts = [update.subarray(0, Math.floor(length / 3)), update.subarray(Math.floor(length / 3), length - 1), update.subarray(length - 1)]
  const { message, framed } = updateFrameFromParts(parts)
  expect(message.equals(encodeUpdateFromParts(parts))).toBe(true)
  expect(framed.equals(framedByWs(message))).toBe(true)
  // The message is the frame's payload, not a copy of it.
  expect(message.buffer).toBe(framed.buffer)
  expect(message.byteOffset + message.byteLength).toBe(framed.byteOffset + framed.byteLength)
})
