/**
 * Where a snapshot reads a board from ([S16]): the loaded room's document once everything applied
 * to it is durable, or else storage. Either way the result is what a peer joining now would get.
 */
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { jsonEqual } from '../../shared/FieldIndex.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { internalRoomName, resolveSensitivity, type Sensitivity } from '../../shared/sensitivity.ts'
import { rebalanceParts, type PartRoom } from '../sync/rebalanceParts.ts'
import type { Store } from '../store/Store.ts'
import type { Room } from '../sync/Room.ts'
import type { RoomManager } from '../sync/RoomManager.ts'

/**
 * The versions (state vector and delete set) of a board's two documents: what its snapshot row
 * holds, the state and the internal document. Equal versions mean equal content.
 */
export type BoardVersion = { shared: Y.Snapshot; internal: Y.Snapshot }

/** True when both documents of the two versions are equal. */
export function sameBoardVersion(a: BoardVersion, b: BoardVersion): boolean {
  return Y.equalSnapshots(a.shared, b.shared) && Y.equalSnapshots(a.internal, b.internal)
}

/**
 * [S17] Whether a board's internal document holds what `stored` (an internal row of a snapshot;
 * none: nothing internal) holds: the same internal items and field values. Its version cannot
 * say: [A35]'s balance marker, no content, is written again when a board loads.
 */
export function sameInternalContent(internal: Y.Doc | undefined, stored: Uint8Array | undefined): boolean {
  const before = docFromUpdates(stored ? [stored] : [])
  try {
    const now = internal ?? new Y.Doc()
    return sameEntries(readRecords(now), readRecords(before), jsonEqual) && sameEntries(readOverlays(now), readOverlays(before), (a, b) => sameEntries(a, b, jsonEqual))
  } finally {
    before.destroy()
  }
}

function sameEntries<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, equal: (x: V, y: V) => boolean): boolean {
  if (a.size !== b.size) return false
  for (const [key, value] of a) {
    const other = b.get(key)
    if (other === undefined || !equal(value, other)) return false
  }
  return true
}

/**
 * Whether {@link currentBoardDoc} encodes the board's state: not when the board is at
 * `unchangedSince` (its snapshot row is copied), nor at all with `state: false` (a plan not stored).
 */
export type StateWanted = { unchangedSince?: BoardVersion; state?: false }

/** A board's current document and its full state as one Yjs update. */
export type BoardDoc = {
  doc: Y.Doc
  /**
   * `Y.encodeStateAsUpdate(doc)`, encoded while no change could slip in; absent when the board
   * was read at the versions it was asked about (`unchangedSince`): its snapshot row is copied;
   * or when no state was wanted ({@link StateWanted}).
   */
  state?: Uint8Array
  /**
   * The versions (state vector and delete set) of `doc`, which `state` holds, and of
   * {@link internal}, both taken at the same moment as `state`.
   */
  version: BoardVersion
  /** The live room's doc (read it, never keep or change it) rather than a private copy. */
  live: boolean
  /**
   * Stored rows of the board that could not be read and are left out of `doc` (e.g. a damaged
   * row); the snapshot reports them as a warning ([S16]). Absent when there are none.
   */
  unreadableRows?: number
  /**
   * Issue 13: the board's internal document (internal items and overlay entries), read the same
   * way; merged into the plan for the team, never part of `state` (what a guest may open).
   */
  internal?: Y.Doc
  /** The sensitivity `doc` and `internal` are split by. */
  sensitivity?: Sensitivity
}

/** A private document holding `updates` (stored rows or a snapshot's state), applied in one transaction. */
export function docFromUpdates(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update)
  })
  return doc
}

/**
 * The board's current document. A loaded room is read after its pending changes are durable
 * (waiting again if more arrived meanwhile), so a snapshot never holds a change that a crash
 * could still lose; an unloaded board is read from storage.
 */
export async function currentBoardDoc(rooms: RoomManager, store: Store, workshopId: string, board: BoardId, want: StateWanted = {}): Promise<BoardDoc> {
  const noState = (version: BoardVersion) => want.state === false || (want.unchangedSince !== undefined && sameBoardVersion(version, want.unchangedSince))
  const name = syncRoomName(workshopId, board)
  const room = rooms.get(name)
  const internal = room?.internal
  if (room && internal && (await durable(rooms, internal)) && (await durable(rooms, room))) {
    const version = { shared: Y.snapshot(room.doc), internal: Y.snapshot(internal.doc) }
    const read = { doc: room.doc, version, live: true, internal: internal.doc, sensitivity: room.sensitivity }
    return noState(version) ? read : { ...read, state: Y.encodeStateAsUpdate(room.doc) }
  }
  const stored = await store.loadDocument(internalRoomName(workshopId, board))
  const internalDoc = readableDoc(stored.updates).doc
  const { updates } = await store.loadDocument(name)
  const { doc, unreadableRows } = readableDoc(updates)
  // [A35] a board stored before issue 13 and not loaded since holds internal values in its shared
  // document: moved in these private copies (the room moves them for good when it next loads).
  const sensitivity = resolveSensitivity((await store.getAccess(workshopId))?.sensitivity)
  const asStored = { shared: Y.snapshot(doc), internal: Y.snapshot(internalDoc) }
  const moved = await rebalanceParts(privateRoom(doc), privateRoom(internalDoc), sensitivity, 'snapshot')
  const shared = Y.snapshot(doc)
  // A board never loaded gets [A35]'s balance marker written into its private internal copy, with a
  // new client each read: no content of its rows. When nothing else moved, the board is judged by
  // its documents as stored, so that an untouched board compares equal from one snapshot to the next.
  const untouched = moved === 0 && Y.equalSnapshots(shared, asStored.shared)
  const version = untouched ? asStored : { shared, internal: Y.snapshot(internalDoc) }
  const read = { doc, version, live: false, internal: internalDoc, sensitivity, ...(unreadableRows > 0 ? { unreadableRows } : {}) }
  // Equal versions, equal content: the earlier snapshot's row holds this very state.
  if (noState(version)) return read
  // A single stored row (a compacted document) already is the whole state: no need to re-encode.
  const [only] = updates
  const state = untouched && updates.length === 1 && only && unreadableRows === 0 ? only : Y.encodeStateAsUpdate(doc)
  return { ...read, state }
}

/**
 * [S16] A private document of the stored rows that can be read: all of them at once when they
 * can, else row by row, leaving out each row that does not decode or apply, so one damaged row
 * costs the snapshot that row, not the board nor the workshop.
 */
export function readableDoc(updates: readonly Uint8Array[]): { doc: Y.Doc; unreadableRows: number } {
  try {
    return { doc: docFromUpdates(updates), unreadableRows: 0 }
  } catch {
    // Fall through: the failed document may hold part of the rows; start again from nothing.
  }
  const doc = new Y.Doc()
  let unreadableRows = 0
  for (const update of updates) {
    try {
      // Decoding first refuses most damage before anything reaches the document.
      Y.decodeUpdate(update)
      Y.applyUpdate(doc, update)
    } catch {
      unreadableRows++
    }
  }
  return { doc, unreadableRows }
}

/** A private document as the mover sees a room: nothing to wait for. */
const privateRoom = (doc: Y.Doc): PartRoom => ({ doc, whenDurable: () => Promise.resolve() })

/** Waits until `room` has nothing unflushed; false if it was unloaded or dropped meanwhile. */
async function durable(rooms: RoomManager, room: Room): Promise<boolean> {
  while (room.stats().unflushed > 0 && rooms.get(room.name) === room) await room.whenDurable()
  // Checked after the last await and before the caller encodes, with no await in between.
  return rooms.get(room.name) === room
}
