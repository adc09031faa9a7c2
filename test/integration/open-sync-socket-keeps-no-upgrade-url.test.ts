/**
 * Issue 14 (memory): a sync socket keeps, for as long as it is open, only what its handlers need.
 * Its upgrade's URL and query (the token, the user id, the key: a `URL`, its `URLSearchParams`
 * and their strings, ~0.5 KB) are read when the socket is admitted and then dropped, as the
 * upgrade path says (`server/webSocketUpgrades.ts`). Counted as live `URLSearchParams` (after the
 * GC that `v8.queryObjects` runs) with every client still connected.
 */
import v8 from 'node:v8'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectClient, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** Live objects made by `URLSearchParams` (a GC runs first). */
function liveSearchParams(): number {
  return v8.queryObjects(URLSearchParams) as number // the default format answers a count
}

test('connected sync clients leave no query of their upgrade alive on the server', async () => {
  const workshop = await server.createWorkshop()
  // One connection first: the first upgrade leaves what is made once (caches, compiled code).
  const first = await connectClient(server.syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.team, user: 'user:first' } })
  await first.synced
  const before = liveSearchParams()
  const clients: TestClient[] = []
  for (let i = 0; i < 8; i++) clients.push(await connectClient(server.syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.team, user: `user:u${i}` } }))
  await Promise.all(clients.map((c) => c.synced))
  const open = liveSearchParams()
  for (const client of [first, ...clients]) client.destroy()
  expect(open - before).toBe(0)
})
