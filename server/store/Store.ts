import type { BoardId } from '../../shared/boards.ts'
import type { PlanRecord, PlanSummary } from '../../shared/plan.ts'
import type { AccessStore, WorkshopAccess } from '../auth/WorkshopAccess.ts'

/**
 * The storage contract of the server. Every implementation passes the suite in
 * `test/integration/store-contract.ts`. Methods are async so that a networked store
 * (PostgreSQL) fits the same interface.
 */

/** A workshop row as stored (the API adds its boards). */
export type StoredWorkshop = {
  id: string
  account: string
  title: string
  /** ISO 8601 timestamp. */
  createdAt: string
  /** IANA time zone (shared/timeZone.ts); `UTC` for workshops stored before there was one. */
  timeZone: string
}

/** One update to append to a document's log. */
export type DocumentUpdate = {
  /** Document name: `<workshopId>/<board>`. */
  docName: string
  /** A Yjs update (v1 encoding). */
  update: Uint8Array
}

/** What is persisted of one document. */
export type PersistedDocument = {
  /** The merged state and the updates appended after it, in append order. Empty for a new doc. */
  updates: Uint8Array[]
  /** Sequence number of the last row read (0 when empty); pass it to `compactDocument`. */
  lastSeq: number
  /** Total bytes of `updates`. */
  bytes: number
}

/** A snapshot to store: its plan record (which holds id, workshop, time, trigger, label) and boards. */
export type NewSnapshot = {
  plan: PlanRecord
  /** Each board's full Yjs state (`Y.encodeStateAsUpdate`) when the snapshot was taken. */
  boards: Partial<Record<BoardId, Uint8Array>>
}

/**
 * A stored row failed validation when read back (`docs/server-rules.md` [S18]). The API answers
 * 500 `corrupt_snapshot` for that snapshot; everything else keeps working.
 */
export class CorruptRecordError extends Error {
  constructor(what: string, detail: string) {
    super(`stored ${what} is corrupt: ${detail}`)
    this.name = 'CorruptRecordError'
  }
}

export interface Store extends AccessStore {
  /**
   * Stores a new workshop together with the first update of each of its documents (the board
   * templates) and its access state (role generations, customer-facing boards, link lifetime;
   * `newWorkshopAccess()` when omitted), in one transaction: a workshop never exists without its
   * templates or its access state.
   */
  createWorkshop(workshop: StoredWorkshop, initialUpdates?: readonly DocumentUpdate[], access?: WorkshopAccess): Promise<void>
  getWorkshop(id: string): Promise<StoredWorkshop | undefined>
  /** Newest first. */
  listWorkshops(): Promise<StoredWorkshop[]>
  /** Sets a workshop's time zone (canonical IANA name); the changed workshop, undefined when there is none. */
  setWorkshopTimeZone(id: string, timeZone: string): Promise<StoredWorkshop | undefined>

  /** Reads a document's merged state plus every update appended after it. */
  loadDocument(docName: string): Promise<PersistedDocument>
  /**
   * Appends updates of any number of documents in one transaction (group commit): when the
   * promise resolves, all of them are durable; when it rejects, none is. Returns the sequence
   * number assigned to each update, in input order; a document's sequence numbers only grow (they
   * count per document in PostgreSQL, across all documents in SQLite).
   */
  appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]>
  /**
   * Atomically replaces every row of `docName` with sequence number `<= upToSeq` by one row
   * holding `merged`, which must contain at least everything those rows contained. Rows
   * appended after `upToSeq` are kept. `upToSeq` is a sequence number this document's log has
   * reached (the PostgreSQL store refuses a compaction claiming more).
   */
  compactDocument(docName: string, merged: Uint8Array, upToSeq: number): Promise<void>

  /**
   * Stores a snapshot. Snapshots are immutable: there is no update, and a duplicate id is
   * rejected. The plan is validated with `PlanRecordSchema` first; an invalid one is rejected and
   * nothing is stored.
   */
  insertSnapshot(snapshot: NewSnapshot): Promise<void>
  /** Summaries of a workshop's snapshots, newest first. */
  listSnapshots(workshopId: string): Promise<PlanSummary[]>
  /**
   * A snapshot's plan record, validated; undefined when the workshop has no snapshot with this
   * id. Rejects with {@link CorruptRecordError} when the stored record is invalid.
   */
  getSnapshot(workshopId: string, snapshotId: string): Promise<PlanRecord | undefined>
  /** A board's Yjs state at a snapshot; undefined when there is no such snapshot or board. */
  getSnapshotBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined>

  /** Flushes and releases the store; no method may be called afterwards. */
  close(): Promise<void>
}
