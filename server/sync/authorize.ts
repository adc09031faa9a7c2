/**
 * Decides, at connection time, whether a websocket may join a board and how ([S11]): the path
 * must name a board, then the token, the workshop and the role's view of the board are checked by
 * `authorizeSync` (docs/security.md [A1]–[A7], [A10]) before anything is sent.
 */
import { isBoardId, type BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES, SYNC_PATH, type CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { authorizeSync } from '../auth/authorizeSync.ts'
import type { RateLimiter } from '../auth/rateLimit.ts'
import type { SessionRegistry } from '../auth/SessionRegistry.ts'
import type { Store } from '../store/Store.ts'

export type Authorization =
  | {
      ok: true
      workshopId: string
      board: BoardId
      role: Role
      readOnly: boolean
      /** The token's jti, logged in place of the token. */
      tokenId: string | undefined
      /** The workshop's access epoch when it was checked; pass it to `SessionRegistry.register`. */
      epoch: number
    }
  | { ok: false; code: CloseCode; reason: string }

/** What {@link authorize} checks against. */
export type AuthorizeDeps = {
  store: Store
  sessions: Pick<SessionRegistry, 'epoch'>
  tokenSecret: Buffer
  /** Failed token checks per client address ([A10]). */
  failures: RateLimiter
}

/** Splits `/sync/<workshopId>/<board>` (query string already removed); undefined if malformed. */
export function parseSyncPath(pathname: string): { workshopId: string; board: string } | undefined {
  const prefix = `${SYNC_PATH}/`
  if (!pathname.startsWith(prefix)) return undefined
  const segments = pathname.slice(prefix.length).split('/')
  const [workshopId, board] = segments
  if (segments.length !== 2 || !workshopId || !board) return undefined
  return { workshopId, board }
}

/** What the upgrade request tells about a sync connection. */
export type SyncConnectionRequest = {
  /** From the path; not validated yet. */
  workshopId: string
  /** From the path; not validated yet. */
  board: string
  /** The upgrade request: headers and query parameters (tokens travel there: never log its URL). */
  request: Request
  /** The client's IP address, e.g. for rate limits. */
  address: string | undefined
}

/** Authorizes a sync connection: a closed 44xx answer, or the board, the role and whether read-only. */
export async function authorize(deps: AuthorizeDeps, connection: SyncConnectionRequest): Promise<Authorization> {
  const { workshopId, board } = connection
  if (!isBoardId(board)) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'unknown board' }
  // Read before the access state (see SessionRegistry): a change after this is caught at register.
  const epoch = deps.sessions.epoch(workshopId)
  const admission = await authorizeSync(
    { tokenSecret: deps.tokenSecret, access: deps.store, failures: deps.failures },
    { workshopId, board, params: new URL(connection.request.url).searchParams, address: connection.address },
  )
  if (!admission.ok) return admission
  return { ok: true, workshopId, board, role: admission.role, readOnly: admission.readOnly, tokenId: admission.tokenId, epoch }
}

/** The refusal for a path that is not `/sync/<workshopId>/<board>`. */
export const BAD_SYNC_PATH: Authorization = { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected /sync/<workshopId>/<board>' }
