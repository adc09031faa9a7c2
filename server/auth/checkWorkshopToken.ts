/**
 * The one check of a workshop token, used by the REST guards (`middleware.ts`) and by sync
 * connections (`sync/authorize.ts`): `docs/security.md` [A1]–[A4], [A10]. Each caller only turns
 * the outcome into its own answer (an HTTP status, a close code).
 *
 * Order matters: the address's failure budget first ([A10]: over it, nothing is checked), then
 * the token, which must name the workshop asked for before the workshop is looked up ([A2]: an
 * outsider cannot even learn whether a workshop id exists), then the role's generation ([A4]).
 *
 * @example
 * ```ts
 * const checked = await checkWorkshopToken(deps, { workshopId, token: tokenFromQuery(params), address })
 * if (!checked.ok) return close(CLOSE_CODES.unauthorized, checked.failure)
 * ```
 */
import type { Role } from '../../shared/roles.ts'
import type { Extracted } from './extractToken.ts'
import { addressKey, type RateLimiter } from './rateLimit.ts'
import { checkAccess, verifyToken, type AccessFailure, type TokenKeys, type VerifyFailure } from './tokens.ts'
import type { AccessStore, WorkshopAccess } from './WorkshopAccess.ts'

/** What the check reads. */
export type TokenCheckDeps = {
  tokenKeys: TokenKeys
  access: AccessStore
  /** Failed token checks per client address ([A10]). */
  failures: RateLimiter
  now?: () => number
}

/** One token presented for one workshop. */
export type TokenCheckRequest = {
  workshopId: string
  /** The token as the caller extracted it (query parameter or `Authorization` header). */
  token: Extracted
  /** The client's address, for the failure budget. */
  address: string | undefined
}

/** Why a token was refused. All but the first two count against the address's budget. */
export type TokenFailure = 'too_many_attempts' | 'unknown_workshop' | 'missing' | VerifyFailure | AccessFailure

export type TokenCheck =
  | {
      ok: true
      role: Role
      access: WorkshopAccess
      /** The token's jti: log this, never the token. */
      tokenId: string | undefined
      /** When the token expires (ms since the epoch); an open connection is closed then ([A3]). */
      expiresAtMs: number
      /**
       * [A4] The role's generation the token was checked against: an open connection is closed once
       * the stored one is higher (its links were revoked), even when the event saying so was lost ([A24]).
       */
      generation: number
    }
  | { ok: false; failure: TokenFailure }

/** Checks `request.token` for `request.workshopId`; see the module comment for the order. */
export async function checkWorkshopToken(deps: TokenCheckDeps, request: TokenCheckRequest): Promise<TokenCheck> {
  const key = addressKey(request.address)
  const nowMs = deps.now?.() ?? Date.now()
  if (await deps.failures.isLimited(key)) return { ok: false, failure: 'too_many_attempts' }
  const refuse = async (failure: TokenFailure): Promise<TokenCheck> => {
    await deps.failures.hit(key)
    return { ok: false, failure }
  }

  if (!request.token.ok) return refuse(request.token.reason)
  const verified = await verifyToken(deps.tokenKeys, request.token.value, nowMs)
  if (!verified.ok) return refuse(verified.reason)
  // [A2] before any lookup: another workshop's token learns nothing about this one.
  if (verified.claims.workshopId !== request.workshopId) return refuse('other_workshop')

  const access = await deps.access.getAccess(request.workshopId)
  // A valid token of a deleted workshop: not a guess, so not counted.
  if (!access) return { ok: false, failure: 'unknown_workshop' }
  const granted = checkAccess(verified.claims, request.workshopId, access.generations)
  if (!granted.ok) return refuse(granted.reason)
  return { ok: true, role: granted.role, access, tokenId: verified.claims.jti, expiresAtMs: verified.claims.exp * 1000, generation: access.generations[granted.role] }
}
