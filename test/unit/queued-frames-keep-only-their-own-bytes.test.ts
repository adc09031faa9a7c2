/**
 * A frame a connection keeps past the turn that read it (queued before its room loads, or held for
 * the rates [S28]) holds only its own bytes: `ws` hands a message over as a view into the socket's
 * read chunk, which a queued view would keep alive whole while only the frame counts against
 * `maxBufferedBytes` ([S9]). Real `ws` sockets on loopback.
 */
import type { Socket } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import type { WebSocket } from 'ws'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { socketPairs, teamConnection } from '../helpers/socketPairs.ts'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
})

/** A server-side socket and its connected client. */
async function socketPair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const [pair] = await socketPairs(1, cleanup)
  if (!pair) throw new Error('no socket pair')
  return pair
}

test('frames queued before the room loads are copied out of the read chunk they arrived in', async () => {
  const { server, client } = await socketPair()
  const conn = teamConnection(server, 'user:test')
  cleanup.push(() => conn.close(CLOSE_CODES.goingAway, 'done'))
  const read: Buffer[] = []
  server.on('message', (data) => {
    read.push(data as Buffer) // binaryType nodebuffer: one Buffer per message
    conn.receive(data as Buffer)
  })
  // Three messages in one write, so the server reads them in one chunk.
  const tcp = (client as unknown as { _socket: Socket })._socket // ws keeps its socket there, untyped
  tcp.cork()
  for (const byte of [1, 2, 3]) client.send(new Uint8Array(100).fill(byte))
  tcp.uncork()
  await new Promise<void>((resolve) => {
    const check = () => (read.length === 3 ? resolve() : setTimeout(check, 5))
    check()
  })
  // What ws handed over shares one chunk (otherwise this test could not fail).
  expect(read.some((frame) => frame.buffer.byteLength > frame.byteLength)).toBe(true)
  const delivered: Uint8Array[] = []
  conn.attach((frame) => delivered.push(frame as Uint8Array)) // only binary frames were sent
  expect(delivered.map((frame) => frame[0])).toEqual([1, 2, 3])
  for (const frame of delivered) {
    expect(frame.byteLength).toBe(100)
    expect(frame.buffer.byteLength).toBe(100)
  }
})
