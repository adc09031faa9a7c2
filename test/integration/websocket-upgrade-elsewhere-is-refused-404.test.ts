/**
 * Websockets are accepted on `/sync/…` and `/control/…` only (`server/webSocketUpgrades.ts`): an
 * upgrade to any other path is answered 404 and closed, never upgraded, whatever the HTTP route
 * there would answer (the API's JSON, the SPA's page).
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** The HTTP status the server answers a websocket upgrade to `path` with (101 when it upgrades). */
function upgradeStatus(path: string): Promise<number> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${path}`)
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('upgrade', () => resolve(101))
    ws.on('error', () => {})
  })
}

test.each(['/api/health', '/', '/w/abc', '/synced/abc/swot'])('an upgrade to %s is answered 404', async (path) => {
  expect(await upgradeStatus(path)).toBe(404)
})

test('an upgrade to a sync path is taken, and refused inside the socket [S11]', async () => {
  expect(await upgradeStatus('/sync/nosuchworkshop1/swot')).toBe(101)
})
