import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import { parseEnv } from '../../server/env.ts'
import { createLogger } from '../../server/log.ts'
import { Connection } from '../../server/sync/Connection.ts'

/**
 * `count` real `ws` sockets on loopback, each server side with its client, both ends open (a
 * client terminated before its own open throws an uncaught error in `ws`). Every teardown goes into
 * `cleanup` for the test's `afterEach`.
 */
export async function socketPairs(count: number, cleanup: (() => void)[]): Promise<{ server: WebSocket; client: WebSocket }[]> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  cleanup.push(() => wss.close())
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const pairs: { server: WebSocket; client: WebSocket }[] = []
  for (let i = 0; i < count; i++) {
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', (ws) => resolve(ws)))
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`) // a TCP listener has an AddressInfo
    cleanup.push(() => client.terminate())
    await new Promise<void>((resolve) => client.once('open', () => resolve()))
    pairs.push({ server: await accepted, client })
  }
  return pairs
}

/**
 * A team member's `Connection` on a server-side socket, with the server's default rates and a ping
 * interval long enough never to fire in a test.
 */
export function teamConnection(ws: WebSocket, userId: string): Connection {
  const config = parseEnv({})
  return new Connection(ws, {
    docName: 'w/swot',
    readOnly: false,
    role: 'team',
    userId,
    key: null,
    source: '',
    rates: config.rates,
    maxBufferedBytes: config.maxBufferedBytes,
    pingIntervalMs: 3_600_000,
    log: createLogger('silent'),
  })
}
