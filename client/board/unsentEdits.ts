/**
 * [S44] Which board documents hold edits of this browser that the server may not have, so they are
 * sent without anyone reopening the board (sendUnsent.ts) and the board's tab can say so meanwhile.
 *
 * One mark per room in localStorage (`keyplan:unsent:<roomName>`, shared by the browser's tabs),
 * holding a token. It is set when a page changes the room's document while its provider is not
 * synced, or when a connection drops after the page changed the document on it; it is removed once
 * a provider of this browser synced the document after that change, and only if it still holds the
 * token seen then: a tab that marked the room again meanwhile keeps its mark. A page that opens a
 * marked room sends what its IndexedDB copy holds, so it removes the mark it found too.
 *
 * @example
 * ```ts
 * const unsent = trackUnsent(part)
 * // leaving the board:
 * if (unsent.pending()) sendBeforeClosing(workshopId, part, unsent)
 * ```
 */
import { useMemo, useSyncExternalStore } from 'react'
import type { Transaction } from 'yjs'
import { isBoardId, type BoardId } from '../../shared/boards.ts'
import { workshopOfRoom } from '../../shared/protocol.ts'
import type { BoardPart } from './openBoardPart.ts'

const PREFIX = 'keyplan:unsent:'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    // Storage can be disabled (privacy settings): nothing is marked, a left board is sent only while the page keeps it.
    return null
  }
}

/** Called on every change of a mark made by this page (other tabs' changes come as `storage` events). */
const listeners = new Set<() => void>()

function changed(): void {
  for (const listener of listeners) listener()
}

/** The token of `roomName`'s mark, or null when it has none. */
export function unsentMark(roomName: string): string | null {
  return storage()?.getItem(PREFIX + roomName) ?? null
}

/** Marks `roomName` as holding unsent edits; returns the mark's token. */
function markUnsent(roomName: string): string {
  const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
  try {
    storage()?.setItem(PREFIX + roomName, token)
  } catch {
    // Storage full: the mark is lost, the edits are not (they are in IndexedDB and in the open page).
  }
  changed()
  return token
}

/** Removes `roomName`'s mark if it still holds `token`, or whatever it holds when `token` is null (the copy was dropped). */
export function clearUnsent(roomName: string, token: string | null): void {
  const store = storage()
  if (!store || (token !== null && store.getItem(PREFIX + roomName) !== token)) return
  store.removeItem(PREFIX + roomName)
  changed()
}

/** The rooms of `workshopId` (`<workshopId>/<board>`, and `…/internal`) marked as holding unsent edits. */
export function unsentRooms(workshopId: string): string[] {
  const store = storage()
  const rooms: string[] = []
  if (!store) return rooms
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i)
    if (key?.startsWith(PREFIX) && workshopOfRoom(key.slice(PREFIX.length)) === workshopId) rooms.push(key.slice(PREFIX.length))
  }
  return rooms
}

/** The board of a room name (`<workshopId>/<board>[/internal]`), if it names one. */
export function boardOfRoom(roomName: string): BoardId | null {
  const board = roomName.split('/')[1]
  return board !== undefined && isBoardId(board) ? board : null
}

function onUnsentChanged(listener: () => void): () => void {
  listeners.add(listener)
  // Marks set or removed in the browser's other tabs.
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith(PREFIX)) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

/** The boards of `workshopId` this browser holds unsent edits of, kept up to date across tabs. */
export function useUnsentBoards(workshopId: string): ReadonlySet<BoardId> {
  // A string snapshot: equal while the marked boards are the same, so the tabs render only on a change.
  const boards = useSyncExternalStore(onUnsentChanged, () =>
    [...new Set(unsentRooms(workshopId).map(boardOfRoom))].filter((board) => board !== null).sort().join(' '),
  )
  return useMemo(() => new Set(boards === '' ? [] : (boards.split(' ') as BoardId[])), [boards]) // ids read by boardOfRoom
}

/** Follows a board part the page edits: see the module comment. */
export interface UnsentTracker {
  /** Whether edits of this page to the part may not have reached the server yet. */
  pending(): boolean
  stop(): void
}

/** Whether a transaction changed the document (inserted or deleted anything). */
function wroteSomething(transaction: Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true
  return false
}

/** Marks `part`'s room while this page's edits to it may not have reached the server, and removes the mark once they have. */
export function trackUnsent(part: BoardPart): UnsentTracker {
  const { doc, provider, persistence, roomName } = part
  /** The token of the mark this page set and has not seen sent. */
  let token: string | null = null
  /**
   * A mark found as the page opened the part (a tab closed offline, a board left before): the
   * page's copy loads those edits from IndexedDB and sends them, so it removes that mark too, once
   * the copy is loaded and the provider synced.
   */
  let inherited = unsentMark(roomName)
  /** Written while synced: on this connection, which may drop before the server read it. */
  let wroteOnConnection = false
  const mark = () => {
    if (token === null || unsentMark(roomName) !== token) token = markUnsent(roomName)
  }
  const onTransaction = (transaction: Transaction) => {
    // Remote updates (the provider, IndexedDB's load) are the server's or already marked.
    if (!transaction.local || !wroteSomething(transaction)) return
    if (provider.wsconnected && provider.synced) wroteOnConnection = true
    else mark()
  }
  const onStatus = ({ status }: { status: string }) => {
    if (status === 'connected' || !wroteOnConnection) return
    wroteOnConnection = false
    mark()
  }
  // The provider answers the server's step 1 (which the server sends first) with what the server
  // lacks, before it reads the server's step 2 and says it synced: what this page wrote is then
  // on the socket, ahead of anything written later.
  // The copy loaded after the sync is sent as it loads (the provider is connected then).
  const clearInherited = () => {
    if (inherited === null || !persistence.synced || !provider.synced) return
    clearUnsent(roomName, inherited)
    inherited = null
  }
  const onSync = (synced: boolean) => {
    if (!synced) return
    wroteOnConnection = false
    clearInherited()
    if (token === null) return
    clearUnsent(roomName, token)
    token = null
  }
  doc.on('afterTransaction', onTransaction)
  provider.on('status', onStatus)
  provider.on('sync', onSync)
  persistence.on('synced', clearInherited)
  return {
    pending() {
      const stored = unsentMark(roomName)
      return stored !== null && (stored === token || stored === inherited)
    },
    stop() {
      doc.off('afterTransaction', onTransaction)
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      persistence.off('synced', clearInherited)
    },
  }
}
