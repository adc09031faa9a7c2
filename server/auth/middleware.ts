/**
 * REST guards (`docs/security.md` [A1]–[A5], [A8], [A10]): the organisation key for creating and
 * listing workshops, a workshop token (of that workshop, current generation, unexpired) for
 * everything under a workshop, and role checks for facilitator-only endpoints. Failures throw
 * {@link HttpError}s (401, 403, 404, 429); failed credential checks count towards the per-address
 * rate limit.
 *
 * @example
 * ```ts
 * const guard = authGuards({ orgKey, tokenSecret, access: store, failures })
 * app.post('/api/workshops', guard.orgKey, createHandler)
 * app.put('/api/workshops/:id/settings', guard.workshop(), guard.role(canChangeBoardSettings), putSettings)
 * // in a handler: const { role, access } = c.get('workshopAuth')
 * ```
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Role } from '../../shared/roles.ts'
import { HttpError } from '../api/errors.ts'
import { bearerCredential, tokenFromAuthorization } from './extractToken.ts'
import { clientAddress } from './clientAddress.ts'
import { addressKey, type RateLimiter } from './rateLimit.ts'
import { orgKeyMatches } from './secrets.ts'
import { checkAccess, verifyToken } from './tokens.ts'
import type { AccessStore, WorkshopAccess } from './WorkshopAccess.ts'

/** What a request under a workshop was admitted as. */
export type WorkshopAuth = {
  workshopId: string
  role: Role
  access: WorkshopAccess
  /** The token's jti (undefined when the organisation key was used); log this, never the token. */
  tokenId: string | undefined
}

/** Hono variables set by {@link AuthGuards.workshop}. */
export type AuthVariables = { workshopAuth: WorkshopAuth }

export type AuthGuardDeps = {
  orgKey: string
  tokenSecret: Buffer
  access: AccessStore
  failures: RateLimiter
  /** Trusted reverse proxies in front ([A16]); 0 when the socket's peer is the client. */
  trustProxyHops?: number
  now?: () => number
}

export type AuthGuards = {
  /** Requires `Authorization: Bearer <organisation key>`. */
  orgKey: MiddlewareHandler
  /**
   * Requires a token of the workshop named by the `:id` param. With `acceptOrgKey`, the
   * organisation key is accepted too and acts as the facilitator (the lobby, which holds the key,
   * creates workshops and gets their facilitator links anyway).
   */
  workshop(options?: { acceptOrgKey?: boolean }): MiddlewareHandler<{ Variables: AuthVariables }>
  /** Requires that the admitted role passes `allowed` (use after `workshop()`); 403 otherwise. */
  role(allowed: (role: Role) => boolean): MiddlewareHandler<{ Variables: AuthVariables }>
}

/**
 * The client address of a request served by `@hono/node-server` (undefined under `app.request`),
 * behind `trustProxyHops` trusted reverse proxies ([A16]).
 */
export function requestAddress(c: Context, trustProxyHops: number): string | undefined {
  // @hono/node-server puts the Node request in the bindings; absent in `app.request()` tests.
  const env: unknown = c.env
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming // shape of node-server's HttpBindings
  return clientAddress(incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), trustProxyHops)
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message)

/** Builds the guards over one set of secrets, store and rate limiter. */
export function authGuards(deps: AuthGuardDeps): AuthGuards {
  const now = () => deps.now?.() ?? Date.now()

  /** Throws 429 if the address is limited; returns a function that records a failure and builds the 401. */
  const limitFor = (c: Context) => {
    const key = addressKey(requestAddress(c, deps.trustProxyHops ?? 0))
    if (deps.failures.isLimited(key, now())) {
      throw new HttpError(429, 'too_many_attempts', 'too many failed attempts; try again later')
    }
    return (message: string): HttpError => {
      deps.failures.hit(key, now())
      return unauthorized(message)
    }
  }

  const orgKey = createMiddleware(async (c, next) => {
    const fail = limitFor(c)
    const credential = bearerCredential(c.req.header('authorization'))
    if (!credential.ok || !orgKeyMatches(deps.orgKey, credential.value)) throw fail('the organisation key is missing or wrong')
    await next()
  })

  const workshop = (options: { acceptOrgKey?: boolean } = {}) =>
    createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
      const fail = limitFor(c)
      const workshopId = c.req.param('id') ?? ''
      const header = c.req.header('authorization')
      // The organisation key first: one set in KEYPLAN_ORG_KEY may look like a token.
      const credential = bearerCredential(header)
      if (options.acceptOrgKey && credential.ok && orgKeyMatches(deps.orgKey, credential.value)) {
        const access = await deps.access.getAccess(workshopId)
        if (!access) throw new HttpError(404, 'not_found', 'no workshop with this id')
        c.set('workshopAuth', { workshopId, role: 'facilitator', access, tokenId: undefined })
        await next()
        return
      }
      const token = tokenFromAuthorization(header)
      if (!token.ok) throw fail(token.reason === 'missing' ? 'a workshop token is required' : 'malformed token')
      const verified = verifyToken(deps.tokenSecret, token.value, now())
      if (!verified.ok) throw fail(verified.reason === 'expired' ? 'token expired' : 'invalid token')
      // [A2] checked before the lookup: a token of another workshop learns nothing about this one.
      if (verified.claims.workshopId !== workshopId) throw fail('token is for another workshop')
      const access = await deps.access.getAccess(workshopId)
      if (!access) throw new HttpError(404, 'not_found', 'no workshop with this id')
      const granted = checkAccess(verified.claims, workshopId, access.generations)
      if (!granted.ok) throw fail('link revoked')
      c.set('workshopAuth', { workshopId, role: granted.role, access, tokenId: verified.claims.jti })
      await next()
    })

  const role = (allowed: (role: Role) => boolean) =>
    createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
      if (!allowed(c.get('workshopAuth').role)) {
        throw new HttpError(403, 'forbidden', 'your role may not do this')
      }
      await next()
    })

  return { orgKey, workshop, role }
}
