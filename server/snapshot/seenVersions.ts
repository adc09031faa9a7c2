/**
 * [S42] What the saving page holds, before a snapshot is taken: `POST /snapshots` may name the
 * board documents the facilitator's page has open (their Yjs versions, `seen`), and the snapshot
 * waits until the server holds everything in them. The page's own last edit may still be on its
 * websocket (or on another instance, [I1]) when its REST request arrives; a snapshot should hold
 * what its author saw.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { fromBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { internalRoomName, type BoardPart } from '../../shared/sensitivity.ts'
import type { SeenVersion } from '../../shared/snapshotApi.ts'
import { HttpError } from '../api/errors.ts'
import type { Store } from '../store/Store.ts'
import type { RoomManager } from '../sync/RoomManager.ts'
import { readableDoc } from './boardDocs.ts'

/** One board document as the page holds it, decoded. */
export type SeenPart = { board: BoardId; part: BoardPart; version: Y.Snapshot }

/**
 * When a board the server does not yet hold as seen is looked at again: after 50 ms, doubling up to
 * 1 s, so an edit that never arrives costs a few reads of a board (an unloaded one is read whole
 * from storage each time), not one every 50 ms.
 */
const RECHECK_FIRST_MS = 50
const RECHECK_MAX_MS = 1_000

/**
 * Decodes `seen` of a request body (already checked by `SeenVersionSchema`). Throws
 * {@link HttpError} 400 for a version that is not a Yjs snapshot.
 */
export function decodeSeen(seen: readonly SeenVersion[] | undefined): SeenPart[] {
  return (seen ?? []).map(({ board, part, version }, index) => {
    try {
      return { board, part, version: Y.decodeSnapshot(fromBase64(version)) }
    } catch {
      throw new HttpError(400, 'invalid_body', `seen[${index}].version: not a Yjs snapshot (Y.encodeSnapshot)`)
    }
  })
}

/**
 * Whether `doc` holds everything `version` names: every client's structs up to its clock, and
 * every deleted range deleted. A range is looked up in the document's delete set, whose ranges
 * per client are sorted and merged.
 */
export function holdsVersion(doc: Y.Doc, version: Y.Snapshot): boolean {
  for (const [client, clock] of version.sv) {
    if (Y.getState(doc.store, client) < clock) return false
  }
  if (version.ds.clients.size === 0) return true
  const deleted = Y.snapshot(doc).ds.clients
  for (const [client, ranges] of version.ds.clients) {
    const have = deleted.get(client)
    for (const { clock, len } of ranges) {
      if (len > 0 && !(have && covered(have, clock, clock + len))) return false
    }
  }
  return true
}

/** Whether the sorted, merged `ranges` cover [from, to). */
function covered(ranges: readonly { clock: number; len: number }[], from: number, to: number): boolean {
  // The last range starting at or before `from`.
  let low = 0
  let high = ranges.length - 1
  let at = -1
  while (low <= high) {
    const mid = (low + high) >> 1
    if ((ranges[mid]?.clock ?? Infinity) <= from) {
      at = mid
      low = mid + 1
    } else high = mid - 1
  }
  let end = from
  for (let i = at; i >= 0 && i < ranges.length; i++) {
    const range = ranges[i]
    if (!range || range.clock > end) return false
    end = Math.max(end, range.clock + range.len)
    if (end >= to) return true
  }
  return false
}

/** Whether this instance's server holds `seen`: the loaded room's document, else the stored rows. */
async function holds(rooms: RoomManager, store: Store, workshopId: string, seen: SeenPart): Promise<boolean> {
  const room = rooms.get(syncRoomName(workshopId, seen.board))
  const live = seen.part === 'shared' ? room : room?.internal
  if (live) return holdsVersion(live.doc, seen.version)
  const name = seen.part === 'shared' ? syncRoomName(workshopId, seen.board) : internalRoomName(workshopId, seen.board)
  const { doc } = readableDoc((await store.loadDocument(name)).updates)
  try {
    return holdsVersion(doc, seen.version)
  } finally {
    doc.destroy()
  }
}

/**
 * Resolves once the server holds every document of `seen` as the page saw it, looking again after
 * {@link RECHECK_FIRST_MS}, then less often; throws {@link HttpError} 409 `edits_not_arrived`
 * naming the boards still missing something after `waitMs`. Nothing is stored either way.
 */
export async function untilSeen(rooms: RoomManager, store: Store, workshopId: string, seen: readonly SeenPart[], waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs
  let missing = [...seen]
  for (let pause = RECHECK_FIRST_MS; ; pause = Math.min(pause * 2, RECHECK_MAX_MS)) {
    const held = await Promise.all(missing.map((part) => holds(rooms, store, workshopId, part)))
    missing = missing.filter((_, i) => !held[i])
    if (missing.length === 0) return
    const left = deadline - Date.now()
    if (left <= 0) break
    await sleep(Math.min(pause, left))
  }
  const boards = [...new Set(missing.map((part) => BOARD_TITLES[part.board]))].join(', ')
  throw new HttpError(
    409,
    'edits_not_arrived',
    `Your latest edits on ${boards} have not reached the server yet, so the snapshot would miss them. Check your connection and save again, or save without them.`,
  )
}
