/**
 * REST guards (`docs/security.md` [A1]–[A5], [A8], [A10]): the organisation key for creating and
 * listing workshops, a workshop token (of that workshop, current generation, unexpired) for
 * everything under a workshop, and role checks for facilitator-only endpoints. Failures throw
 * {@link HttpError}s (401, 403, 404, 429); failed credential checks count towards the per-address
 * rate limit.
 *
 * @example
 * ```ts
 * const guard = authGuards({ orgKey, tokenKeys, access: store, failures })
 * app.post('/api/workshops', guard.orgKey, createHandler)
 * app.put('/api/workshops/:id/settings', guard.workshop(), guard.role(canChangeBoardSettings), putSettings)
 * // in a handler: const { role, access } = c.get('workshopAuth')
 * ```
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { TOKEN_REFUSED } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { HttpError } from '../api/errors.ts'
import { bearerCredential, tokenFromAuthorization } from './extractToken.ts'
import { clientAddress } from './clientAddress.ts'
import { addressKey, type RateLimiter } from './rateLimit.ts'
import { orgKeyMatches } from './secrets.ts'
import { checkWorkshopToken, type TokenFailure } from './checkWorkshopToken.ts'
import type { TokenKeys } from './tokens.ts'
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
  tokenKeys: TokenKeys
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

/** The HTTP error of each refused token. */
function tokenError(failure: TokenFailure): HttpError {
  switch (failure) {
    case 'too_many_attempts':
      return new HttpError(429, 'too_many_attempts', 'too many failed attempts; try again later')
    case 'unknown_workshop':
      return new HttpError(404, 'not_found', 'no workshop with this id')
    case 'missing':
      return unauthorized('a workshop token is required')
    case 'malformed':
      return unauthorized(TOKEN_REFUSED.malformed)
    case 'expired':
      return unauthorized(TOKEN_REFUSED.expired)
    case 'bad_signature':
    case 'unsupported':
      return unauthorized(TOKEN_REFUSED.invalid)
    case 'unknown_key':
      return unauthorized(TOKEN_REFUSED.retiredKey)
    case 'other_workshop':
      return unauthorized('token is for another workshop')
    case 'revoked':
      return unauthorized(TOKEN_REFUSED.revoked)
  }
}

/** Builds the guards over one set of secrets, store and rate limiter. */
export function authGuards(deps: AuthGuardDeps): AuthGuards {
  const orgKey = createMiddleware(async (c, next) => {
    const key = addressKey(requestAddress(c, deps.trustProxyHops ?? 0))
    if (await deps.failures.isLimited(key)) throw tokenError('too_many_attempts')
    const credential = bearerCredential(c.req.header('authorization'))
    if (!credential.ok || !orgKeyMatches(deps.orgKey, credential.value)) {
      await deps.failures.hit(key)
      throw unauthorized('the organisation key is missing or wrong')
    }
    await next()
  })

  const workshop = (options: { acceptOrgKey?: boolean } = {}) =>
    createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
      const workshopId = c.req.param('id') ?? ''
      const header = c.req.header('authorization')
      const address = requestAddress(c, deps.trustProxyHops ?? 0)
      // The organisation key first: one set in KEYPLAN_ORG_KEY may look like a token.
      const credential = bearerCredential(header)
      if (options.acceptOrgKey && credential.ok && orgKeyMatches(deps.orgKey, credential.value)) {
        if (await deps.failures.isLimited(addressKey(address))) throw tokenError('too_many_attempts')
        const access = await deps.access.getAccess(workshopId)
        if (!access) throw tokenError('unknown_workshop')
        c.set('workshopAuth', { workshopId, role: 'facilitator', access, tokenId: undefined })
        await next()
        return
      }
      const checked = await checkWorkshopToken(deps, { workshopId, token: tokenFromAuthorization(header), address })
      if (!checked.ok) {
        // The organisation key on a route it does not open ([A8]): said so, not "malformed token"
        // (QA q35b: a valid key read as a broken token).
        if (checked.failure === 'malformed' && credential.ok && orgKeyMatches(deps.orgKey, credential.value)) {
          throw unauthorized('this route takes a workshop token, not the organisation key: get the facilitator link with GET /api/workshops/:id/links')
        }
        throw tokenError(checked.failure)
      }
      c.set('workshopAuth', { workshopId, role: checked.role, access: checked.access, tokenId: checked.tokenId })
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
