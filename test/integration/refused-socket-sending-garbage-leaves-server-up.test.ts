/**
 * A socket refused after the upgrade ([S11]: accepted, then closed with a 44xx code) that sends
 * bytes no WebSocket frame may hold before it answers the close is cut alone; the server stays up.
 */
import net from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** Upgrades by hand at `path` and, as soon as the 101 arrives, writes a frame with reserved bits set. */
function garbageAfterUpgrade(path: string): Promise<string> {
  const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1')
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  )
  let head = ''
  socket.on('data', (chunk: Buffer) => {
    if (head.includes('\r\n\r\n')) return
    head += chunk.toString('latin1')
    // Masked (as a client must), but RSV1–3 set without an extension: invalid.
    if (head.includes('\r\n\r\n')) socket.write(Buffer.from([0xf2, 0x80, 1, 2, 3, 4]))
  })
  socket.on('error', () => {})
  return new Promise((resolve) => socket.on('close', () => resolve(head.split('\r\n')[0] ?? '')))
}

test.each(['/sync/nosuchworkshop1/swot', '/sync/not-a-path', '/control/nosuchworkshop1'])('garbage on a socket refused at %s closes it alone', async (path) => {
  expect(await garbageAfterUpgrade(path)).toBe('HTTP/1.1 101 Switching Protocols')
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
})
