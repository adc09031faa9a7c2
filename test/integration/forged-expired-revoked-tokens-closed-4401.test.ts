import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { newClaims, signToken, singleKey } from '../../server/auth/tokens.ts'
import type { LogFields, Logger } from '../../server/log.ts'
import { connectSynced, rawClient, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

// Every log line the server writes, to check that no token ever appears in one ([A11]).
const lines: string[] = []
const capture = (level: string) => (event: string, fields?: LogFields) => {
  lines.push(`${level} ${event} ${JSON.stringify(fields ?? {})}`)
}
const log: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') }

let server: TestServer
let workshop: TestWorkshop
let other: TestWorkshop
beforeAll(async () => {
  server = await startServer({}, { log })
  workshop = await server.createWorkshop()
  other = await server.createWorkshop({ account: 'Globex', title: 'QBR' })
})
afterAll(() => server.close())

/** Opens a raw socket with `token` (or none) and returns its close and everything it received. */
async function attempt(board: string, token: string | undefined, workshopId = workshop.id) {
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`
  const raw = rawClient(`${server.syncUrl}/${workshopId}/${board}${query}`, { defaultToken: false })
  const closed = await raw.closed
  return { ...closed, received: raw.received.length }
}

test.each([
  ['no token', () => undefined, 'missing token'],
  ['a malformed token', () => 'not-a-token', 'malformed token'],
  ['a token signed with another secret', () => signToken(singleKey(randomBytes(32)), newClaims({ workshopId: workshop.id, role: 'facilitator', gen: 0, ttlSeconds: 3600 })), 'invalid token'],
  // [A9] a key id this server does not hold: a link signed with a key retired in a rotation.
  ['a token signed with a retired key', () => signToken(singleKey(randomBytes(32), 'retired-2025'), newClaims({ workshopId: workshop.id, role: 'facilitator', gen: 0, ttlSeconds: 3600 })), 'token key retired'],
  ['a token with its role changed', () => {
    const [header, payload, signature] = workshop.tokens.guest.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    return `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'facilitator' })).toString('base64url')}.${signature}`
  }, 'invalid token'],
  ['an expired token', () => server.mintToken(workshop.id, 'team', { exp: Math.floor(Date.now() / 1000) - 1 }), 'token expired'],
  ["another workshop's token", () => other.tokens.facilitator, 'token is for another workshop'],
])('%s is closed with 4401 before anything is sent [A1][A2][A3]', async (_name, token, reason) => {
  const result = await attempt('actions', await token())
  expect(result).toEqual({ code: CLOSE_CODES.unauthorized, reason, received: 0 })
  expect(server.server.rooms.names()).toEqual([])
})

test('a revoked link is refused, and its open connections are closed at once [A4]', async () => {
  const w = await server.createWorkshop()
  const guest = await connectSynced(server.syncUrl, `${w.id}/actions`, { params: { token: w.tokens.guest } })
  const team = await connectSynced(server.syncUrl, `${w.id}/actions`, { params: { token: w.tokens.team } })
  const guestClosed = new Promise<number>((resolve) => guest.provider.on('connection-close', (e) => resolve(e?.code ?? 0)))

  const response = await fetch(`${server.url}/api/workshops/${w.id}/links/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'guest' }),
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('cache-control')).toBe('no-store')
  const { links } = (await response.json()) as { links: Record<string, string> } // shape checked in the unit tests
  expect(await guestClosed).toBe(CLOSE_CODES.unauthorized)
  expect(guest.provider.shouldConnect).toBe(false)
  expect(team.provider.wsconnected).toBe(true)

  expect(await attempt('actions', w.tokens.guest, w.id)).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked', received: 0 })
  const renewed = await connectSynced(server.syncUrl, `${w.id}/actions`, { params: { token: new URL(links.guest ?? '').searchParams.get('token') ?? '' } })
  renewed.destroy()
  guest.destroy()
  team.destroy()
})

test('an open connection is closed with 4401 when its token expires; others stay open [A3]', async () => {
  const w = await server.createWorkshop()
  // A link that expires in a second or two (exp has whole-second resolution).
  const shortLived = await server.mintToken(w.id, 'team', { exp: Math.floor(Date.now() / 1000) + 2 })
  const expiring = await connectSynced(server.syncUrl, `${w.id}/actions`, { params: { token: shortLived } })
  const staying = await connectSynced(server.syncUrl, `${w.id}/actions`, { params: { token: w.tokens.team } })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    expiring.provider.on('connection-close', (event) => resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' })),
  )
  expect(await closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'token expired' })
  // y-websocket stops reconnecting on a 44xx close; and the expired link is now refused.
  expect(expiring.provider.shouldConnect).toBe(false)
  expect(staying.provider.wsconnected).toBe(true)
  expect(await attempt('actions', shortLived, w.id)).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'token expired', received: 0 })
  expiring.destroy()
  staying.destroy()
})

test('tokens never appear in log lines [A11]', async () => {
  await waitFor(() => lines.length > 0, 'log lines')
  const tokens = [workshop, other].flatMap((w) => Object.values(w.tokens))
  for (const line of lines) {
    for (const token of tokens) {
      expect(line).not.toContain(token)
      // Neither its claims nor its signature.
      expect(line).not.toContain(token.split('.')[1])
      expect(line).not.toContain(token.split('.')[2])
    }
  }
  expect(lines.some((line) => line.includes('tokenId'))).toBe(true)
})
