/**
 * Where a request carries its credential (`docs/security.md` [A1], [A8]): REST calls send
 * `Authorization: Bearer <token or organisation key>`; the websocket sends the `token` query
 * parameter (the `y-websocket` provider's `params`). Only the shape is checked here; the
 * signature is {@link verifyToken}'s job.
 *
 * @example
 * ```ts
 * const found = tokenFromQuery(new URL(c.req.url).searchParams)
 * if (!found.ok) return close(CLOSE_CODES.unauthorized, found.reason)
 * ```
 */
import { z } from 'zod'
import { MAX_TOKEN_LENGTH } from './tokens.ts'

/** A token's shape: a compact JWS, three non-empty base64url parts joined by dots, bounded length. */
export const TokenStringSchema = z
  .string()
  .max(MAX_TOKEN_LENGTH)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)

/** Longest `Authorization` credential read at all (tokens and organisation keys are shorter). */
const MAX_CREDENTIAL_LENGTH = 1024

export type Extracted = { ok: true; value: string } | { ok: false; reason: 'missing' | 'malformed' }

/**
 * The credential of an `Authorization: Bearer <credential>` header (scheme case-insensitive),
 * without checking what kind of credential it is. For the organisation key.
 */
export function bearerCredential(authorization: string | undefined): Extracted {
  if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' }
  if (authorization.length > MAX_CREDENTIAL_LENGTH) return { ok: false, reason: 'malformed' }
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization)
  if (match?.[1] === undefined) return { ok: false, reason: 'malformed' }
  return { ok: true, value: match[1] }
}

/** A token from an `Authorization: Bearer <token>` header. */
export function tokenFromAuthorization(authorization: string | undefined): Extracted {
  const credential = bearerCredential(authorization)
  if (!credential.ok) return credential
  return TokenStringSchema.safeParse(credential.value).success ? credential : { ok: false, reason: 'malformed' }
}

/**
 * A token from the `token` query parameter. More than one `token` parameter is `malformed`:
 * a proxy and the server might otherwise read different ones.
 */
export function tokenFromQuery(params: URLSearchParams): Extracted {
  const values = params.getAll('token')
  if (values.length === 0 || values[0] === '') return { ok: false, reason: 'missing' }
  if (values.length > 1) return { ok: false, reason: 'malformed' }
  const parsed = TokenStringSchema.safeParse(values[0])
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'malformed' }
}
