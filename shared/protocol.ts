/**
 * The sync wire contract between the Keyplan server and `y-websocket` 3.x providers, declared once.
 *
 * A frame carries exactly one message: `varUint(messageType)` followed by its payload, encoded with
 * `lib0/encoding` (the 3.x provider decodes only one message per frame).
 *
 * @example
 * ```ts
 * import { WebsocketProvider } from 'y-websocket'
 * import { SYNC_PATH, syncRoomName } from '../shared/protocol.ts'
 * new WebsocketProvider(`ws://${location.host}${SYNC_PATH}`, syncRoomName(workshopId, 'swot'), doc)
 * ```
 */
import type { BoardId } from './boards.ts'

/** Top-level message types (the first varUint of every frame). */
export const MESSAGE_TYPE = {
  /** A Yjs sync message; the next varUint is a {@link SYNC_MESSAGE_TYPE}. */
  sync: 0,
  /** `varUint8Array(encodeAwarenessUpdate(...))` from `y-protocols/awareness`. */
  awareness: 1,
  /** Server to client only: `varUint 0` (permission denied) then a reason string. */
  auth: 2,
  /** No payload; the receiver answers with the full awareness state. */
  queryAwareness: 3,
} as const
export type MessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE]

/** Sub-types of a {@link MESSAGE_TYPE.sync} message (`y-protocols/sync`). */
export const SYNC_MESSAGE_TYPE = {
  /** `varUint8Array(stateVector)`: "send me what I am missing". */
  step1: 0,
  /** `varUint8Array(update)`: the answer to a step 1. */
  step2: 1,
  /** `varUint8Array(update)`: an incremental change. */
  update: 2,
} as const
export type SyncMessageType = (typeof SYNC_MESSAGE_TYPE)[keyof typeof SYNC_MESSAGE_TYPE]

/**
 * Path of the sync endpoint. A provider appends `/<workshopId>/<board>` (its room name), so a
 * connection URL is `/sync/<workshopId>/<board>?<params>`.
 */
export const SYNC_PATH = '/sync'

/**
 * [A44] The awareness field the server sets on every state a guest's connection publishes
 * (overwriting what the guest says of itself), so that whoever reads the state knows a guest wrote
 * it: snapshots and the history on any instance, and pages, which show the name as a guest's.
 */
export const GUEST_STAMP_FIELD = 'keyplanGuest'

/**
 * [A44] `name` as others read it: followed by " (guest)" when `state`, the awareness state it came
 * in, is stamped as a guest's (a guest's name is whatever they typed).
 * @example guestMarkedName('Fiona', { keyplanGuest: true }) // 'Fiona (guest)'
 */
export function guestMarkedName(name: string, state: { readonly [field: string]: unknown } | undefined): string {
  return state?.[GUEST_STAMP_FIELD] === true ? `${name} (guest)` : name
}

/**
 * [S45] How often the server beats: each time, every open sync and control socket it sent nothing
 * since the previous beat gets one (on a sync socket an awareness update of no one, `[1, 1, 0]`,
 * which every y-websocket client applies as a no-op; on a control socket `{"type":"beat"}`). An open
 * socket so hears from a server that answers at least every two beats, however quiet its room.
 */
export const SERVER_BEAT_MS = 1_000

/**
 * [S45] A page whose open socket heard nothing for this long takes the server for out of reach (a
 * hung server, a stuck proxy, an uplink gone without a TCP close): it drops the socket and
 * reconnects, and says Offline meanwhile. Twice the longest gap between beats: a server busy for
 * about two seconds is not taken for gone.
 */
export const SILENT_SERVER_MS = 4_000

/** The provider's room name for one board of one workshop (`<workshopId>/<board>`). */
export function syncRoomName(workshopId: string, board: BoardId): string {
  return `${workshopId}/${board}`
}

/** The workshop of a room (document) name: `<workshopId>/<board>`, or its internal document's `…/internal`. */
export function workshopOfRoom(roomName: string): string {
  const slash = roomName.indexOf('/')
  return slash < 0 ? roomName : roomName.slice(0, slash)
}

/**
 * Why a workshop token (an invite link's) was refused: the message of the REST 401 and the reason
 * of the websockets' 4401 close alike, so a page can say which (`client/access/AccessNotice.tsx`).
 */
export const TOKEN_REFUSED = {
  malformed: 'malformed token',
  /** A bad signature, or a token of a kind this server does not take. */
  invalid: 'invalid token',
  /** Signed with a key this server does not hold: retired in a rotation ([A9]). */
  retiredKey: 'token key retired',
  expired: 'token expired',
  revoked: 'link revoked',
} as const

/**
 * The 4422 reason of an update refused because its board would go over its size cap
 * (docs/server-rules.md [S28]); pages recognise it by {@link BOARD_FULL_PREFIX}.
 * @example boardFullReason({ records: 10_000 }) // 'board full: at most 10000 items'
 */
export function boardFullReason(cap: { records: number } | { bytes: number }): string {
  if ('records' in cap) return `${BOARD_FULL_PREFIX} at most ${cap.records} items`
  const size = cap.bytes >= 1024 * 1024 ? `${Math.round(cap.bytes / 1024 / 1024)} MB` : `${Math.round(cap.bytes / 1024)} KB`
  return `${BOARD_FULL_PREFIX} at most ${size} of content`
}

/** How every {@link boardFullReason} begins. */
export const BOARD_FULL_PREFIX = 'board full:'

/**
 * Every code the server closes a sync websocket with. The `y-websocket` provider stops
 * reconnecting on 4400–4499 (permanent, like HTTP 4xx) and reconnects on everything else.
 * Close reasons are short (`ws` rejects reasons over 123 bytes).
 */
export const CLOSE_CODES = {
  /** The server is shutting down (SIGTERM/SIGINT); the provider reconnects later. */
  goingAway: 1001,
  /** A text frame: the protocol is binary only. */
  unsupportedData: 1003,
  /**
   * A malformed binary frame: unknown message type, truncated or garbled varint, trailing bytes,
   * or an update Yjs cannot decode. Nothing of the frame was applied.
   */
  invalidPayload: 1007,
  /**
   * A frame over `MAX_FRAME_BYTES` (closed by `ws` itself through `maxPayload`), more than
   * `MAX_BUFFERED_BYTES` sent before the board finished loading, or an awareness update over
   * `MAX_AWARENESS_BYTES` (`docs/security.md` [A14]; it is not relayed).
   */
  messageTooBig: 1009,
  /**
   * The server could not store an update or load the board (disk full, I/O error); the provider
   * reconnects and resends what the server lacks (nothing it sent was taken, docs/server-rules.md [S3]).
   */
  internalError: 1011,
  /**
   * The room was reset after an unexpected error and reloads from storage; the provider
   * reconnects and syncs again.
   */
  tryAgainLater: 1013,
  /** The sync path is not `/sync/<workshopId>/<board>`, or the board does not exist. */
  badRoom: 4400,
  /**
   * No token, a malformed, forged, expired or revoked one, a token of another workshop, or too many
   * failed attempts from this address; also sent to open connections whose link was revoked
   * (`docs/security.md` [A1]–[A4], [A10]).
   */
  unauthorized: 4401,
  /**
   * The token is valid but its role may not see this board (a guest on an internal board); also
   * sent to connected guests when their board is switched to internal (`docs/security.md` [A6]).
   */
  forbidden: 4403,
  /** No workshop with this id. */
  unknownWorkshop: 4404,
  /**
   * The connection sent a document update the board layout or the sender's rights do not allow
   * (docs/board-layout.md): an invalid or oversized record, a field the record type does not have,
   * a change to the board's template or schema by a role that may not make it, a delete of a record
   * someone else created (guests), references to items the document does not have, or a Yjs client
   * id that belongs to another connection. Nothing of the update was applied, stored or relayed, and
   * no other connection noticed. The page discards its local copy of the board and reloads it.
   */
  updateRefused: 4422,
  /**
   * The connection sent more than its share: updates, items or bytes per second, awareness updates
   * per second, or sync step 1 requests per second over the documented limits (docs/server-rules.md).
   * Nothing of the refused frame was applied.
   */
  rateLimited: 4429,
  /**
   * The client did not read its messages fast enough and its send buffer grew past
   * `MAX_BUFFERED_BYTES`. In the 45xx range (like HTTP 5xx): transient, the provider reconnects
   * and catches up with one sync step 2.
   */
  slowConsumer: 4500,
  /**
   * The board already has `MAX_CONNECTIONS_PER_ROOM` connections, or the client's address (IPv6
   * per /64) has `MAX_CONNECTIONS_PER_ADDRESS` (`docs/security.md` [A13]); sent right after the
   * upgrade, before any document data. Transient, like HTTP 503: a slot frees when someone leaves,
   * so the provider should retry, which it does for any code outside 4400–4499, backing off
   * exponentially since the connection never synced. Not 1013 ({@link CLOSE_CODES.tryAgainLater}),
   * which already means "the room was reset": a client can tell "full" from "reset" by the code.
   */
  tooManyConnections: 4503,
} as const
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES]

/** True for close codes after which a provider should not reconnect (4400–4499). */
export function isPermanentCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500
}
