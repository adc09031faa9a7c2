import type { AccountProfile } from '../../shared/accounts.ts'
import type { BoardId } from '../../shared/boards.ts'
import type { TimerState } from '../../shared/control.ts'
import type { BoardChange } from '../../shared/historyApi.ts'
import type { PlanRecord, PlanSummary } from '../../shared/plan.ts'
import type { VoteRecord } from '../../shared/votes.ts'
import type { AccessStore, WorkshopAccess } from '../auth/WorkshopAccess.ts'
import type { SnapshotAccess } from '../snapshot/snapshotAccess.ts'

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
  /** ISO 8601 timestamp of when the facilitator archived it; absent while it is not archived. */
  archivedAt?: string
  /**
   * The account it belongs to (issue 16). Absent when creating: the store files it under the
   * account named `account` (ignoring case), creating that account if there is none.
   */
  accountId?: string
}

/** An account row as stored (docs/accounts.md [K1]). */
export type StoredAccount = AccountProfile & {
  id: string
  name: string
  /** ISO 8601 timestamp. */
  createdAt: string
  archivedAt?: string
}

/** What `updateAccount` may change; `archivedAt: null` unarchives. A new name is written to its workshops too. */
export type AccountChanges = Partial<Pick<StoredAccount, 'name' | keyof AccountProfile>> & { archivedAt?: string | null }

/** A snapshot of one of an account's workshops, for the account's timeline. */
export type AccountSnapshot = { workshopId: string; summary: PlanSummary }

/** Another account already has this name (names are unique ignoring case, [K1]). */
export class AccountNameTakenError extends Error {
  constructor(name: string) {
    super(`an account named ${JSON.stringify(name)} exists`)
    this.name = 'AccountNameTakenError'
  }
}

/** What `updateWorkshop` may change; an absent field is left as it is, `archivedAt: null` unarchives. */
export type WorkshopChanges = Partial<Pick<StoredWorkshop, 'account' | 'title' | 'timeZone'>> & { archivedAt?: string | null }

/** One update to append to a document's log. */
export type DocumentUpdate = {
  /** Document name: `<workshopId>/<board>`. */
  docName: string
  /** A Yjs update (v1 encoding). */
  update: Uint8Array
  /**
   * [S37] A shared document's update: the workshop's sensitivity generation
   * ({@link WorkshopAccess.sensitivityGeneration}) its rows were judged by. The append is refused
   * ({@link SensitivityChangedError}) when the stored one differs. Absent: not checked.
   */
  sensitivityGeneration?: number | undefined
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

/** What `readUpdatesSince` read: as {@link PersistedDocument}, plus the number of each row, in order. */
export type UpdatesSince = PersistedDocument & { seqs: number[] }

/** A snapshot to store: its plan record (which holds id, workshop, time, trigger, label) and boards. */
export type NewSnapshot = {
  plan: PlanRecord
  /** Each board's full Yjs state (`Y.encodeStateAsUpdate`) when the snapshot was taken. */
  boards: Partial<Record<BoardId, Uint8Array>>
  /**
   * Issue 13: the internal document of boards that had internal items or fields when it was taken
   * (`Y.encodeStateAsUpdate`), each stored with its board's state: only for boards in
   * {@link boards} (else the snapshot is rejected, nothing stored). Snapshots stored before kept
   * them in the access record ({@link SnapshotAccess} `internalStates`, base64).
   */
  internalBoards?: Partial<Record<BoardId, Uint8Array>>
  /**
   * Boards whose rows (state and internal document) are copied inside the store from snapshot
   * `from` of the same workshop ([S16]: boards unchanged since it, not encoded again); none of them
   * may be in {@link boards}. The copies are rows of their own: deleting `from` leaves them. A
   * source the workshop does not have, or without a row of such a board, is refused with
   * {@link SnapshotCopySourceError} and nothing is stored.
   */
  copied?: { from: string; boards: readonly BoardId[] }
  /**
   * Which boards were customer-facing and who was on which board when it was taken
   * (docs/security.md [A17], [A18]). Omitted, the snapshot counts as fully internal for guests.
   */
  access?: SnapshotAccess
}

/** A page of a board's change history. */
export type ChangePage = {
  changes: BoardChange[]
  /** Pass as `cursor` for the next (older) page; null when there is none. */
  nextCursor: string | null
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

/**
 * A snapshot's copied board rows ({@link NewSnapshot} `copied`) name a snapshot the workshop does not
 * have (deleted meanwhile, or another workshop's) or a board it has no row of. Nothing was stored.
 */
export class SnapshotCopySourceError extends Error {
  constructor(snapshotId: string, from: string, boards: readonly BoardId[]) {
    super(`snapshot ${snapshotId}: no rows of board(s) ${boards.join(', ')} in snapshot ${from} of its workshop to copy`)
    this.name = 'SnapshotCopySourceError'
  }
}

/**
 * A compaction refused because the caller's lease on the document was taken over (a newer epoch)
 * or released: another instance compacts that board now, and nothing was changed.
 */
export class FencedError extends Error {
  constructor(docName: string, epoch: number) {
    super(`compaction of ${docName} under epoch ${epoch} refused: the lease was taken over`)
    this.name = 'FencedError'
  }
}

/**
 * Rows of documents of a deleted workshop were refused ([S36]): another instance deleted it while
 * this one still had its rooms open. Nothing of the call was stored; `docNames` are the refused
 * documents, the others may be appended again without them.
 */
export class WorkshopDeletedError extends Error {
  constructor(readonly docNames: readonly string[]) {
    super(`refused rows of deleted workshops: ${docNames.join(', ')}`)
    this.name = 'WorkshopDeletedError'
  }
}

/**
 * Rows judged by a sensitivity other than the workshop's stored one were refused ([S37]): a change
 * was stored since their room last read it. Nothing of the call was stored; `docNames` are the
 * refused documents, the others may be appended again without them.
 */
export class SensitivityChangedError extends Error {
  constructor(readonly docNames: readonly string[]) {
    super(`refused rows judged by an older sensitivity: ${docNames.join(', ')}`)
    this.name = 'SensitivityChangedError'
  }
}

/** A compaction lease as its holder knows it (docs/decisions/005-several-instances.md). */
export type CompactionLease = {
  /** The holding instance. */
  owner: string
  /** Bumped by every acquisition: a write under an older epoch is refused. */
  epoch: number
  /** How long a fenced write extends the lease. */
  ttlMs: number
}

/**
 * Leases with an epoch that make one instance the compactor of a document when several instances
 * share a database (PostgreSQL). The epoch is checked inside the compaction's own transaction, so
 * an instance that was paused or cut off after it last held the lease cannot delete anything once
 * another has taken over.
 */
export interface CompactionLeases {
  /**
   * Takes the lease of `docName` for `owner` for `ttlMs` if nobody holds it, its holder let it
   * expire, or `owner` holds it already; returns the new epoch, or undefined while another
   * instance holds it.
   */
  acquireCompactionLease(docName: string, owner: string, ttlMs: number): Promise<number | undefined>
  /**
   * `compactDocument` under `lease`: in the same transaction, the lease must still be `owner`'s
   * with this epoch (it is then extended by `ttlMs`), else {@link FencedError} and nothing changes.
   */
  compactDocumentFenced(docName: string, merged: Uint8Array, upToSeq: number, lease: CompactionLease): Promise<void>
  /** Lets the lease of `docName` expire now if `owner` still holds it under `epoch`. */
  releaseCompactionLease(docName: string, owner: string, epoch: number): Promise<void>
}

/** How long, and how many, holds of Yjs client ids a document keeps (docs/server-rules.md [S29]). */
export type ClientIdHoldBounds = {
  /** ISO 8601: holds taken before it have expired (retention). */
  since: string
  /** The most holds one document keeps; a full document gives no new hold (nobody's is evicted). */
  max: number
  /** The most holds one participant keeps in one document; beyond it, that participant's oldest go. */
  maxPerParticipant: number
  /** The most holds given from one source (client address) in one document; beyond it, none from there. */
  maxPerSource: number
}

/** Who is given Yjs client ids ([S29]): a participant (`userId#keyId`), from a source (its address's digest). */
export type ClientIdHolder = { participant: string; source: string }

/** One instance's presence on one board: an awareness update of its clients there. */
export type PresenceRow = { docName: string; instance: string; update: Uint8Array }

/**
 * Presence shared through the database while Redis is away ([S33]): each instance writes its own
 * clients' awareness per board, with an expiry, and reads the others'. Nothing is kept for long:
 * rows expire within `ttlMs` of their instance's last write and expired rows are removed.
 */
export interface SharedPresence {
  /**
   * Replaces every presence row of `instance` by `rows` (none: it has no clients anywhere now),
   * each expiring after `ttlMs`, and removes everyone's expired rows.
   */
  writePresence(instance: string, rows: readonly Omit<PresenceRow, 'instance'>[], ttlMs: number): Promise<void>
  /** Unexpired presence rows of `docNames` written by instances other than `instance`. */
  readPresence(docNames: readonly string[], instance: string): Promise<PresenceRow[]>
}

/**
 * Where Keyplan keeps its data. Names, titles and labels reach a store already checked at the
 * edge (docs/accounts.md [K11]): no control characters, since PostgreSQL's text columns refuse
 * NUL; the stores do not check them again.
 */
export interface Store extends AccessStore {
  /**
   * [A23] Records the fingerprints of the signing keys an instance was given (those it does not
   * know yet, by key id) and answers the ids whose recorded fingerprint differs: another secret
   * under an id the deployment already uses. Stores that serve one instance (SQLite) have none.
   */
  claimDeploymentKeys?(keys: readonly { kid: string; fingerprint: string }[]): Promise<string[]>
  /**
   * [I5] Whether the database answers a trivial query within `timeoutMs` (a store on another
   * machine: PostgreSQL). One query at a time: calls while one is out share its answer.
   */
  reachable?(timeoutMs: number): Promise<boolean>
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
  /**
   * Changes a workshop's account, title, time zone (canonical IANA name) or archived state, in one
   * transaction; the changed workshop, undefined when there is none.
   */
  updateWorkshop(id: string, changes: WorkshopChanges): Promise<StoredWorkshop | undefined>
  /**
   * Removes a workshop and everything stored of it, in one transaction: its documents' update
   * logs, snapshots with their boards, access state (and any later per-workshop data). True when
   * there was such a workshop. The caller makes sure no room of it is loaded.
   */
  deleteWorkshop(id: string): Promise<boolean>

  /** Reads a document's merged state plus every update appended after it. */
  loadDocument(docName: string): Promise<PersistedDocument>
  /**
   * Appends updates of any number of documents in one transaction (group commit): when the
   * promise resolves, all of them are durable; when it rejects, none is. Returns the sequence
   * number assigned to each update, in input order; a document's sequence numbers only grow (they
   * count per document in PostgreSQL, across all documents in SQLite). [S37] Rejects with
   * {@link SensitivityChangedError} (nothing stored) when an update's `sensitivityGeneration`
   * differs from its workshop's, read in the same transaction: a change of sensitivity and an
   * append of its workshop take turns.
   */
  appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]>
  /**
   * What a reader that has applied every row of `docName` up to `afterSeq` lacks: the rows numbered
   * above it, in order (when a compaction merged rows above `afterSeq`, the merged row comes first,
   * holding them all). `lastSeq` is the last row read, or `afterSeq` when there is none. Every row
   * numbered at most `lastSeq` is included or below `afterSeq`: a document's rows are numbered in
   * commit order, so no row below a row read can commit later.
   */
  readUpdatesSince(docName: string, afterSeq: number): Promise<UpdatesSince>
  /**
   * Atomically replaces every row of `docName` with sequence number `<= upToSeq` by one row
   * holding `merged`, numbered `upToSeq`; `merged` must contain at least everything those rows
   * contained. Rows appended after `upToSeq` are kept. `upToSeq` is the number of a row of this
   * document the caller has read (the PostgreSQL store refuses a compaction beyond the log's end).
   */
  compactDocument(docName: string, merged: Uint8Array, upToSeq: number): Promise<void>

  /**
   * [S29] Who holds the Yjs client ids of `docName`: client id → participant (`userId#keyId`),
   * only holds taken at or after `since` (older ones have expired).
   */
  loadClientIdHolders(docName: string, since: string): Promise<Map<number, string>>
  /**
   * [S29] Gives `holder.participant` each of `clients` of `docName` that nobody holds (null: gives
   * nothing, only looks up), and answers who holds each of them (absent: nobody), in one
   * transaction: of two instances giving one id at once, one wins and both are told which. Holds
   * taken before `bounds.since` expire first; a participant keeps its `bounds.maxPerParticipant`
   * newest (its own oldest go); a source holding `bounds.maxPerSource` and a document holding
   * `bounds.max` give no more. Deleted with the workshop ({@link Store.deleteWorkshop}).
   */
  holdClientIds(docName: string, clients: readonly number[], holder: ClientIdHolder | null, bounds: ClientIdHoldBounds): Promise<Map<number, string>>

  /**
   * Stores a snapshot. Snapshots are immutable but for their label ({@link Store.setSnapshotLabel})
   * and a duplicate id is rejected. The plan is validated with `PlanRecordSchema` first; an invalid one is rejected and
   * nothing is stored.
   */
  insertSnapshot(snapshot: NewSnapshot): Promise<void>
  /**
   * Stores a snapshot as {@link Store.insertSnapshot} does, but only if the workshop's newest
   * snapshot is still `latestId` (null: it has none), checked in the writing transaction; false,
   * and nothing stored, otherwise. The fence of automatic snapshots (docs/server-rules.md [I3]):
   * an instance that decided to take one on an older view of the workshop, or was paused meanwhile,
   * cannot store a second one next to what another instance stored.
   */
  insertSnapshotIfLatest(snapshot: NewSnapshot, latestId: string | null): Promise<boolean>
  /** Summaries of a workshop's snapshots, newest first. */
  listSnapshots(workshopId: string): Promise<PlanSummary[]>
  /**
   * A snapshot's plan record, validated; undefined when the workshop has no snapshot with this
   * id. Rejects with {@link CorruptRecordError} when the stored record is invalid.
   */
  getSnapshot(workshopId: string, snapshotId: string): Promise<PlanRecord | undefined>
  /**
   * The access record stored with a snapshot; null when it was stored without one (before the
   * record existed, [A17]), undefined when the workshop has no snapshot with this id. Rejects with
   * {@link CorruptRecordError} when the stored record is invalid.
   */
  getSnapshotAccess(workshopId: string, snapshotId: string): Promise<SnapshotAccess | null | undefined>
  /** A board's Yjs state at a snapshot; undefined when there is no such snapshot or board. */
  getSnapshotBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined>
  /**
   * A board's internal document at a snapshot, as stored in {@link NewSnapshot} `internalBoards`;
   * undefined when there is no such snapshot or board, or none was stored with it (a board without
   * internal content, or a snapshot stored before: see its access record).
   */
  getSnapshotInternalBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined>

  /**
   * Appends a change to its board's history ([H1]) and deletes its journal row
   * ({@link journalOpenChanges}), in one transaction. Rejects a duplicate id, and a change that
   * `BoardChangeSchema` rejects (nothing is stored or deleted then).
   */
  appendChange(change: BoardChange): Promise<void>
  /**
   * [H10] Journals open changes, as they would be appended if they closed now: one row per change
   * id, inserted or replaced, each noting `journaledAt` (ISO 8601), in one transaction. A change of
   * a workshop that no longer exists is left out; one that `BoardChangeSchema` rejects rejects the
   * call (nothing is stored then).
   */
  journalOpenChanges(changes: readonly BoardChange[], journaledAt: string): Promise<void>
  /** [H10] Deletes the journal rows of these change ids (changes that will not be appended). */
  dropOpenChanges(ids: readonly string[]): Promise<void>
  /**
   * [H10] Appends the journaled changes as they were last journaled, oldest `at` first, and deletes
   * their rows, in one transaction: every row, or (`staleBefore`, ISO 8601) only those journaled
   * before it. A row whose id was appended already is only deleted. Returns how many were appended.
   */
  recoverOpenChanges(staleBefore?: string): Promise<number>
  /**
   * A page of a board's changes, newest (last appended) first: at most `limit`, starting after the
   * position `cursor` names (the `nextCursor` of the page before; omitted for the newest page).
   * `nextCursor` is null on the last page. Rows that fail validation are left out.
   */
  listChanges(workshopId: string, board: BoardId, page: { cursor?: string | undefined; limit: number }): Promise<ChangePage>
  /** One change of the board; undefined when unknown. Rejects with {@link CorruptRecordError} when invalid. */
  getChange(workshopId: string, board: BoardId, changeId: string): Promise<BoardChange | undefined>
  /** Deletes every change of the workshop, and its journal rows (with the workshop, [H8]); returns how many changes. */
  deleteWorkshopChanges(workshopId: string): Promise<number>
  /** Retention ([H8]): deletes every change recorded before `before` (ISO 8601); returns how many. */
  pruneChanges(before: string): Promise<number>
  /**
   * Stores a dot vote (insert, or replace the vote with the same workshop and id), validated with
   * `VoteRecordSchema` first; durable when the promise resolves (docs/server-rules.md [C10]).
   */
  saveVote(vote: VoteRecord): Promise<void>
  /**
   * Stores `next` in place of the stored vote only if that is still `expected` (the same workshop
   * and id; compared as JSON values): false, storing nothing, when another instance changed it
   * since it was read ([C10] across instances: two casts at once must not erase one another).
   */
  replaceVote(expected: VoteRecord, next: VoteRecord): Promise<boolean>
  /** A workshop's votes, oldest first; rejects with {@link CorruptRecordError} on an invalid row. */
  listVotes(workshopId: string): Promise<VoteRecord[]>
  /**
   * Stores the workshop's timer (one per workshop, replaced whole), validated with
   * `TimerStateSchema` first; durable when the promise resolves (docs/server-rules.md [C6]).
   */
  saveTimer(workshopId: string, timer: TimerState): Promise<void>
  /** The workshop's stored timer; idle when none was stored. Rejects with {@link CorruptRecordError} on an invalid row. */
  getTimer(workshopId: string): Promise<TimerState>
  /**
   * Stores `next` as the workshop's timer only if the stored one is still `expected` (none stored
   * counts as idle; compared as JSON values): false, storing nothing, when another instance changed
   * it since it was read ([C14]: two extensions at once must both count).
   */
  replaceTimer(workshopId: string, expected: TimerState, next: TimerState): Promise<boolean>

  /** Stores a new account; rejects with {@link AccountNameTakenError} when the name is taken ([K1]). */
  createAccount(account: StoredAccount): Promise<void>
  getAccount(id: string): Promise<StoredAccount | undefined>
  /** The account with this name, ignoring case and surrounding spaces. */
  findAccountByName(name: string): Promise<StoredAccount | undefined>
  /** Every account, by name. */
  listAccounts(): Promise<StoredAccount[]>
  /**
   * Changes an account in one transaction; a new name is written to its workshops' `account` too.
   * Undefined when there is none; rejects with {@link AccountNameTakenError} when the name is taken.
   */
  updateAccount(id: string, changes: AccountChanges): Promise<StoredAccount | undefined>
  /** The account's workshops, newest first (archived ones too). */
  listAccountWorkshops(accountId: string): Promise<StoredWorkshop[]>
  /** Summaries of every snapshot of every workshop of the account, newest first ([K6]). */
  listAccountSnapshots(accountId: string): Promise<AccountSnapshot[]>
  /**
   * Names or renames a snapshot (null removes the name): its label, in its plan record and summary
   * too ([K9]). False when there is no such snapshot.
   */
  setSnapshotLabel(workshopId: string, snapshotId: string, label: string | null): Promise<boolean>
  /** Deletes a snapshot and its boards ([K9]); false when there is no such snapshot. */
  deleteSnapshot(workshopId: string, snapshotId: string): Promise<boolean>

  /** Flushes and releases the store; no method may be called afterwards. */
  close(): Promise<void>
}
