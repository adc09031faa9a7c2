/**
 * Decides, at connection time, whether a websocket may join a board and how ([S11]). Today it
 * only checks that the path names an existing workshop and board; workshop tokens and board
 * visibility (issue 5) are checked here too.
 */
import { isBoardId, type BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES, SYNC_PATH, type CloseCode } from '../../shared/protocol.ts'
import type { Store } from '../store/Store.ts'

export type Authorization =
  | { ok: true; workshopId: string; board: BoardId; readOnly: boolean }
  | { ok: false; code: CloseCode; reason: string }

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

/** Authorizes a sync connection: a closed 44xx answer, or the board and whether read-only. */
export async function authorize(store: Store, connection: SyncConnectionRequest): Promise<Authorization> {
  const { workshopId, board } = connection
  if (!isBoardId(board)) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'unknown board' }
  const workshop = await store.getWorkshop(workshopId)
  if (!workshop) return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'unknown workshop' }
  return { ok: true, workshopId: workshop.id, board, readOnly: false }
}

/** The refusal for a path that is not `/sync/<workshopId>/<board>`. */
export const BAD_SYNC_PATH: Authorization = { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected /sync/<workshopId>/<board>' }
