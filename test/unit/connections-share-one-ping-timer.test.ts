/**
 * [S10] Issue 14 (memory): the connections pinged at one interval share one timer, not one each
 * (a timer and its closure are ~250 B of heap, and a server holds thousands of connections).
 * Counted as live timers (after the GC that `v8.queryObjects` runs); that a dead peer is still
 * found is `test/integration/dead-peer-dropped-by-ping.test.ts`. Real `ws` sockets on loopback.
 */
import { afterEach, expect, test } from 'vitest'
import type { WebSocket } from 'ws'
import { liveTimers } from '../helpers/liveTimers.ts'
import { socketPairs, teamConnection } from '../helpers/socketPairs.ts'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
})

/** `count` server-side sockets, each with its connected client. */
async function serverSockets(count: number): Promise<WebSocket[]> {
  return (await socketPairs(count, cleanup)).map((pair) => pair.server)
}

test('ten connections with one ping interval hold one timer between them', async () => {
  const sockets = await serverSockets(10)
  const before = liveTimers()
  const connections = sockets.map((ws, i) => teamConnection(ws, `user:u${i}`))
  expect(liveTimers() - before).toBe(1)
  // The last one to close stops it (closed by the peer: closing it here would start ws's close timers).
  for (const conn of connections) conn.handleSocketClosed(1006)
  expect(liveTimers() - before).toBe(0)
})
