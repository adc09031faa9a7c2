/**
 * Workshop access tokens (`docs/security.md` [A1]–[A4], [A9]): standard JWS compact tokens (a JWT)
 * signed with HS256 by `jose`. The protected header names the signing key (`kid`) and the token
 * type (`typ: keyplan-link+jwt`); the payload is {@link TokenClaims}.
 *
 * Several keys may verify ({@link TokenKeys}; the first signs), so that the signing key can be
 * rotated while links signed with the previous one keep working until they expire.
 *
 * Checking a token is two steps: {@link verifyToken} (is it ours, intact and unexpired?) then
 * {@link checkAccess} (is it for this workshop, and not revoked?), the second a pure function of
 * the current role generations so that the server can re-run it when a role is revoked.
 *
 * @example
 * ```ts
 * const keys = parseTokenKeys('2026-12:3q2+7w…,2026-06:Zm9v…')
 * const token = await signToken(keys, newClaims({ workshopId, role: 'guest', gen: 0, ttlSeconds }))
 * const verified = await verifyToken(keys, token, Date.now())
 * if (!verified.ok) return reject(verified.reason)
 * const access = checkAccess(verified.claims, workshopId, generations)
 * ```
 */
import { createHmac, randomBytes } from 'node:crypto'
// jose's entry points for what is used, not its index: 0.4 instead of 2.3 MB of RSS at boot.
import * as errors from 'jose/errors'
import { SignJWT } from 'jose/jwt/sign'
import { jwtVerify } from 'jose/jwt/verify'
import type { JWTHeaderParameters } from 'jose'
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

/**
 * The JWS `typ` of our tokens, required when verifying: a JWS made with the same key for another
 * purpose never verifies as a token (domain separation).
 */
export const TOKEN_TYPE = 'keyplan-link+jwt'

const ALGORITHM = 'HS256'
const BASE64URL = /^[A-Za-z0-9_-]+$/
/** `header.payload.signature`, each base64url: anything else is malformed before any parsing. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** A key id (`kid`): short, URL-safe, so that it fits the environment variable's format. */
export const KeyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a key id is 1–32 of A–Z a–z 0–9 _ -')

/** One signing key: its id (the JWS `kid`) and its HMAC secret (at least {@link MIN_SECRET_BYTES}). */
export type TokenKey = { kid: string; secret: Uint8Array }

/** The keys tokens are checked with; the first also signs new tokens. */
export type TokenKeys = readonly [TokenKey, ...TokenKey[]]

/** The key id of the secret generated into `DATA_DIR/token-secret`. */
export const LOCAL_KEY_ID = 'local'

/**
 * Parses `KEYPLAN_TOKEN_SECRET`: comma-separated `kid:secret` entries, the secret in base64 or
 * base64url of at least 32 bytes. The first key signs; every key verifies. Throws an Error saying
 * what is wrong (never echoing a secret).
 *
 * @example `parseTokenKeys('2026-12:' + randomBytes(32).toString('base64url') + ',local:' + fs.readFileSync('data/token-secret', 'utf8').trim())`
 */
export function parseTokenKeys(text: string): TokenKeys {
  const keys = text.split(',').map((entry, index) => {
    const colon = entry.indexOf(':')
    const kid = KeyIdSchema.safeParse(entry.slice(0, colon).trim())
    if (colon < 0 || !kid.success) throw new Error(`key ${index + 1}: expected kid:secret with a kid of 1–32 of A–Z a–z 0–9 _ -`)
    const encoded = entry.slice(colon + 1).trim()
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new Error(`key ${kid.data}: the secret must be base64 or base64url`)
    const secret = Buffer.from(encoded, 'base64') // Node's base64 decoder also reads base64url
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`key ${kid.data}: the secret must be at least ${MIN_SECRET_BYTES} bytes`)
    return { kid: kid.data, secret: new Uint8Array(secret) }
  })
  const kids = new Set(keys.map((key) => key.kid))
  if (kids.size !== keys.length) throw new Error('every key needs its own kid')
  return keys as unknown as TokenKeys // split() returns at least one entry, each parsed or thrown
}

/**
 * [A23] A keyed digest of a signing key's secret, which tells two secrets apart without revealing
 * either: what the deployment records per key id (`Store.claimDeploymentKeys`).
 */
export function keyFingerprint(key: TokenKey): string {
  return createHmac('sha256', key.secret).update('keyplan deployment key fingerprint v1').digest('base64url')
}

/** Keys of one secret: what a server with only `DATA_DIR/token-secret` (or a test) uses. */
export function singleKey(secret: Uint8Array, kid: string = LOCAL_KEY_ID): TokenKeys {
  return [{ kid: KeyIdSchema.parse(kid), secret }]
}

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
export type VerifyFailure = 'malformed' | 'bad_signature' | 'unknown_key' | 'unsupported' | 'expired'
/** Why {@link checkAccess} refused a verified token. */
export type AccessFailure = 'other_workshop' | 'revoked'

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: VerifyFailure }
export type AccessResult = { ok: true; role: Role } | { ok: false; reason: AccessFailure }

function assertSecret(secret: Uint8Array): void {
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`token secret must be at least ${MIN_SECRET_BYTES} bytes`)
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

/**
 * Signs `claims` (validated first) with the first of `keys`. Throws on invalid claims or a short
 * secret.
 */
export async function signToken(keys: TokenKeys, claims: TokenClaims): Promise<string> {
  const [key] = keys
  assertSecret(key.secret)
  const header: JWTHeaderParameters = { alg: ALGORITHM, kid: key.kid, typ: TOKEN_TYPE }
  return new SignJWT(TokenClaimsSchema.parse(claims)).setProtectedHeader(header).sign(key.secret)
}

/** Thrown by the key lookup for a `kid` none of our keys has. */
class UnknownKeyId extends Error {}

/**
 * Checks that `token` was signed with one of `keys` (the one its `kid` names), is well formed and
 * has not expired at `nowMs` (milliseconds, as `Date.now()`). jose checks the signature (in
 * constant time) before it parses the payload, so of what an outsider made only the protected
 * header reaches JSON.parse, and nothing reaches zod.
 */
export async function verifyToken(keys: TokenKeys, token: string, nowMs: number): Promise<VerifyResult> {
  for (const key of keys) assertSecret(key.secret)
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return { ok: false, reason: 'malformed' }
  // base64url leaves unused bits in the last character of a 32-byte signature; decoders ignore
  // them, so refuse the spellings that differ only there (one token, one string).
  const signature = token.slice(token.lastIndexOf('.') + 1)
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) return { ok: false, reason: 'bad_signature' }

  let payload: unknown
  try {
    const verified = await jwtVerify(
      token,
      (header) => {
        const key = keys.find((candidate) => candidate.kid === header.kid)
        if (!key) throw new UnknownKeyId()
        return key.secret
      },
      { algorithms: [ALGORITHM], typ: TOKEN_TYPE, currentDate: new Date(nowMs) },
    )
    payload = verified.payload
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' }
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return { ok: false, reason: 'malformed' }
    // [A9] A key id none of our keys has: most likely a link signed with a key retired in a rotation
    // (a forged token may name any key id: it learns nothing but that this one is not ours).
    if (error instanceof UnknownKeyId) return { ok: false, reason: 'unknown_key' }
    // Another key, another algorithm (`none`), another typ: not a token of ours.
    if (error instanceof errors.JOSEError) return { ok: false, reason: 'bad_signature' }
    throw error
  }
  const parsed = TokenClaimsSchema.safeParse(payload)
  if (!parsed.success) return { ok: false, reason: 'unsupported' }
  // jose checked `exp` only if it is there; the schema requires it. Same rule: expired from exp on.
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
