import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { RateLimiter } from '../../server/auth/rateLimit.ts'
import { newClaims, signToken, singleKey, type TokenClaims } from '../../server/auth/tokens.ts'
import { SessionRegistry } from '../../server/auth/SessionRegistry.ts'
import { authorize, type SyncConnectionRequest } from '../../server/sync/authorize.ts'
import { MemoryAccessStore } from '../helpers/memoryAccessStore.ts'

const keys = singleKey(randomBytes(32))
type Board = 'swot' | 'stakeholders' | 'actions'
const W = 'workshop-aaaa'
const OTHER = 'workshop-bbbb'

function setup(limit = 100) {
  const access = new MemoryAccessStore()
  access.add(W)
  access.add(OTHER)
  const failures = new RateLimiter({ limit, windowMs: 60_000, maxKeys: 100 })
  const deps = { tokenKeys: keys, access, failures, sessions: new SessionRegistry() }
  const token = (role: Role, overrides: Partial<TokenClaims> = {}) =>
    signToken(keys, { ...newClaims({ workshopId: W, role, gen: 0, ttlSeconds: 3600 }), ...overrides })
  const request = (params: Record<string, string>, board: Board = 'actions'): SyncConnectionRequest => ({
    workshopId: W,
    board,
    params: new URLSearchParams(params),
    address: '192.0.2.1',
  })
  return { access, failures, deps, token, request }
}

describe('[A1]–[A7] sync authorization decisions', () => {
  it('admits each role with the right read-only flag', async () => {
    const { deps, token, request } = setup()
    const admit = async (role: Role, board: Board) => authorize(deps, request({ token: await token(role) }, board))
    expect(await admit('facilitator', 'swot')).toMatchObject({ ok: true, role: 'facilitator', readOnly: false })
    expect(await admit('team', 'swot')).toMatchObject({ ok: true, role: 'team', readOnly: false })
    expect(await admit('viewer', 'swot')).toMatchObject({ ok: true, role: 'viewer', readOnly: true })
    expect(await admit('guest', 'actions')).toMatchObject({ ok: true, role: 'guest', readOnly: false })
    expect(await admit('guest', 'swot')).toEqual({ ok: false, code: CLOSE_CODES.forbidden, reason: 'board not visible for this role' })
    expect(await admit('guest', 'stakeholders')).toMatchObject({ ok: false, code: CLOSE_CODES.forbidden })
  })

  it('refuses missing, forged, expired, other-workshop and revoked tokens with 4401', async () => {
    const { access, deps, token, request } = setup()
    const forged = await signToken(singleKey(randomBytes(32)), newClaims({ workshopId: W, role: 'team', gen: 0, ttlSeconds: 3600 }))
    const expired = await token('team', { exp: Math.floor(Date.now() / 1000) - 1 })
    const other = await signToken(keys, newClaims({ workshopId: OTHER, role: 'facilitator', gen: 0, ttlSeconds: 3600 }))
    const guest = await token('guest')
    await access.bumpGeneration(W, 'guest')
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'missing token'],
      [{ token: 'garbage' }, 'malformed token'],
      [{ token: forged }, 'invalid token'],
      [{ token: expired }, 'token expired'],
      [{ token: other }, 'token is for another workshop'],
      [{ token: guest }, 'link revoked'],
    ]
    for (const [params, reason] of cases) {
      expect(await authorize(deps, request(params))).toEqual({ ok: false, code: CLOSE_CODES.unauthorized, reason })
    }
  })

  it('a valid token of a deleted workshop gets 4404; other workshops learn nothing without a valid token', async () => {
    const { access, deps, token, request } = setup()
    const valid = await token('team')
    access.workshops.delete(W)
    expect(await authorize(deps, request({ token: valid }))).toMatchObject({ code: CLOSE_CODES.unknownWorkshop })
    // Without a valid token, an unknown workshop looks exactly like a known one.
    const unknown = { ...request({ token: 'garbage' }), workshopId: 'no-such-workshop' }
    expect(await authorize(deps, unknown)).toEqual({ ok: false, code: CLOSE_CODES.unauthorized, reason: 'malformed token' })
  })

  it('[A10] after `limit` failures an address is refused without checking, even with a valid token', async () => {
    const { deps, token, request } = setup(3)
    for (let i = 0; i < 3; i++) await authorize(deps, request({ token: 'garbage' }))
    expect(await authorize(deps, request({ token: await token('team') }))).toEqual({
      ok: false,
      code: CLOSE_CODES.unauthorized,
      reason: 'too many failed attempts, try later',
    })
    // A 4403 (guest following an old link) is not a failed token check.
    const fresh = setup(1)
    await authorize(fresh.deps, fresh.request({ token: await fresh.token('guest') }, 'swot'))
    expect(await fresh.failures.isLimited('192.0.2.1')).toBe(false)
  })
})
