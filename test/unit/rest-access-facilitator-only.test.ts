import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { WorkshopAccessViewSchema, WorkshopLinksResponseSchema } from '../../shared/access.ts'
import { CLOSE_CODES, type CloseCode } from '../../shared/protocol.ts'
import { ROLES, type Role } from '../../shared/roles.ts'
import { accessRoutes } from '../../server/api/access.ts'
import { HttpError, errorResponse } from '../../server/api/errors.ts'
import { authGuards } from '../../server/auth/middleware.ts'
import { RateLimiter } from '../../server/auth/rateLimit.ts'
import { SessionRegistry } from '../../server/auth/SessionRegistry.ts'
import { newClaims, signToken, singleKey, verifyToken } from '../../server/auth/tokens.ts'
import { createLogger } from '../../server/log.ts'
import { MemoryAccessStore } from '../helpers/memoryAccessStore.ts'

const W = 'workshop-aaaa'
const ORG_KEY = 'org-key-for-tests-0123456789'
/** An expiry no test reaches. */
const LATER = Date.now() + 3_600_000

function setup(limit = 100, orgKey = ORG_KEY) {
  const tokenKeys = singleKey(randomBytes(32))
  const access = new MemoryAccessStore()
  access.add(W)
  access.add('workshop-bbbb')
  const sessions = new SessionRegistry()
  const failures = new RateLimiter({ limit, windowMs: 60_000, maxKeys: 100 })
  const guards = authGuards({ orgKey, tokenKeys, access, failures })
  const app = new Hono()
  app.onError((error, c) =>
    error instanceof HttpError ? errorResponse(c, error.status, error.code, error.message) : errorResponse(c, 500, 'internal', String(error)),
  )
  app.get('/api/workshops', guards.orgKey, (c) => c.json({ workshops: [] }))
  app.route('/api/workshops', accessRoutes({ guards, access, workshops: { getWorkshop: async () => undefined }, tokenKeys, sessions, log: createLogger('silent') }))
  const token = (role: Role, workshopId = W) =>
    signToken(tokenKeys, newClaims({ workshopId, role, gen: 0, ttlSeconds: 3600 }))
  // Takes a token still being signed, too: signing is asynchronous.
  const call = async (path: string, pending: string | Promise<string> | undefined, init: RequestInit = {}) => {
    const credential = await pending
    return app.request(`http://keyplan.test${path}`, {
      ...init,
      headers: {
        ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    })
  }
  return { app, access, sessions, tokenKeys, token, call }
}

class FakeConn {
  closedWith: { code: CloseCode; reason: string } | undefined
  private listeners: Array<() => void> = []
  close(code: CloseCode, reason: string) {
    this.closedWith ??= { code, reason }
    for (const listener of this.listeners.splice(0)) listener()
  }
  onClose(listener: () => void) {
    this.listeners.push(listener)
  }
}

describe('[A8] organisation key', () => {
  it('is required to list workshops', async () => {
    const { call } = setup()
    expect((await call('/api/workshops', undefined)).status).toBe(401)
    expect((await call('/api/workshops', 'wrong-key-0123456789')).status).toBe(401)
    expect((await call('/api/workshops', ORG_KEY)).status).toBe(200)
  })

  it('[A10] repeated failures from one address are answered 429 without checking', async () => {
    const { call } = setup(2)
    await call('/api/workshops', 'wrong-1')
    await call('/api/workshops', 'wrong-2')
    const limited = await call('/api/workshops', ORG_KEY)
    expect(limited.status).toBe(429)
    expect(await limited.json()).toMatchObject({ error: { code: 'too_many_attempts' } })
  })
})

describe('[A8] an organisation key shaped like a token', () => {
  it('still opens the lobby endpoints', async () => {
    const dotted = 'abcdefghij.klmnopqrst'
    const { call } = setup(100, dotted)
    expect((await call(`/api/workshops/${W}/links`, dotted)).status).toBe(200)
    expect((await call(`/api/workshops/${W}/access`, dotted)).status).toBe(401)
  })
})

describe('[A1][A5] workshop endpoints', () => {
  it('need a token of that workshop', async () => {
    const { call, token } = setup()
    expect((await call(`/api/workshops/${W}/access`, undefined)).status).toBe(401)
    expect((await call(`/api/workshops/${W}/access`, token('team', 'workshop-bbbb'))).status).toBe(401)
    expect((await call(`/api/workshops/${W}/access`, 'not.atoken')).status).toBe(401)
    expect((await call(`/api/workshops/${W}/access`, ORG_KEY)).status).toBe(401)
  })

  it('tell each role what it may open', async () => {
    const { call, token } = setup()
    const view = async (role: Role) =>
      WorkshopAccessViewSchema.parse(await (await call(`/api/workshops/${W}/access`, token(role))).json())
    expect(await view('guest')).toEqual({ role: 'guest', boards: [{ id: 'actions', readOnly: false }] })
    expect((await view('viewer')).boards.every((b) => b.readOnly)).toBe(true)
    expect((await view('team')).boards.map((b) => b.id)).toEqual(['swot', 'stakeholders', 'objectives', 'actions', 'whitespace'])
  })

  it('facilitator-only endpoints refuse every other role with 403', async () => {
    const { call, token } = setup()
    for (const role of ROLES.filter((r) => r !== 'facilitator')) {
      expect((await call(`/api/workshops/${W}/links`, token(role))).status).toBe(403)
      const revoke = await call(`/api/workshops/${W}/links/revoke`, token(role), {
        method: 'POST',
        body: JSON.stringify({ role: 'guest' }),
      })
      expect(revoke.status).toBe(403)
      const put = await call(`/api/workshops/${W}/settings`, token(role), {
        method: 'PUT',
        body: JSON.stringify({ customerFacing: { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true } }),
      })
      expect(put.status).toBe(403)
    }
  })
})

describe('[A4] links and revocation', () => {
  it('the facilitator (or the organisation key) gets four no-store links to the client', async () => {
    const { call, token, tokenKeys } = setup()
    for (const credential of [token('facilitator'), ORG_KEY]) {
      const res = await call(`/api/workshops/${W}/links`, credential)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const { links } = WorkshopLinksResponseSchema.parse(await res.json())
      for (const role of ROLES) {
        const url = new URL(links[role])
        expect(url.origin).toBe('http://keyplan.test')
        expect(url.pathname).toBe(`/w/${W}`)
        const verified = await verifyToken(tokenKeys, url.searchParams.get('token') ?? '', Date.now())
        expect(verified).toMatchObject({ ok: true, claims: { workshopId: W, role, gen: 0 } })
      }
    }
  })

  it('revoking a role refuses its old links, closes its connections at once, and issues new links', async () => {
    const { call, token, sessions } = setup()
    const oldGuest = token('guest')
    const guestConn = new FakeConn()
    const teamConn = new FakeConn()
    sessions.register(guestConn, { workshopId: W, board: 'actions', role: 'guest', expiresAtMs: LATER }, 0)
    sessions.register(teamConn, { workshopId: W, board: 'actions', role: 'team', expiresAtMs: LATER }, 0)

    const res = await call(`/api/workshops/${W}/links/revoke`, token('facilitator'), {
      method: 'POST',
      body: JSON.stringify({ role: 'guest' }),
    })
    expect(res.status).toBe(200)
    const { links } = WorkshopLinksResponseSchema.parse(await res.json())
    expect(guestConn.closedWith).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })
    expect(teamConn.closedWith).toBeUndefined()
    expect((await call(`/api/workshops/${W}/access`, oldGuest)).status).toBe(401)
    const newGuest = new URL(links.guest).searchParams.get('token') ?? ''
    expect((await call(`/api/workshops/${W}/access`, newGuest)).status).toBe(200)
    expect((await call(`/api/workshops/${W}/access`, token('team'))).status).toBe(200)
  })

  it('rejects a revoke body naming no role', async () => {
    const { call, token } = setup()
    const res = await call(`/api/workshops/${W}/links/revoke`, token('facilitator'), {
      method: 'POST',
      body: JSON.stringify({ role: 'admin' }),
    })
    expect(res.status).toBe(400)
  })
})

describe('[A6] board settings', () => {
  it('switching a board to internal closes the guests on it at once, and only them', async () => {
    const { call, token, sessions } = setup()
    const open = await call(`/api/workshops/${W}/settings`, token('facilitator'), {
      method: 'PUT',
      body: JSON.stringify({ customerFacing: { swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false } }),
    })
    expect(open.status).toBe(200)
    const guestOnSwot = new FakeConn()
    const guestOnActions = new FakeConn()
    const teamOnSwot = new FakeConn()
    sessions.register(guestOnSwot, { workshopId: W, board: 'swot', role: 'guest', expiresAtMs: LATER }, sessions.epoch(W))
    sessions.register(guestOnActions, { workshopId: W, board: 'actions', role: 'guest', expiresAtMs: LATER }, sessions.epoch(W))
    sessions.register(teamOnSwot, { workshopId: W, board: 'swot', role: 'team', expiresAtMs: LATER }, sessions.epoch(W))

    const close = await call(`/api/workshops/${W}/settings`, token('facilitator'), {
      method: 'PUT',
      body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } }),
    })
    expect(close.status).toBe(200)
    expect(guestOnSwot.closedWith).toEqual({ code: CLOSE_CODES.forbidden, reason: 'board is no longer customer-facing' })
    expect(guestOnActions.closedWith).toBeUndefined()
    expect(teamOnSwot.closedWith).toBeUndefined()
    expect(await (await call(`/api/workshops/${W}/settings`, token('guest'))).json()).toEqual({
      customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false },
    })
  })

  it('a change sets the boards it names and keeps the others: two panels loaded before each other’s change both get theirs', async () => {
    // QA pass of 2026-12-06: a Share panel open since before another facilitator's change sent
    // every board as it had loaded them, and so shared again a board just made internal.
    const { call, token } = setup()
    const change = (customerFacing: Record<string, boolean>) =>
      call(`/api/workshops/${W}/settings`, token('facilitator'), { method: 'PUT', body: JSON.stringify({ customerFacing }) })
    expect((await change({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })).status).toBe(200)
    const first = await change({ actions: false })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ customerFacing: { swot: true, stakeholders: false, objectives: false, actions: false, whitespace: false } })
    const second = await change({ objectives: true })
    expect(await second.json()).toEqual({ customerFacing: { swot: true, stakeholders: false, objectives: true, actions: false, whitespace: false } })
    expect(await (await call(`/api/workshops/${W}/settings`, token('guest'))).json()).toEqual({
      customerFacing: { swot: true, stakeholders: false, objectives: true, actions: false, whitespace: false },
    })
  })

  it('rejects a change that names no board, or a board that does not exist', async () => {
    const { call, token } = setup()
    for (const customerFacing of [{}, { roadmap: true }, { actions: 'yes' }]) {
      const res = await call(`/api/workshops/${W}/settings`, token('facilitator'), { method: 'PUT', body: JSON.stringify({ customerFacing }) })
      expect(res.status, JSON.stringify(customerFacing)).toBe(400)
    }
  })
})
