/**
 * Workshop access tokens (`docs/security.md` [A1]–[A4]): `<payload>.<signature>`, both base64url,
 * where the payload is JSON {@link TokenClaims} and the signature is HMAC-SHA256 over
 * `keyplan-token.` + the payload's base64url text, keyed with the server's signing secret.
 *
 * Checking a token is two steps: {@link verifyToken} (is it ours, intact and unexpired?) then
 * {@link checkAccess} (is it for this workshop, and not revoked?), the second a pure function of
 * the current role generations so that the server can re-run it when a role is revoked.
 *
 * @example
 * ```ts
 * const token = signToken(secret, newClaims({ workshopId, role: 'guest', gen: 0, ttlSeconds }))
 * const verified = verifyToken(secret, token, Date.now())
 * if (!verified.ok) return reject(verified.reason)
 * const access = checkAccess(verified.claims, workshopId, generations)
 * ```
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { WorkshopIdSchema } from '../../shared/api.ts'
import { ROLES, RoleSchema, type Role } from '../../shared/roles.ts'

/** Version of the claims format; tokens of another version are `unsupported`. */
export const TOKEN_VERSION = 1

/** Longest token accepted, in characters; longer input is `malformed` before any crypto runs. */
export const MAX_TOKEN_LENGTH = 512

/** Shortest signing secret accepted, in bytes (the HMAC-SHA256 output size). */
export const MIN_SECRET_BYTES = 32

/** Default lifetime of an invite link: 30 days. */
export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60

// Domain separation: a MAC made with the same secret for another purpose never verifies as a token.
const MAC_PREFIX = 'keyplan-token.'
const SIGNATURE_BYTES = 32
const BASE64URL = /^[A-Za-z0-9_-]+$/

/** What a token says, checked with zod after its signature. */
export const TokenClaimsSchema = z.strictObject({
  v: z.literal(TOKEN_VERSION),
  workshopId: WorkshopIdSchema,
  role: RoleSchema,
  /** Expiry, unix seconds. */
  exp: z.number().int().positive(),
  /** The role's generation when the token was issued; older generations are revoked. */
  gen: z.number().int().nonnegative(),
  /** Random id of this token, safe to log in place of the token. */
  jti: z.string().regex(BASE64URL).max(32).optional(),
})
export type TokenClaims = z.infer<typeof TokenClaimsSchema>

/** The current generation of each role of one workshop; bumping one revokes its tokens. */
export type RoleGenerations = Record<Role, number>

/** The generations of a new workshop. */
export function initialGenerations(): RoleGenerations {
  return Object.fromEntries(ROLES.map((role) => [role, 0])) as RoleGenerations // one entry per role, built from ROLES
}

/** Why {@link verifyToken} refused a token. */
export type VerifyFailure = 'malformed' | 'bad_signature' | 'unsupported' | 'expired'
/** Why {@link checkAccess} refused a verified token. */
export type AccessFailure = 'other_workshop' | 'revoked'

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: VerifyFailure }
export type AccessResult = { ok: true; role: Role } | { ok: false; reason: AccessFailure }

function assertSecret(secret: Buffer): void {
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`token secret must be at least ${MIN_SECRET_BYTES} bytes`)
}

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(MAC_PREFIX + payload).digest()
}

/**
 * Claims for a new token: expiring `ttlSeconds` after `nowMs`, with a random `jti`.
 *
 * @example `newClaims({ workshopId, role: 'team', gen: generations.team, ttlSeconds: DEFAULT_TOKEN_TTL_SECONDS })`
 */
export function newClaims(input: {
  workshopId: string
  role: Role
  gen: number
  ttlSeconds: number
  nowMs?: number
}): TokenClaims {
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000)
  return {
    v: TOKEN_VERSION,
    workshopId: input.workshopId,
    role: input.role,
    exp: nowSeconds + input.ttlSeconds,
    gen: input.gen,
    jti: randomBytes(9).toString('base64url'),
  }
}

/** Signs `claims` (validated first) with `secret`. Throws on invalid claims or a short secret. */
export function signToken(secret: Buffer, claims: TokenClaims): string {
  assertSecret(secret)
  const payload = Buffer.from(JSON.stringify(TokenClaimsSchema.parse(claims))).toString('base64url')
  return `${payload}.${mac(secret, payload).toString('base64url')}`
}

/**
 * Checks that `token` was signed with `secret`, is well formed and has not expired at `nowMs`
 * (milliseconds, as `Date.now()`). The signature is compared in constant time and checked before
 * the payload is parsed, so nothing an outsider made reaches JSON.parse or zod.
 */
export function verifyToken(secret: Buffer, token: string, nowMs: number): VerifyResult {
  assertSecret(secret)
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' }
  const parts = token.split('.')
  if (parts.length !== 2) return { ok: false, reason: 'malformed' }
  const [payload, signature] = parts as [string, string] // length checked above
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return { ok: false, reason: 'malformed' }

  const given = Buffer.from(signature, 'base64url')
  // Re-encoding rejects non-canonical spellings of the same bytes (unused trailing bits).
  if (given.length !== SIGNATURE_BYTES || given.toString('base64url') !== signature) {
    return { ok: false, reason: 'bad_signature' }
  }
  if (!timingSafeEqual(given, mac(secret, payload))) return { ok: false, reason: 'bad_signature' }

  let json: unknown
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    // Only reachable with a valid signature: a token we signed ourselves cannot hold bad JSON.
    return { ok: false, reason: 'malformed' }
  }
  const parsed = TokenClaimsSchema.safeParse(json)
  if (!parsed.success) return { ok: false, reason: 'unsupported' }
  if (parsed.data.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' }
  return { ok: true, claims: parsed.data }
}

/**
 * Whether verified `claims` grant access to `workshopId` given the workshop's current role
 * `generations`. Only the current generation is valid: an older one was revoked, and a newer one
 * cannot have been issued by this store (e.g. after restoring an old backup), so it is refused too.
 */
export function checkAccess(claims: TokenClaims, workshopId: string, generations: RoleGenerations): AccessResult {
  if (claims.workshopId !== workshopId) return { ok: false, reason: 'other_workshop' }
  if (claims.gen !== generations[claims.role]) return { ok: false, reason: 'revoked' }
  return { ok: true, role: claims.role }
}
