import { randomBytes } from 'node:crypto'
import { CompactSign, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { tokenFromAuthorization, tokenFromQuery } from '../../server/auth/extractToken.ts'
import {
  MAX_TOKEN_LENGTH,
  TOKEN_TYPE,
  checkAccess,
  initialGenerations,
  newClaims,
  parseTokenKeys,
  signToken,
  singleKey,
  verifyToken,
  type TokenClaims,
} from '../../server/auth/tokens.ts'

const secret = randomBytes(32)
const keys = singleKey(secret)
const workshopId = 'wks_abcdefgh'
const now = Date.UTC(2026, 10, 22, 12, 0, 0)
const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  ...newClaims({ workshopId, role: 'guest', gen: 0, ttlSeconds: 3600, nowMs: now }),
  ...overrides,
})
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
/** Signs any payload bytes with `key` under any protected header: a token made outside signToken. */
const signRaw = (header: Record<string, unknown>, payload: string | Uint8Array, key: Uint8Array = secret) =>
  new CompactSign(typeof payload === 'string' ? new TextEncoder().encode(payload) : payload)
    .setProtectedHeader({ alg: 'HS256', ...header })
    .sign(key)

describe('[A1] a genuine token verifies', () => {
  it('round-trips its claims, as a JWS naming its key and type', async () => {
    const issued = claims({ role: 'team' })
    const token = await signToken(keys, issued)
    const result = await verifyToken(keys, token, now)
    expect(result).toEqual({ ok: true, claims: issued })
    expect(issued.jti).toMatch(/^[A-Za-z0-9_-]{12}$/)
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString())).toEqual({ alg: 'HS256', kid: 'local', typ: TOKEN_TYPE })
  })

  it('refuses to sign invalid claims or with a short secret', async () => {
    await expect(signToken(keys, { ...claims(), role: 'admin' } as unknown as TokenClaims)).rejects.toThrow() // hostile claims
    await expect(signToken(singleKey(randomBytes(16)), claims())).rejects.toThrow(/at least 32 bytes/)
  })
})

describe('[A9] key rotation', () => {
  const oldKey = randomBytes(32)
  const newKey = randomBytes(32)
  const rotated = parseTokenKeys(`new:${newKey.toString('base64')},old:${oldKey.toString('base64url')}`)

  it('the first key signs, every key verifies: links of the previous key work until they expire', async () => {
    const before = await signToken(singleKey(oldKey, 'old'), claims())
    expect(await verifyToken(rotated, before, now)).toMatchObject({ ok: true })
    const after = await signToken(rotated, claims())
    expect(JSON.parse(Buffer.from(after.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({ kid: 'new' })
    expect(await verifyToken(singleKey(newKey, 'new'), after, now)).toMatchObject({ ok: true })
    expect(await verifyToken(rotated, before, now + 3600_000)).toEqual({ ok: false, reason: 'expired' })
  })

  it('a key dropped from the list no longer verifies (its link says its key was retired), nor does a kid naming the wrong key', async () => {
    const before = await signToken(singleKey(oldKey, 'old'), claims())
    expect(await verifyToken(singleKey(newKey, 'new'), before, now)).toEqual({ ok: false, reason: 'unknown_key' })
    const mislabelled = await signToken(singleKey(oldKey, 'new'), claims())
    expect(await verifyToken(rotated, mislabelled, now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('KEYPLAN_TOKEN_SECRET: kid:secret pairs, secrets of 32+ bytes, distinct kids, never echoed', () => {
    expect(rotated.map((key) => key.kid)).toEqual(['new', 'old'])
    expect(Buffer.from(rotated[0].secret)).toEqual(newKey)
    const short = randomBytes(16).toString('base64')
    for (const bad of ['', 'nokid', `:${newKey.toString('base64')}`, `a b:${newKey.toString('base64')}`, `k:${short}`, `k:not base64!`, `k:${newKey.toString('base64')},k:${oldKey.toString('base64')}`]) {
      expect(() => parseTokenKeys(bad)).toThrow()
      try {
        parseTokenKeys(bad)
      } catch (error) {
        expect(String(error)).not.toContain(newKey.toString('base64'))
      }
    }
  })
})

describe('[A1] forged tokens are rejected', async () => {
  const genuine = await signToken(keys, claims())
  const [header = '', payload = '', signature = ''] = genuine.split('.')

  it('another secret', async () => {
    expect(await verifyToken(keys, await signToken(singleKey(randomBytes(32)), claims()), now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('claims changed under the original signature (guest promoted to facilitator)', async () => {
    const promoted = b64({ ...claims(), role: 'facilitator' })
    expect(await verifyToken(keys, `${header}.${promoted}.${signature}`, now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('a JWS made with the same key for another purpose (no or another typ), or unsigned (alg none)', async () => {
    expect(await verifyToken(keys, await signRaw({ kid: 'local' }, JSON.stringify(claims())), now)).toEqual({ ok: false, reason: 'bad_signature' })
    expect(await verifyToken(keys, await signRaw({ kid: 'local', typ: 'JWT' }, JSON.stringify(claims())), now)).toEqual({ ok: false, reason: 'bad_signature' })
    const unsigned = `${b64({ alg: 'none', kid: 'local', typ: TOKEN_TYPE })}.${payload}.${signature}`
    expect(await verifyToken(keys, unsigned, now)).toEqual({ ok: false, reason: 'bad_signature' })
    const otherAlg = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512', kid: 'local', typ: TOKEN_TYPE }).sign(randomBytes(64))
    expect(await verifyToken(keys, otherAlg, now)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('a truncated, extended or non-canonical signature', async () => {
    expect((await verifyToken(keys, `${header}.${payload}.${signature.slice(0, -2)}`, now)).ok).toBe(false)
    expect((await verifyToken(keys, `${header}.${payload}.${signature}AA`, now)).ok).toBe(false)
    // The last base64url character of 32 bytes carries 2 unused bits: flip one.
    const last = signature.at(-1) ?? 'A'
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A'
    expect(Buffer.from(signature.slice(0, -1) + twin, 'base64url')).toEqual(Buffer.from(signature, 'base64url'))
    expect(await verifyToken(keys, `${header}.${payload}.${signature.slice(0, -1)}${twin}`, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('garbage of every shape is malformed, before any parsing', async () => {
    for (const garbage of ['', '.', '..', 'a', 'a.b', `${payload}.${signature}`, `${header}.${payload}.`, `.${payload}.${signature}`, `${genuine}=`, 'é.é.é', `${genuine} `, `${genuine}.x`]) {
      expect(await verifyToken(keys, garbage, now)).toEqual({ ok: false, reason: 'malformed' })
    }
    expect(await verifyToken(keys, `${header}.${'a'.repeat(MAX_TOKEN_LENGTH)}.${signature}`, now)).toEqual({
      ok: false,
      reason: 'malformed',
    })
  })

  it('correctly signed but unknown claims (version, extra field, bad role) are unsupported', async () => {
    const ours = { kid: 'local', typ: TOKEN_TYPE }
    for (const body of [{ ...claims(), v: 2 }, { ...claims(), admin: true }, { ...claims(), role: 'owner' }, { ...claims(), exp: undefined }]) {
      expect(await verifyToken(keys, await signRaw(ours, JSON.stringify(body)), now)).toEqual({ ok: false, reason: 'unsupported' })
    }
    for (const notClaims of ['{not json', '[1,2]']) {
      expect(await verifyToken(keys, await signRaw(ours, notClaims), now)).toEqual({ ok: false, reason: 'malformed' })
    }
  })
})

describe('[A3] expired tokens are rejected', () => {
  it('valid until exp, refused from exp on', async () => {
    const token = await signToken(keys, claims())
    expect((await verifyToken(keys, token, now + 3599_000)).ok).toBe(true)
    expect(await verifyToken(keys, token, now + 3600_000)).toEqual({ ok: false, reason: 'expired' })
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

describe('[A1] token extraction', async () => {
  const token = await signToken(keys, claims())

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
