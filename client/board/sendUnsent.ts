/**
 * [S44] Sends this browser's edits that the server has not received, for boards no page shows
 * (QA: an action added offline on the action plan, then the SWOT tab clicked, reached the server
 * only once the person opened the action plan again in that browser, maybe never):
 * - a board the page leaves with unsent edits keeps its document, IndexedDB copy and provider open
 *   in the background until the provider synced, then closes them ({@link sendBeforeClosing});
 * - a workshop page that opens, or comes back online, opens each other room of the workshop marked
 *   unsent (a tab closed with offline edits: unsentEdits.ts) from its IndexedDB copy, with no store
 *   and no presence, until it synced ({@link sendUnsentRooms}).
 * Both follow the server's close codes as the page does (followServerCloses.ts): a refused change
 * (4422) drops the copy and its mark instead of sending it again; a refusal for good (4400–4499)
 * is not tried again in this page; a rate limit pauses.
 */
import type { BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { internalRoomName } from '../../shared/sensitivity.ts'
import { followServerCloses } from './followServerCloses.ts'
import { openBoardPart, type BoardPart } from './openBoardPart.ts'
import { noteWithdrawnUnsent } from './replayAfterRefusal.ts'
import { boardOfRoom, clearUnsent, unsentMark, unsentRooms, type UnsentTracker } from './unsentEdits.ts'

/** Rooms this page sends in the background. */
const sending = new Set<string>()
/** Rooms a board of this page has open (how many times): their page sends them. */
const openHere = new Map<string, number>()
/** Rooms the server refused for good in this page: not tried again until the page reloads. */
const refusedHere = new Set<string>()

/** Notes that a board of this page has `roomName` open (its own provider sends it); returns the function that releases it. */
export function holdOpen(roomName: string): () => void {
  openHere.set(roomName, (openHere.get(roomName) ?? 0) + 1)
  let released = false
  return () => {
    if (released) return
    released = true
    const count = (openHere.get(roomName) ?? 1) - 1
    if (count > 0) openHere.set(roomName, count)
    else openHere.delete(roomName)
  }
}

/**
 * Keeps `part` open until its provider synced with the server, then calls `sent` and closes it;
 * closes it without `sent` when the server refuses it.
 */
function sendThenClose(part: BoardPart, { sent, closed }: { sent: () => void; closed: () => void }): void {
  const { roomName, provider } = part
  sending.add(roomName)
  let done = false
  const onOnline = () => provider.connect()
  const onOffline = () => provider.disconnect()
  const onSync = (synced: boolean) => {
    if (!synced) return
    sent()
    finish()
  }
  const stopFollowingCloses = followServerCloses(part, {
    refused: (event) => {
      // The copy held a change the server does not take ([S26]): it is dropped, as the page drops its own.
      console.warn(`[keyplan] the server refused unsent edits of ${roomName}; this browser's copy was dropped:`, event.reason)
      clearUnsent(roomName, null)
      finish()
    },
    stopped: (event) => {
      refusedHere.add(roomName)
      // [A6] the copy is gone (followServerCloses), and with it what was unsent: the page lists it.
      if (event.code === CLOSE_CODES.forbidden) {
        noteWithdrawnUnsent(roomName)
        clearUnsent(roomName, null)
      }
      finish()
    },
    mayReconnect: () => !done && navigator.onLine,
  })
  function finish() {
    if (done) return
    done = true
    sending.delete(roomName)
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', onOffline)
    provider.off('sync', onSync)
    stopFollowingCloses()
    closed()
    part.destroy()
  }
  provider.on('sync', onSync)
  window.addEventListener('online', onOnline)
  window.addEventListener('offline', onOffline)
  // Its IndexedDB copy first: connected before it loaded, the provider would sync without it. A
  // part left synced as its copy loaded sent the copy as it loaded (the page's tracker saw it).
  void part.persistence.whenSynced.then(() => {
    if (done) return
    if (provider.synced) onSync(true)
    else if (navigator.onLine) provider.connect()
  })
}

/**
 * Takes over a board part the page leaves while edits of the page to it are unsent (`unsent`
 * pending): sends them once online, then closes the part. Call instead of `part.destroy()`, after
 * unbinding the page's store and presence from it.
 */
export function sendBeforeClosing(part: BoardPart, unsent: UnsentTracker): void {
  // The tracker removes the mark when the provider synced (its listener was added first).
  sendThenClose(part, { sent: () => {}, closed: () => unsent.stop() })
}

/**
 * Sends each room of `workshopId` marked unsent that this page neither shows nor sends already:
 * those of `boards` (the boards the page's role sees), internal parts only when `withInternal`.
 * Does nothing while offline: call it again on `online`.
 */
export function sendUnsentRooms(workshopId: string, boards: readonly BoardId[], withInternal: boolean): void {
  if (!navigator.onLine) return
  for (const roomName of unsentRooms(workshopId)) {
    if (sending.has(roomName) || openHere.has(roomName) || refusedHere.has(roomName)) continue
    const board = boardOfRoom(roomName)
    if (board === null || !boards.includes(board)) continue
    if (roomName === internalRoomName(workshopId, board) && !withInternal) continue
    // Read before the copy loads: a mark another tab sets later (an edit the copy may not hold) stays.
    const token = unsentMark(roomName)
    sendThenClose(openBoardPart(workshopId, roomName, { connect: false }), { sent: () => clearUnsent(roomName, token), closed: () => {} })
  }
}
