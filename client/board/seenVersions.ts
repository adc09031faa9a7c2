/**
 * [S42] What this page did to the board documents it holds, for `POST /snapshots`: a snapshot
 * should hold what its author saw, but the page's last edit may still be on its websocket when the
 * Save request arrives. For each tracked document the page sends the clocks of its own client ids
 * and the ranges its own transactions deleted (a delete writes no new struct, so a state vector
 * alone would not show it); the server waits until it holds them.
 *
 * @example
 * ```ts
 * const stop = trackSeen(workshopId, 'swot', 'shared', doc)
 * await saveSnapshot(workshopId, label, seenVersions(workshopId))
 * stop({ keep: true })
 * ```
 */
import { toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import type { SeenVersion } from '../../shared/snapshotApi.ts'

/** How long a closed board's last version is still sent (e.g. the page went from a board to the review page and saved). */
const KEEP_CLOSED_MS = 10_000
/** Encoded bytes of one document's version at most; past it only the clocks are sent (the server's body limit is 64 KiB). */
const MAX_VERSION_BYTES = 16 * 1024
/** Local transactions' delete sets kept apart before they are merged into one. */
const FOLD_AFTER = 256

type Tracked = { workshopId: string; board: BoardId; part: SeenVersion['part']; wrote: () => boolean; version: () => Uint8Array; closedAt?: number }

const tracked = new Set<Tracked>()

/**
 * Follows `doc`'s local transactions until the returned function is called. With `keep`, the last
 * version is still sent for {@link KEEP_CLOSED_MS}; without it (a copy the server refused and the
 * page dropped), it is forgotten at once.
 */
export function trackSeen(workshopId: string, board: BoardId, part: SeenVersion['part'], doc: Y.Doc): (options: { keep: boolean }) => void {
  const clients = new Set<number>()
  // Merged (a copy, sorted) only when read or every FOLD_AFTER deletes, not on each local
  // transaction: a drag deletes the override it replaces every frame.
  let deleted = Y.createDeleteSet()
  let unmerged: (typeof deleted)[] = []
  const mergedDeletes = () => {
    if (unmerged.length > 0) deleted = Y.mergeDeleteSets([deleted, ...unmerged])
    unmerged = []
    return deleted
  }
  const onTransaction = (transaction: Y.Transaction) => {
    // Remote updates (the provider, IndexedDB) are not local; the server has or sends those.
    if (!transaction.local) return
    clients.add(doc.clientID)
    if (transaction.deleteSet.clients.size === 0) return
    unmerged.push(transaction.deleteSet)
    if (unmerged.length >= FOLD_AFTER) mergedDeletes()
  }
  doc.on('afterTransaction', onTransaction)
  const versionNow = (): Uint8Array => {
    const clocks = new Map([...clients].map((client) => [client, Y.getState(doc.store, client)]))
    const full = Y.encodeSnapshot(Y.createSnapshot(mergedDeletes(), clocks))
    return full.byteLength <= MAX_VERSION_BYTES ? full : Y.encodeSnapshot(Y.createSnapshot(Y.createDeleteSet(), clocks))
  }
  const entry: Tracked = { workshopId, board, part, wrote: () => clients.size > 0, version: versionNow }
  tracked.add(entry)
  return ({ keep }) => {
    doc.off('afterTransaction', onTransaction)
    if (!keep || clients.size === 0) {
      tracked.delete(entry)
      return
    }
    const last = versionNow()
    entry.version = () => last
    entry.closedAt = Date.now()
  }
}

/** The versions of the workshop's board documents this page wrote to and holds or held a moment ago, newest per board part. */
export function seenVersions(workshopId: string): SeenVersion[] {
  const now = Date.now()
  const byPart = new Map<string, Tracked>()
  for (const entry of tracked) {
    if (entry.closedAt !== undefined && now - entry.closedAt > KEEP_CLOSED_MS) {
      tracked.delete(entry)
      continue
    }
    if (entry.workshopId !== workshopId || !entry.wrote()) continue
    const key = `${entry.board}/${entry.part}`
    const other = byPart.get(key)
    // An open document wins over a closed copy of the same part; the set keeps insertion order.
    if (!other || other.closedAt !== undefined) byPart.set(key, entry)
  }
  return [...byPart.values()].map((entry) => ({ board: entry.board, part: entry.part, version: toBase64(entry.version()) }))
}
