import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { tokenFromAuthorization, tokenFromQuery } from '../../server/auth/extractToken.ts'
import {
  MAX_TOKEN_LENGTH,
  checkAccess,
  initialGenerations,
  newClaims,
  signToken,
  verifyToken,
  type TokenClaims,
} from '../../server/auth/tokens.ts'

const secret = randomBytes(32)
const workshopId = 'wks_abcdefgh'
const now = Date.UTC(2026, 10, 22, 12, 0, 0)
const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  ...newClaims({ workshopId, role: 'guest', gen: 0, ttlSeconds: 3600, nowMs: now }),
  ...overrides,
})
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const mac = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(`keyplan-token.${payload}`).digest('base64url')

describe('[A1] a genuine token verifies', () => {
  it('round-trips its claims', () => {
    const issued = claims({ role: 'team' })
    const result = verifyToken(secret, signToken(secret, issued), now)
    expect(result).toEqual({ ok: true, claims: issued })
    expect(issued.jti).toMatch(/^[A-Za-z0-9_-]{12}$/)
  })

  it('refuses to sign invalid claims or with a short secret', () => {
    expect(() => signToken(secret, { ...claims(), role: 'admin' } as unknown as TokenClaims)).toThrow() // hostile claims
    expect(() => signToken(randomBytes(16), claims())).toThrow(/at least 32 bytes/)
  })
})

describe('[A1] forged tokens are rejected', () => {
  const genuine = signToken(secret, claims())
  const [payload = '', signature = ''] = genuine.split('.')

  it('another secret', () => {
    expect(verifyToken(secret, signToken(randomBytes(32), claims()), now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('claims changed under the original signature (guest promoted to facilitator)', () => {
    const promoted = b64({ ...claims(), role: 'facilitator' })
    expect(verifyToken(secret, `${promoted}.${signature}`, now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('a MAC without the domain-separation prefix', () => {
    const raw = createHmac('sha256', secret).update(payload).digest('base64url')
    expect(verifyToken(secret, `${payload}.${raw}`, now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('a truncated, extended or non-canonical signature', () => {
    expect(verifyToken(secret, `${payload}.${signature.slice(0, -2)}`, now).ok).toBe(false)
    expect(verifyToken(secret, `${payload}.${signature}AA`, now).ok).toBe(false)
    // The last base64url character of 32 bytes carries 2 unused bits: flip one.
    const last = signature.at(-1) ?? 'A'
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A'
    expect(Buffer.from(signature.slice(0, -1) + twin, 'base64url')).toEqual(Buffer.from(signature, 'base64url'))
    expect(verifyToken(secret, `${payload}.${signature.slice(0, -1)}${twin}`, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('garbage of every shape is malformed, before any parsing', () => {
    for (const garbage of ['', '.', 'a', 'a.b.c', `${payload}.`, `.${signature}`, `${payload}.${signature}=`, 'é.é', `${genuine} `]) {
      expect(verifyToken(secret, garbage, now)).toEqual({ ok: false, reason: 'malformed' })
    }
    expect(verifyToken(secret, `${'a'.repeat(MAX_TOKEN_LENGTH)}.${signature}`, now)).toEqual({
      ok: false,
      reason: 'malformed',
    })
  })

  it('correctly signed but unknown claims (version, extra field, bad role) are unsupported', () => {
    for (const body of [{ ...claims(), v: 2 }, { ...claims(), admin: true }, { ...claims(), role: 'owner' }, [1, 2]]) {
      const p = b64(body)
      expect(verifyToken(secret, `${p}.${mac(secret, p)}`, now)).toEqual({ ok: false, reason: 'unsupported' })
    }
    const notJson = Buffer.from('{not json').toString('base64url')
    expect(verifyToken(secret, `${notJson}.${mac(secret, notJson)}`, now)).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('[A3] expired tokens are rejected', () => {
  it('valid until exp, refused from exp on', () => {
    const token = signToken(secret, claims())
    expect(verifyToken(secret, token, now + 3599_000).ok).toBe(true)
    expect(verifyToken(secret, token, now + 3600_000)).toEqual({ ok: false, reason: 'expired' })
  })
})

describe('[A2][A4] other-workshop and revoked tokens are refused', () => {
  it('another workshop', () => {
    expect(checkAccess(claims(), 'wks_other123', initialGenerations())).toEqual({ ok: false, reason: 'other_workshop' })
  })

  it('bumping a role generation revokes that role only', () => {
    const generations = { ...initialGenerations(), guest: 1 }
    expect(checkAccess(claims({ role: 'guest', gen: 0 }), workshopId, generations)).toEqual({ ok: false, reason: 'revoked' })
    expect(checkAccess(claims({ role: 'team', gen: 0 }), workshopId, generations)).toEqual({ ok: true, role: 'team' })
    expect(checkAccess(claims({ role: 'guest', gen: 1 }), workshopId, generations)).toEqual({ ok: true, role: 'guest' })
  })

  it('a generation from the future (store restored from an old backup) is refused', () => {
    expect(checkAccess(claims({ gen: 5 }), workshopId, initialGenerations())).toEqual({ ok: false, reason: 'revoked' })
  })
})

describe('[A1] token extraction', () => {
  const token = signToken(secret, claims())

  it('reads a Bearer header, scheme case-insensitive', () => {
    expect(tokenFromAuthorization(`Bearer ${token}`)).toEqual({ ok: true, value: token })
    expect(tokenFromAuthorization(`bearer ${token}`)).toEqual({ ok: true, value: token })
    expect(tokenFromAuthorization(undefined)).toEqual({ ok: false, reason: 'missing' })
    for (const bad of [`Basic ${token}`, token, `Bearer ${token} extra`, 'Bearer not-a-token', `Bearer ${'a'.repeat(600)}.b`]) {
      expect(tokenFromAuthorization(bad)).toEqual({ ok: false, reason: 'malformed' })
    }
  })

  it('reads exactly one token query parameter', () => {
    expect(tokenFromQuery(new URLSearchParams({ token }))).toEqual({ ok: true, value: token })
    expect(tokenFromQuery(new URLSearchParams(''))).toEqual({ ok: false, reason: 'missing' })
    expect(tokenFromQuery(new URLSearchParams(`token=${token}&token=${token}`))).toEqual({ ok: false, reason: 'malformed' })
    expect(tokenFromQuery(new URLSearchParams('token=%00%01'))).toEqual({ ok: false, reason: 'malformed' })
  })
})
