import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { newClaims, signToken } from '../../server/auth/tokens.ts'
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
  ['a token signed with another secret', () => signToken(randomBytes(32), newClaims({ workshopId: workshop.id, role: 'facilitator', gen: 0, ttlSeconds: 3600 })), 'invalid token'],
  ['a token with its role changed', () => {
    const [, signature] = workshop.tokens.guest.split('.')
    const claims = JSON.parse(Buffer.from(workshop.tokens.guest.split('.')[0] ?? '', 'base64url').toString())
    return `${Buffer.from(JSON.stringify({ ...claims, role: 'facilitator' })).toString('base64url')}.${signature}`
  }, 'invalid token'],
  ['an expired token', () => server.mintToken(workshop.id, 'team', { exp: Math.floor(Date.now() / 1000) - 1 }), 'token expired'],
  ["another workshop's token", () => other.tokens.facilitator, 'token is for another workshop'],
])('%s is closed with 4401 before anything is sent [A1][A2][A3]', async (_name, token, reason) => {
  const result = await attempt('actions', token())
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

test('tokens never appear in log lines [A11]', async () => {
  await waitFor(() => lines.length > 0, 'log lines')
  const tokens = [workshop, other].flatMap((w) => Object.values(w.tokens))
  for (const line of lines) {
    for (const token of tokens) {
      expect(line).not.toContain(token)
      expect(line).not.toContain(token.split('.')[1])
    }
  }
  expect(lines.some((line) => line.includes('tokenId'))).toBe(true)
})
