/**
 * Decides, at connection time, whether a websocket may join a board and how ([S11]): the path
 * must name a board, then the token and the workshop are checked by `checkWorkshopToken` (the
 * check the REST guards use too) and the role's view of the board (docs/security.md [A1]–[A7],
 * [A10]), all before anything is sent.
 */
import { isBoardId, type BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES, SYNC_PATH, TOKEN_REFUSED, type CloseCode } from '../../shared/protocol.ts'
import { INTERNAL_ROOM_SUFFIX, type BoardPart } from '../../shared/sensitivity.ts'
import { canEditBoard, canSeeBoard, type Role } from '../../shared/roles.ts'
import { checkWorkshopToken, type TokenFailure } from '../auth/checkWorkshopToken.ts'
import { tokenFromQuery } from '../auth/extractToken.ts'
import type { RateLimiter } from '../auth/rateLimit.ts'
import type { SessionRegistry } from '../auth/SessionRegistry.ts'
import type { TokenKeys } from '../auth/tokens.ts'
import type { AccessStore } from '../auth/WorkshopAccess.ts'

export type Authorization =
  | {
      ok: true
      workshopId: string
      board: BoardId
      /** Which of the board's two documents (issue 13): `shared` or `internal` (never a guest's). */
      part: BoardPart
      role: Role
      readOnly: boolean
      /** The token's jti, logged in place of the token. */
      tokenId: string | undefined
      /** When the token expires (ms since the epoch); the connection is closed then ([A3]). */
      expiresAtMs: number
      /** The workshop's access epoch when it was checked; pass it to `SessionRegistry.register`. */
      epoch: number
      /** [A4] The role's generation the token was checked against (see `SessionRegistry`'s `Session`). */
      generation: number
      /** The workshop was archived when this was checked ([A21]); absent means it was not. */
      archived?: boolean
    }
  | { ok: false; code: CloseCode; reason: string }

/** What {@link authorize} checks against. */
export type AuthorizeDeps = {
  access: AccessStore
  sessions: Pick<SessionRegistry, 'epoch'>
  tokenKeys: TokenKeys
  /** Failed token checks per client address ([A10]). */
  failures: RateLimiter
}

/**
 * Splits `/sync/<workshopId>/<board>` or `/sync/<workshopId>/<board>/internal` (the board's internal
 * document, issue 13) (query string already removed); undefined if malformed.
 */
export function parseSyncPath(pathname: string): { workshopId: string; board: string; part: BoardPart } | undefined {
  const prefix = `${SYNC_PATH}/`
  if (!pathname.startsWith(prefix)) return undefined
  const segments = pathname.slice(prefix.length).split('/')
  const [workshopId, board, suffix] = segments
  if (!workshopId || !board) return undefined
  if (segments.length === 2) return { workshopId, board, part: 'shared' }
  if (segments.length === 3 && suffix === INTERNAL_ROOM_SUFFIX) return { workshopId, board, part: 'internal' }
  return undefined
}

/** What the upgrade request tells about a sync connection. */
export type SyncConnectionRequest = {
  /** From the path; not validated yet. */
  workshopId: string
  /** From the path; not validated yet. */
  board: string
  /** From the path: the shared document (the default) or the internal one. */
  part?: BoardPart
  /** The upgrade request's query parameters (tokens travel there: never log them). */
  params: URLSearchParams
  /** The client's IP address, e.g. for rate limits. */
  address: string | undefined
}

/** The close reason of each refused token (all close with 4401, but a 4404 for a deleted workshop). */
export const TOKEN_REFUSAL_REASONS: Record<Exclude<TokenFailure, 'unknown_workshop'>, string> = {
  too_many_attempts: 'too many failed attempts, try later',
  missing: 'missing token',
  malformed: TOKEN_REFUSED.malformed,
  bad_signature: TOKEN_REFUSED.invalid,
  unknown_key: TOKEN_REFUSED.retiredKey,
  unsupported: TOKEN_REFUSED.invalid,
  expired: TOKEN_REFUSED.expired,
  other_workshop: 'token is for another workshop',
  revoked: TOKEN_REFUSED.revoked,
}

/** Authorizes a sync connection: a closed 44xx answer, or the board, the role and whether read-only. */
export async function authorize(deps: AuthorizeDeps, connection: SyncConnectionRequest): Promise<Authorization> {
  const { workshopId, board } = connection
  if (!isBoardId(board)) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'unknown board' }
  // Read before the access state (see SessionRegistry): a change after this is caught at register.
  const epoch = deps.sessions.epoch(workshopId)
  const token = tokenFromQuery(connection.params)
  const checked = await checkWorkshopToken(deps, { workshopId, token, address: connection.address })
  if (!checked.ok) {
    if (checked.failure === 'unknown_workshop') return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'unknown workshop' }
    return { ok: false, code: CLOSE_CODES.unauthorized, reason: TOKEN_REFUSAL_REASONS[checked.failure] }
  }
  // [A6] not a failed token check: a guest following an old link to a board made internal.
  if (!canSeeBoard(checked.role, board, checked.access.customerFacing)) {
    return { ok: false, code: CLOSE_CODES.forbidden, reason: 'board not visible for this role' }
  }
  // [A30] a board's internal document is never a guest's, customer-facing board or not.
  if (connection.part === 'internal' && checked.role === 'guest') {
    return { ok: false, code: CLOSE_CODES.forbidden, reason: 'internal part not visible for this role' }
  }
  return {
    ok: true,
    workshopId,
    board,
    part: connection.part ?? 'shared',
    role: checked.role,
    // [A7] viewers, and guests on boards they may see but not edit, are read-only.
    readOnly: !canEditBoard(checked.role, board, checked.access.customerFacing),
    tokenId: checked.tokenId,
    expiresAtMs: checked.expiresAtMs,
    epoch,
    generation: checked.generation,
  }
}

/** The refusal for a path that is not `/sync/<workshopId>/<board>`. */
export const BAD_SYNC_PATH: Authorization = { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected /sync/<workshopId>/<board>[/internal]' }
