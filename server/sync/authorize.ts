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

/**
 * Authorizes a sync connection for `pathname`. `request` carries headers and query parameters
 * (tokens, later); never log its URL.
 */
export async function authorize(store: Store, pathname: string, _request: Request): Promise<Authorization> {
  const parsed = parseSyncPath(pathname)
  if (!parsed) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected /sync/<workshopId>/<board>' }
  if (!isBoardId(parsed.board)) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'unknown board' }
  const workshop = await store.getWorkshop(parsed.workshopId)
  if (!workshop) return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'unknown workshop' }
  return { ok: true, workshopId: workshop.id, board: parsed.board, readOnly: false }
}
