/**
 * The token and role checks of a sync connection (`docs/security.md` [A1]–[A7], [A10]), run in
 * the server's authorize step before the socket joins a room, so that a refused connection never
 * receives document data or awareness.
 *
 * Order matters: the token is checked (and must name the workshop of the path) before the
 * workshop is looked up, so an outsider cannot even learn whether a workshop id exists.
 *
 * @example
 * ```ts
 * const epoch = sessions.epoch(workshopId)
 * const result = await authorizeSync(deps, { workshopId, board, params: new URL(req.url).searchParams, address })
 * if (!result.ok) return close(result.code, result.reason)
 * ```
 */
import type { BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES, type CloseCode } from '../../shared/protocol.ts'
import { canEditBoard, canSeeBoard, type Role } from '../../shared/roles.ts'
import { tokenFromQuery } from './extractToken.ts'
import { addressKey, type RateLimiter } from './rateLimit.ts'
import { checkAccess, verifyToken } from './tokens.ts'
import type { AccessStore } from './WorkshopAccess.ts'

export type AuthorizeSyncDeps = {
  tokenSecret: Buffer
  access: AccessStore
  /** Failed token checks per client address. */
  failures: RateLimiter
  now?: () => number
}

export type SyncRequest = {
  workshopId: string
  board: BoardId
  /** The upgrade request's query parameters (`token`). */
  params: URLSearchParams
  /** The client's address, for the rate limit. */
  address: string | undefined
}

export type SyncAdmission =
  | { ok: true; role: Role; readOnly: boolean; /** The token's jti, to log instead of the token. */ tokenId: string | undefined }
  | { ok: false; code: CloseCode; reason: string }

const REASONS = {
  missing: 'missing token',
  malformed: 'malformed token',
  bad_signature: 'invalid token',
  unsupported: 'invalid token',
  expired: 'token expired',
  other_workshop: 'token is for another workshop',
  revoked: 'link revoked',
} as const

/** Decides whether a sync connection may join `board` of `workshopId`, and whether read-only. */
export async function authorizeSync(deps: AuthorizeSyncDeps, request: SyncRequest): Promise<SyncAdmission> {
  const key = addressKey(request.address)
  const nowMs = deps.now?.() ?? Date.now()
  // [A10] over the limit, tokens are not even checked until the window ends.
  if (deps.failures.isLimited(key, nowMs)) {
    return { ok: false, code: CLOSE_CODES.unauthorized, reason: 'too many failed attempts, try later' }
  }
  const refuse = (reason: keyof typeof REASONS): SyncAdmission => {
    deps.failures.hit(key, nowMs)
    return { ok: false, code: CLOSE_CODES.unauthorized, reason: REASONS[reason] }
  }

  const found = tokenFromQuery(request.params)
  if (!found.ok) return refuse(found.reason)
  const verified = verifyToken(deps.tokenSecret, found.value, nowMs)
  if (!verified.ok) return refuse(verified.reason)
  // [A2] before any lookup: another workshop's token learns nothing about this one.
  if (verified.claims.workshopId !== request.workshopId) return refuse('other_workshop')

  const access = await deps.access.getAccess(request.workshopId)
  if (!access) return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'unknown workshop' }
  const granted = checkAccess(verified.claims, request.workshopId, access.generations)
  if (!granted.ok) return refuse(granted.reason)

  // [A6] not a failed token check: a guest following an old link to a board made internal.
  if (!canSeeBoard(granted.role, request.board, access.customerFacing)) {
    return { ok: false, code: CLOSE_CODES.forbidden, reason: 'board not visible for this role' }
  }
  return {
    ok: true,
    role: granted.role,
    // [A7] viewers, and guests on boards they may see but not edit, are read-only.
    readOnly: !canEditBoard(granted.role, request.board, access.customerFacing),
    tokenId: verified.claims.jti,
  }
}
