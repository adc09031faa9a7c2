import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { WorkshopLinksResponseSchema } from '../../shared/access.ts'
import { CreatedWorkshopSchema } from '../../shared/api.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { ROLES } from '../../shared/roles.ts'
import { FAILED_AUTH_LIMIT } from '../../server/app.ts'
import { rawClient } from '../helpers/clients.ts'
import { TEST_ORG_KEY, startServer, tempDataDir, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const create = (authorization?: string) =>
  fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ account: 'Acme Corp', title: 'Joint session', linkTtlDays: 7 }),
  })

test('creating and listing workshops needs the organisation key [A8]', async () => {
  const before = await server.store.listWorkshops()
  for (const authorization of [undefined, 'Bearer wrong-organisation-key', `Basic ${TEST_ORG_KEY}`]) {
    const response = await create(authorization)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } })
  }
  expect(await server.store.listWorkshops()).toEqual(before)
  expect((await fetch(`${server.url}/api/workshops`)).status).toBe(401)
  expect((await fetch(`${server.url}/api/workshops`, { headers: { authorization: `Bearer ${TEST_ORG_KEY}` } })).status).toBe(200)
})

test('the organisation key on a route that takes a workshop token: 401 saying so, not "malformed token"; nothing changes (QA q35b)', async () => {
  const created = CreatedWorkshopSchema.parse(await (await create(`Bearer ${TEST_ORG_KEY}`)).json())
  const asOrg = { authorization: `Bearer ${TEST_ORG_KEY}`, 'content-type': 'application/json' }
  for (const [method, route, body] of [['DELETE', '', undefined], ['PATCH', '', { title: 'Renamed' }], ['GET', '/access', undefined], ['POST', '/links/revoke', { role: 'guest' }]] as const) {
    const response = await fetch(`${server.url}/api/workshops/${created.id}${route}`, { method, headers: asOrg, ...(body ? { body: JSON.stringify(body) } : {}) })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'this route takes a workshop token, not the organisation key: get the facilitator link with GET /api/workshops/:id/links' } })
  }
  expect((await server.store.getWorkshop(created.id))?.title).toBe('Joint session')
})

test('POST returns four no-store links of the client, each naming the workshop (issue 12), with its role [A1][A5][A11]', async () => {
  const response = await create(`Bearer ${TEST_ORG_KEY}`)
  expect(response.status).toBe(201)
  expect(response.headers.get('cache-control')).toBe('no-store')
  const created = CreatedWorkshopSchema.parse(await response.json())
  for (const role of ROLES) {
    const link = new URL(created.links[role])
    expect(`${link.origin}${link.pathname}`).toBe(`${server.url}/w/${created.id}`)
    const token = link.searchParams.get('token') ?? ''
    const access = await fetch(`${server.url}/api/workshops/${created.id}/access`, { headers: { authorization: `Bearer ${token}` } })
    expect(await access.json()).toMatchObject({ role })
  }
  // The chosen lifetime: 7 days.
  const claims = JSON.parse(
    Buffer.from((new URL(created.links.team).searchParams.get('token') ?? '').split('.')[1] ?? '', 'base64url').toString(),
  ) as { exp: number } // the JWS payload (the middle part); checked by the unit tests
  expect(claims.exp - Date.now() / 1000).toBeGreaterThan(7 * 86400 - 60)
  expect(claims.exp - Date.now() / 1000).toBeLessThanOrEqual(7 * 86400)

  // The lobby, holding the organisation key, can fetch the links again.
  const again = await fetch(`${server.url}/api/workshops/${created.id}/links`, { headers: { authorization: `Bearer ${TEST_ORG_KEY}` } })
  expect(WorkshopLinksResponseSchema.parse(await again.json()).links.guest).toContain(`/w/${created.id}?token=`)
})

test('a link lifetime out of range answers 400 naming the allowed range, and creates nothing', async () => {
  const before = (await server.store.listWorkshops()).length
  for (const linkTtlDays of ['30', 0, 1.5, 366, null]) {
    const response = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ORG_KEY}` },
      body: JSON.stringify({ account: 'Acme Corp', title: 'Joint session', linkTtlDays }),
    })
    expect(response.status, JSON.stringify(linkTtlDays)).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_body', message: 'linkTtlDays: a whole number of days from 1 to 365' } })
  }
  expect(await server.store.listWorkshops()).toHaveLength(before)
})

test('with PUBLIC_URL, links are minted on it, not on the request origin [A15]', async () => {
  const behindProxy = await startServer({ publicUrl: 'https://keyplan.example.com' })
  try {
    const created = await behindProxy.createWorkshop()
    for (const role of ROLES) expect(new URL(created.links[role]).origin).toBe('https://keyplan.example.com')
    const again = await fetch(`${behindProxy.url}/api/workshops/${created.id}/links`, { headers: { authorization: `Bearer ${TEST_ORG_KEY}` } })
    expect(new URL(WorkshopLinksResponseSchema.parse(await again.json()).links.guest).origin).toBe('https://keyplan.example.com')
  } finally {
    await behindProxy.close()
  }
})

test('every response carries the security headers, with the CSP naming this host only [A12]', async () => {
  const host = new URL(server.url).host
  for (const path of ['/api/health', '/api/workshops', '/w/someid/actions', '/api/nope']) {
    const response = await fetch(`${server.url}${path}`)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host} blob: data:`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  }
})

test('a generated organisation key is announced once, then read back [A8]', async () => {
  const dataDir = tempDataDir()
  const announced: string[] = []
  const first = await startServer({ dataDir, orgKey: undefined }, { announce: (line) => announced.push(line) })
  await first.stop()
  const second = await startServer({ dataDir, orgKey: undefined }, { announce: (line) => announced.push(line) })
  expect(announced).toHaveLength(1)
  expect(announced[0]).toContain(second.server.secrets.orgKey)
  expect(fs.statSync(`${dataDir}/org-key`).mode & 0o777).toBe(0o600)
  await second.close()
})

test('an address with too many failed token checks is refused, even with a valid token, for the window [A10]', async () => {
  const limited = await startServer()
  const workshop = await limited.createWorkshop()
  for (let i = 0; i < FAILED_AUTH_LIMIT.limit; i++) {
    const raw = rawClient(`${limited.syncUrl}/${workshop.id}/actions?token=forged.${i}`)
    expect((await raw.closed).code).toBe(CLOSE_CODES.unauthorized)
  }
  const valid = rawClient(`${limited.syncUrl}/${workshop.id}/actions`)
  expect(await valid.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'too many failed attempts, try later' })
  const rest = await fetch(`${limited.url}/api/workshops/${workshop.id}/access`, { headers: { authorization: `Bearer ${workshop.tokens.team}` } })
  expect(rest.status).toBe(429)
  await limited.close()
})
