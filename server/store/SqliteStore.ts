/**
 * The SQLite store: one file `keyplan.sqlite` in DATA_DIR, WAL mode, prepared statements.
 * better-sqlite3 is synchronous, so every method has finished its I/O when it returns; the
 * promises only satisfy the {@link Store} interface.
 */
import { foldAccountName } from '../../shared/api.ts'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import type { BoardId } from '../../shared/boards.ts'
import { BoardChangeSchema, type BoardChange } from '../../shared/historyApi.ts'
import { PlanRecordSchema, PlanSummarySchema, migratePlanRecord, summarizePlan, type PlanRecord, type PlanSummary } from '../../shared/plan.ts'
import type { CustomerFacing, Role } from '../../shared/roles.ts'
import { AccountProfileSchema } from '../../shared/accounts.ts'
import { DEFAULT_TIME_ZONE, canonicalTimeZone } from '../../shared/timeZone.ts'
import { VoteRecordSchema, type VoteRecord } from '../../shared/votes.ts'
import { TimerStateSchema, type TimerState } from '../../shared/control.ts'
import { workshopOfRoom } from '../../shared/protocol.ts'
import type { RoleGenerations } from '../auth/tokens.ts'
import { changedOverrides, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { WorkshopAccessSchema, newWorkshopAccess, type SensitivityChange, type WorkshopAccess } from '../auth/WorkshopAccess.ts'
import { SnapshotAccessSchema, type SnapshotAccess } from '../snapshot/snapshotAccess.ts'
import {
  AccountNameTakenError,
  CorruptRecordError,
  SensitivityChangedError,
  SnapshotCopySourceError,
  type AccountChanges,
  type AccountSnapshot,
  type ClientIdHoldBounds,
  type ClientIdHolder,
  type StoredAccount,
  type ChangePage,
  type DocumentUpdate,
  type NewSnapshot,
  type PersistedDocument,
  type Store,
  type StoredWorkshop,
  type UpdatesSince,
  type WorkshopChanges,
} from './Store.ts'
import { checkPlanRecord, type CheckedPlanRecord } from './planRecord.ts'
import { changePage, parseStoredValue, snapshotBoardRows, updatesSince } from './storedRows.ts'
import { makeDataDir } from './makeDataDir.ts'

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'keyplan.sqlite'

/**
 * The ids of the workshops a SQLite store in `dataDir` holds: a server on PostgreSQL with that data
 * dir serves those it does not have as 404, so it warns of them (QA q35b); none when there is no
 * readable store.
 */
export function sqliteWorkshopIds(dataDir: string): string[] {
  const file = path.join(dataDir, DATABASE_FILE)
  if (!fs.existsSync(file)) return []
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    return z.array(z.object({ id: z.string() })).parse(db.prepare('SELECT id FROM workshops').all()).map((row) => row.id)
  } catch {
    return []
  } finally {
    db?.close()
  }
}

/**
 * SQLite's page cache for the store's connection, in KiB: SQLite's own default. better-sqlite3
 * builds SQLite with 16 MiB (SQLITE_DEFAULT_CACHE_SIZE=-16000), which a store larger than that
 * fills and keeps resident for the life of the process (issue 14: 144 vs 131 MB RSS after reading a
 * 59 MB store). Appends touch a few pages at the end of each table; a board's log read again is
 * read from the OS page cache instead (its read costs more CPU, 10–35 % of the store's part of
 * a load in docs/sync-server-targets.md's measurement).
 */
const PAGE_CACHE_KIB = 2000

/**
 * The profile migration 8 gives the accounts it creates: `AccountProfileSchema.parse({})` when it
 * was written (a default tier, no people, no criteria assessed). Written out rather than computed
 * so that loading the store does not build the account schemas (they are built on first use);
 * profiles are parsed with the schema on every read, which fills in fields added since.
 */
const MIGRATED_ACCOUNT_PROFILE =
  '{"tier":"key","keyAccountManager":"","executiveSponsor":"","segment":"","criteria":{"annualRevenue":null,"profitability":null,"growthPotential":null,"strategicImportance":null,"relativeStrength":null}}'

/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds how many ran. Append new
 * entries (never edit old ones): later issues add snapshots, token revocations, board settings.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE workshops (
     id TEXT PRIMARY KEY,
     account TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX workshops_by_created_at ON workshops (created_at);
   -- One row per stored Yjs update, or per merged state after compaction. AUTOINCREMENT keeps
   -- sequence numbers growing even after the newest rows are deleted by a compaction.
   CREATE TABLE doc_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX doc_updates_by_doc ON doc_updates (doc, seq);`,
  // Snapshots (issue 4): immutable rows; `plan` is the PlanRecord as JSON, `summary` its
  // PlanSummary (so listing parses no plans), one board_states row per board's Yjs state.
  `CREATE TABLE snapshots (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id),
     taken_at TEXT NOT NULL,
     trigger TEXT NOT NULL,
     label TEXT,
     plan TEXT NOT NULL,
     summary TEXT NOT NULL
   );
   CREATE INDEX snapshots_by_workshop ON snapshots (workshop_id, taken_at);
   CREATE TABLE snapshot_boards (
     snapshot_id TEXT NOT NULL REFERENCES snapshots (id),
     board TEXT NOT NULL,
     state BLOB NOT NULL,
     PRIMARY KEY (snapshot_id, board)
   ) WITHOUT ROWID;`,
  // Access state per workshop (docs/security.md [A4], [A6]): role generations, customer-facing
  // boards and link lifetime as one JSON object, parsed with WorkshopAccessSchema when read.
  // Workshops created before this migration get the defaults of a new workshop.
  `CREATE TABLE workshop_access (
     workshop_id TEXT PRIMARY KEY REFERENCES workshops (id),
     access TEXT NOT NULL
   ) WITHOUT ROWID;
   INSERT INTO workshop_access (workshop_id, access)
     SELECT id, '${JSON.stringify(newWorkshopAccess())}' FROM workshops;`,
  // The workshop's time zone, which decides overdue actions ([P9]); older workshops get UTC, the
  // day they were judged by before.
  `ALTER TABLE workshops ADD COLUMN time_zone TEXT NOT NULL DEFAULT '${DEFAULT_TIME_ZONE}';`,
  // What a snapshot records of access when taken (docs/security.md [A17], [A18]): SnapshotAccess as
  // JSON. Snapshots stored before have NULL, which guests read as "every board internal".
  // A workshop's archive time (issue 12); NULL while it is not archived.
  `ALTER TABLE snapshots ADD COLUMN access TEXT;
   ALTER TABLE workshops ADD COLUMN archived_at TEXT;`,
  // Board change history (issue 11, [H1]): one row per change, the BoardChange as JSON, parsed with
  // BoardChangeSchema when read. `seq` orders a board's changes (pages are cut by it); `at` serves
  // retention. Deleting a workshop deletes its history ([H8]).
  `CREATE TABLE board_changes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     board TEXT NOT NULL,
     at TEXT NOT NULL,
     change TEXT NOT NULL
   );
   CREATE INDEX board_changes_by_board ON board_changes (workshop_id, board, seq);
   CREATE INDEX board_changes_by_at ON board_changes (at);`,
  // Dot votes (issue 12): one row per vote, its settings and every ballot as one JSON object,
  // parsed with VoteRecordSchema when read; rewritten whole on each change (a vote is small).
  `CREATE TABLE votes (
     workshop_id TEXT NOT NULL REFERENCES workshops (id),
     id TEXT NOT NULL,
     created_at TEXT NOT NULL,
     vote TEXT NOT NULL,
     PRIMARY KEY (workshop_id, id)
   ) WITHOUT ROWID;`,
  // Accounts (issue 16, docs/accounts.md [K1], [K2]): one row per account, its tier, people and
  // selection criteria as one JSON object (AccountProfileSchema). Every workshop gets the account
  // named by its `account` text (ignoring case and surrounding spaces), created here with the
  // spelling of its oldest workshop; the workshop's own text stays as it was.
  `CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     profile TEXT NOT NULL,
     created_at TEXT NOT NULL,
     archived_at TEXT
   );
   CREATE UNIQUE INDEX accounts_by_name ON accounts (name COLLATE NOCASE);
   INSERT INTO accounts (id, name, profile, created_at)
     SELECT lower(hex(randomblob(12))),
            (SELECT trim(w2.account) FROM workshops w2 WHERE trim(w2.account) = trim(w.account) COLLATE NOCASE ORDER BY w2.created_at, w2.rowid LIMIT 1),
            '${MIGRATED_ACCOUNT_PROFILE}', min(w.created_at)
     FROM workshops w GROUP BY trim(w.account) COLLATE NOCASE;
   ALTER TABLE workshops ADD COLUMN account_id TEXT REFERENCES accounts (id);
   UPDATE workshops SET account_id = (SELECT a.id FROM accounts a WHERE a.name = trim(workshops.account) COLLATE NOCASE);
   CREATE INDEX workshops_by_account ON workshops (account_id, created_at);`,
  // The facilitator's timer (issue 12, [C6]): one row per workshop, its TimerState as JSON (absolute
  // server times), so a restart keeps it running to the same end.
  `CREATE TABLE workshop_timers (
     workshop_id TEXT PRIMARY KEY REFERENCES workshops (id),
     timer TEXT NOT NULL
   ) WITHOUT ROWID;`,
  // Who holds each Yjs client id a keyed participant wrote with (issue 11, docs/server-rules.md
  // [S29]): the participant is its user id and key id. `seq` orders a document's holds (a
  // participant's oldest go beyond its cap), `held_at` serves retention. Deleted with the workshop.
  `CREATE TABLE client_id_holders (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     client INTEGER NOT NULL,
     participant TEXT NOT NULL,
     held_at TEXT NOT NULL,
     UNIQUE (doc, client)
   );
   CREATE INDEX client_id_holders_by_doc ON client_id_holders (doc, seq);`,
  // [S29] Where each hold was given from (a keyed digest of the client's address), so that one
  // address cannot take every hold of a document. Holds given before have no source ('').
  `ALTER TABLE client_id_holders ADD COLUMN source TEXT NOT NULL DEFAULT '';
   CREATE INDEX client_id_holders_by_source ON client_id_holders (doc, source, seq);`,
  // Snapshot board states in a rowid table (issue 14): WITHOUT ROWID keeps each row, a board's
  // whole Yjs state of hundreds of KB, in the key's b-tree, where writing it took twice the CPU
  // (5 states of 640 KB: 6.3–7.3 ms against 3.1–3.4 ms). Same columns, key and rows.
  `CREATE TABLE snapshot_boards_rowid (
     snapshot_id TEXT NOT NULL REFERENCES snapshots (id),
     board TEXT NOT NULL,
     state BLOB NOT NULL,
     PRIMARY KEY (snapshot_id, board)
   );
   INSERT INTO snapshot_boards_rowid (snapshot_id, board, state) SELECT snapshot_id, board, state FROM snapshot_boards;
   DROP TABLE snapshot_boards;
   ALTER TABLE snapshot_boards_rowid RENAME TO snapshot_boards;`,
  // Issue 13/14: a board's internal document at a snapshot, as bytes beside its state. Snapshots
  // stored before kept it base64 in their access JSON (still read there): encoding it, checking the
  // base64 and writing it as text cost a snapshot ~5 ms and 1.3 MB of strings per workshop.
  `ALTER TABLE snapshot_boards ADD COLUMN internal_state BLOB;`,
  // The update log without AUTOINCREMENT: its counter row in sqlite_sequence was a third page in
  // every commit's WAL write (table leaf, index leaf, counter; 12.7 KB → 8.6 KB for one update), on
  // the relay's path ([S1]). A plain INTEGER PRIMARY KEY numbers a row above the highest present,
  // inside the write transaction of the one writer, so number order is still commit order, and a
  // document's numbers still only grow: a compaction keeps a row numbered `upToSeq`, so its
  // document's highest row is never deleted while it has rows. Numbers of rows deleted with their
  // workshop may be handed out again, to other documents; nothing keeps them once the room closed.
  `CREATE TABLE doc_updates_rowid (
     seq INTEGER PRIMARY KEY,
     doc TEXT NOT NULL,
     data BLOB NOT NULL
   );
   INSERT INTO doc_updates_rowid (seq, doc, data) SELECT seq, doc, data FROM doc_updates;
   DROP TABLE doc_updates;
   ALTER TABLE doc_updates_rowid RENAME TO doc_updates;
   CREATE INDEX doc_updates_by_doc ON doc_updates (doc, seq);`,
  // [H10] The journal of open changes: each writer's open change as it would be appended if it
  // closed now (the BoardChange as JSON, its `at` beside it to order a recovery), rewritten at most once per journal interval while it
  // grows, deleted in the transaction that appends it; the rows a crash leaves are appended at the
  // next start. A rowid table: a change may be large. Deleted with the workshop, like its history.
  `CREATE TABLE open_changes (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     board TEXT NOT NULL,
     at TEXT NOT NULL,
     journaled_at TEXT NOT NULL,
     change TEXT NOT NULL
   );
   CREATE INDEX open_changes_by_workshop ON open_changes (workshop_id);`,
]

const WorkshopRowSchema = z.object({
  id: z.string(),
  account: z.string(),
  title: z.string(),
  created_at: z.string(),
  // A zone this runtime does not know (written by hand, or by a newer ICU) reads as UTC rather
  // than making the workshop unreadable.
  time_zone: z.string().transform((name) => canonicalTimeZone(name) ?? DEFAULT_TIME_ZONE),
  archived_at: z.string().nullable(),
  account_id: z.string().nullable(),
})

const AccountRowSchema = z.object({ id: z.string(), name: z.string(), profile: z.string(), created_at: z.string(), archived_at: z.string().nullable() })
/** What copying a snapshot board row returns: its bytes; undefined when there was no row to copy. */
const CopiedRowSchema = z.object({ bytes: z.number() }).optional()
const AccountSnapshotRowSchema = z.object({ workshop_id: z.string(), json: z.string() })

const UpdateRowSchema = z.object({ seq: z.number().int(), data: z.instanceof(Uint8Array) })

const TextRowSchema = z.object({ json: z.string() })
const NullTextRowSchema = z.object({ json: z.null() })
const ChangeRowSchema = z.object({ seq: z.number().int(), json: z.string() })
const StateRowSchema = z.object({ state: z.instanceof(Uint8Array) })
const GenerationRowSchema = z.object({ generation: z.number().int() })
/** A client-id hold row, read as `[client, participant]`. */
const HolderRowSchema = z.object({ client: z.number().int(), participant: z.string() }).transform((row): [number, string] => [row.client, row.participant])

export type SqliteStoreOptions = {
  /**
   * `NORMAL` (default): in WAL mode a commit survives a crash or kill of the process, which is
   * what [S1] promises. `FULL` also survives power loss, at the cost of one fsync per group
   * commit (see docs/server-rules.md [S15]).
   */
  synchronous?: 'NORMAL' | 'FULL'
}

/**
 * [S15] WAL pages after which a checkpoint is due: SQLite's own default. SQLite's automatic
 * checkpoint would run inside the commit that crosses it, before that commit's updates are
 * relayed; this store runs it after the commit instead.
 */
export const CHECKPOINT_AFTER_PAGES = 1000
/** Estimated WAL pages a commit adds: ~2 for any commit (measured: the update log's table and index leaves), plus its data. */
const PAGES_PER_COMMIT = 2
/** Workshops whose generation {@link SqliteStore} keeps at most; past it the cache starts again. */
const MAX_CACHED_GENERATIONS = 10_000
const PAGE_BYTES = 4096

export class SqliteStore implements Store {
  private readonly db: Database.Database
  private readonly statements
  /** Estimated WAL pages written since the last checkpoint. */
  private walPages = 0
  private checkpointScheduled = false
  /**
   * [S37] Workshops' sensitivity generations as {@link refuseStale} read them, so that a commit does
   * not parse the access JSON again: valid while no other connection to the file has committed
   * (`PRAGMA data_version`, {@link generationsVersion}); this store's own writes of access drop theirs.
   */
  private readonly generations = new Map<string, number>()
  private generationsVersion: unknown

  /** Opens (creating if needed) `<dataDir>/keyplan.sqlite` and migrates it. */
  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    makeDataDir(dataDir)
    this.db = new Database(path.join(dataDir, DATABASE_FILE))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`)
    // [S15] checkpoints are run by walGrew, after a commit, not inside one.
    this.db.pragma('wal_autocheckpoint = 0')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma(`cache_size = -${PAGE_CACHE_KIB}`)
    // [K1] account names compare ignoring case in every script: NOCASE folds only A–Z, so
    // "Électricité" and "électricité" were two accounts (QA q28c). A function of this connection.
    this.db.function('keyplan_fold', { deterministic: true }, (name: unknown) => (typeof name === 'string' ? foldAccountName(name) : name))
    migrate(this.db)
    this.statements = {
      insertWorkshop: this.db.prepare(
        'INSERT INTO workshops (id, account, title, created_at, time_zone, account_id) VALUES (@id, @account, @title, @createdAt, @timeZone, @accountId)',
      ),
      getWorkshop: this.db.prepare('SELECT id, account, title, created_at, time_zone, archived_at, account_id FROM workshops WHERE id = ?'),
      updateWorkshop: this.db.prepare(
        `UPDATE workshops SET account = coalesce(@account, account), title = coalesce(@title, title),
           time_zone = coalesce(@timeZone, time_zone),
           archived_at = CASE WHEN @setArchived THEN @archivedAt ELSE archived_at END
         WHERE id = @id`,
      ),
      listWorkshops: this.db.prepare(
        'SELECT id, account, title, created_at, time_zone, archived_at, account_id FROM workshops ORDER BY created_at DESC, rowid DESC',
      ),
      // A document is `<workshopId>/<board>`; '0' follows '/' in ASCII, so this range is exactly the workshop's documents.
      deleteDocuments: this.db.prepare("DELETE FROM doc_updates WHERE doc >= ? || '/' AND doc < ? || '0'"),
      deleteSnapshotBoards: this.db.prepare('DELETE FROM snapshot_boards WHERE snapshot_id IN (SELECT id FROM snapshots WHERE workshop_id = ?)'),
      deleteSnapshots: this.db.prepare('DELETE FROM snapshots WHERE workshop_id = ?'),
      deleteAccess: this.db.prepare('DELETE FROM workshop_access WHERE workshop_id = ?'),
      deleteWorkshop: this.db.prepare('DELETE FROM workshops WHERE id = ?'),
      loadDocument: this.db.prepare('SELECT seq, data FROM doc_updates WHERE doc = ? ORDER BY seq'),
      appendUpdate: this.db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)'),
      // Changes when another connection commits; this connection's own commits leave it as it is.
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
      // [S37] The append of rows judged by kept generations ({@link appendByKeptGenerations}): its
      // write transaction, in which `dataVersion` is read before anything is inserted.
      beginImmediate: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      sensitivityGeneration: this.db.prepare(
        "SELECT coalesce(json_extract(access, '$.sensitivityGeneration'), 0) AS generation FROM workshop_access WHERE workshop_id = ?",
      ),
      readUpdatesSince: this.db.prepare('SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
      insertMerged: this.db.prepare('INSERT INTO doc_updates (seq, doc, data) VALUES (?, ?, ?)'),
      deleteUpTo: this.db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
      insertSnapshot: this.db.prepare(
        // The plan comes as its UTF-8 bytes (one copy, no transcoding of ~2 MB of text): stored as text.
        `INSERT INTO snapshots (id, workshop_id, taken_at, trigger, label, plan, summary, access)
         VALUES (@id, @workshopId, @takenAt, @trigger, @label, CAST(@plan AS TEXT), @summary, @access)`,
      ),
      latestSnapshot: this.db.prepare('SELECT id FROM snapshots WHERE workshop_id = ? ORDER BY taken_at DESC, rowid DESC LIMIT 1'),
      insertSnapshotBoard: this.db.prepare('INSERT INTO snapshot_boards (snapshot_id, board, state, internal_state) VALUES (?, ?, ?, ?)'),
      // Only a row of a snapshot of the same workshop; the bytes it copied count for the WAL ([S15]).
      copySnapshotBoard: this.db.prepare(
        `INSERT INTO snapshot_boards (snapshot_id, board, state, internal_state)
         SELECT @id, b.board, b.state, b.internal_state FROM snapshot_boards b JOIN snapshots s ON s.id = b.snapshot_id
         WHERE s.workshop_id = @workshopId AND s.id = @from AND b.board = @board
         RETURNING length(state) + coalesce(length(internal_state), 0) AS bytes`,
      ),
      listSnapshots: this.db.prepare(
        'SELECT summary AS json FROM snapshots WHERE workshop_id = ? ORDER BY taken_at DESC, rowid DESC',
      ),
      getSnapshot: this.db.prepare('SELECT plan AS json FROM snapshots WHERE workshop_id = ? AND id = ?'),
      getSnapshotAccess: this.db.prepare('SELECT access AS json FROM snapshots WHERE workshop_id = ? AND id = ?'),
      getSnapshotBoard: this.db.prepare(
        `SELECT b.state FROM snapshot_boards b JOIN snapshots s ON s.id = b.snapshot_id
         WHERE s.workshop_id = ? AND s.id = ? AND b.board = ?`,
      ),
      getSnapshotInternalBoard: this.db.prepare(
        `SELECT b.internal_state AS state FROM snapshot_boards b JOIN snapshots s ON s.id = b.snapshot_id
         WHERE s.workshop_id = ? AND s.id = ? AND b.board = ? AND b.internal_state IS NOT NULL`,
      ),
      insertAccess: this.db.prepare('INSERT INTO workshop_access (workshop_id, access) VALUES (?, ?)'),
      getAccess: this.db.prepare('SELECT access AS json FROM workshop_access WHERE workshop_id = ?'),
      setAccess: this.db.prepare('UPDATE workshop_access SET access = ? WHERE workshop_id = ?'),
      insertChange: this.db.prepare(
        'INSERT INTO board_changes (id, workshop_id, board, at, change) VALUES (@id, @workshopId, @board, @at, @change)',
      ),
      listChanges: this.db.prepare(
        `SELECT seq, change AS json FROM board_changes WHERE workshop_id = ? AND board = ? AND seq < ?
         ORDER BY seq DESC LIMIT ?`,
      ),
      getChange: this.db.prepare('SELECT change AS json FROM board_changes WHERE workshop_id = ? AND board = ? AND id = ?'),
      deleteWorkshopChanges: this.db.prepare('DELETE FROM board_changes WHERE workshop_id = ?'),
      // [H10] A row of a workshop deleted meanwhile is left out (the WHERE also lets the upsert parse after a SELECT).
      journalChange: this.db.prepare(
        `INSERT INTO open_changes (id, workshop_id, board, at, journaled_at, change)
         SELECT @id, @workshopId, @board, @at, @journaledAt, @change WHERE EXISTS (SELECT 1 FROM workshops WHERE id = @workshopId)
         ON CONFLICT (id) DO UPDATE SET at = excluded.at, journaled_at = excluded.journaled_at, change = excluded.change`,
      ),
      dropOpenChange: this.db.prepare('DELETE FROM open_changes WHERE id = ?'),
      deleteWorkshopOpenChanges: this.db.prepare('DELETE FROM open_changes WHERE workshop_id = ?'),
      // Oldest edit first, so that the board's list orders them as they happened. A row whose id is
      // in the history already is only deleted, as the contract says (this store appends a change
      // and deletes its row in one transaction, so there is none).
      recoverOpenChanges: this.db.prepare(
        `INSERT INTO board_changes (id, workshop_id, board, at, change)
         SELECT id, workshop_id, board, at, change FROM open_changes
         WHERE @before IS NULL OR journaled_at < @before ORDER BY at, id
         ON CONFLICT (id) DO NOTHING`,
      ),
      deleteRecoveredChanges: this.db.prepare('DELETE FROM open_changes WHERE @before IS NULL OR journaled_at < @before'),
      deleteVotes: this.db.prepare('DELETE FROM votes WHERE workshop_id = ?'),
      pruneChanges: this.db.prepare('DELETE FROM board_changes WHERE at < ?'),
      saveVote: this.db.prepare(
        'INSERT INTO votes (workshop_id, id, created_at, vote) VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, id) DO UPDATE SET vote = excluded.vote',
      ),
      replaceVote: this.db.prepare('UPDATE votes SET vote = ? WHERE workshop_id = ? AND id = ? AND vote = ?'),
      listVotes: this.db.prepare('SELECT vote AS json FROM votes WHERE workshop_id = ? ORDER BY created_at, id'),
      saveTimer: this.db.prepare('INSERT INTO workshop_timers (workshop_id, timer) VALUES (?, ?) ON CONFLICT (workshop_id) DO UPDATE SET timer = excluded.timer'),
      getTimer: this.db.prepare('SELECT timer AS json FROM workshop_timers WHERE workshop_id = ?'),
      // A missing row is idle: inserted only when idle was expected (the WHERE guards an existing row).
      replaceTimer: this.db.prepare('INSERT INTO workshop_timers (workshop_id, timer) VALUES (?, ?) ON CONFLICT (workshop_id) DO UPDATE SET timer = excluded.timer WHERE workshop_timers.timer = ?'),
      replaceStoredTimer: this.db.prepare('UPDATE workshop_timers SET timer = ? WHERE workshop_id = ? AND timer = ?'),
      deleteTimer: this.db.prepare('DELETE FROM workshop_timers WHERE workshop_id = ?'),
      insertAccount: this.db.prepare('INSERT INTO accounts (id, name, profile, created_at, archived_at) VALUES (?, ?, ?, ?, ?)'),
      getAccount: this.db.prepare('SELECT id, name, profile, created_at, archived_at FROM accounts WHERE id = ?'),
      // A scan of the accounts (hundreds), not the NOCASE index: that folds only A–Z. The oldest first.
      findAccount: this.db.prepare('SELECT id, name, profile, created_at, archived_at FROM accounts WHERE keyplan_fold(name) = keyplan_fold(?) ORDER BY created_at, rowid LIMIT 1'),
      listAccounts: this.db.prepare('SELECT id, name, profile, created_at, archived_at FROM accounts ORDER BY name COLLATE NOCASE, id'),
      setAccount: this.db.prepare('UPDATE accounts SET name = @name, profile = @profile, archived_at = @archivedAt WHERE id = @id'),
      renameAccountWorkshops: this.db.prepare('UPDATE workshops SET account = ? WHERE account_id = ?'),
      setWorkshopAccount: this.db.prepare('UPDATE workshops SET account_id = ? WHERE id = ?'),
      listAccountWorkshops: this.db.prepare(
        'SELECT id, account, title, created_at, time_zone, archived_at, account_id FROM workshops WHERE account_id = ? ORDER BY created_at DESC, rowid DESC',
      ),
      listAccountSnapshots: this.db.prepare(
        `SELECT s.workshop_id, s.summary AS json FROM snapshots s JOIN workshops w ON w.id = s.workshop_id
         WHERE w.account_id = ? ORDER BY s.taken_at DESC, s.rowid DESC`,
      ),
      setSnapshotLabel: this.db.prepare(
        `UPDATE snapshots SET label = @label, plan = json_set(plan, '$.label', @label), summary = json_set(summary, '$.label', @label)
         WHERE workshop_id = @workshopId AND id = @id`,
      ),
      deleteOneSnapshotBoards: this.db.prepare('DELETE FROM snapshot_boards WHERE snapshot_id IN (SELECT id FROM snapshots WHERE workshop_id = ? AND id = ?)'),
      deleteOneSnapshot: this.db.prepare('DELETE FROM snapshots WHERE workshop_id = ? AND id = ?'),
      deleteClientIds: this.db.prepare("DELETE FROM client_id_holders WHERE doc >= ? || '/' AND doc < ? || '0'"),
      loadClientIds: this.db.prepare('SELECT client, participant FROM client_id_holders WHERE doc = ? AND held_at >= ?'),
      expireClientIds: this.db.prepare('DELETE FROM client_id_holders WHERE doc = ? AND held_at < ?'),
      holdClientId: this.db.prepare('INSERT OR IGNORE INTO client_id_holders (doc, client, participant, held_at, source) VALUES (?, ?, ?, ?, ?)'),
      // A participant keeps its newest `max`: deletes below its max-th newest (nothing when fewer).
      trimOwnClientIds: this.db.prepare(
        `DELETE FROM client_id_holders WHERE doc = @doc AND participant = @participant
         AND seq < (SELECT seq FROM client_id_holders WHERE doc = @doc AND participant = @participant ORDER BY seq DESC LIMIT 1 OFFSET @max - 1)`,
      ),
      // A source at its quota takes no new hold: its newest beyond `max` (the ones just given) go again.
      refuseSourceClientIdsOver: this.db.prepare(
        `DELETE FROM client_id_holders WHERE seq IN (SELECT seq FROM client_id_holders WHERE doc = @doc AND source = @source ORDER BY seq DESC
         LIMIT max(0, (SELECT count(*) FROM client_id_holders WHERE doc = @doc AND source = @source) - @max))`,
      ),
      // A full document takes no new hold: the newest beyond `max` (the ones just given) go again.
      refuseClientIdsOver: this.db.prepare(
        `DELETE FROM client_id_holders WHERE seq IN (SELECT seq FROM client_id_holders WHERE doc = @doc ORDER BY seq DESC
         LIMIT max(0, (SELECT count(*) FROM client_id_holders WHERE doc = @doc) - @max))`,
      ),
      clientIdHolder: this.db.prepare('SELECT client, participant FROM client_id_holders WHERE doc = ? AND client = ?'),
    }
  }

  /** The group commit's transactions ([S2]), built once: building one per commit cost ~9 µs of a ~50 µs commit. */
  private appendTransaction: ((updates: readonly DocumentUpdate[]) => number[]) | undefined

  private readonly appendAll = (updates: readonly DocumentUpdate[]): number[] => {
    const seqs = this.appendByKeptGenerations(updates) ?? this.appendChecked(updates)
    this.walGrew(PAGES_PER_COMMIT + Math.ceil(updateBytes(updates) / PAGE_BYTES))
    return seqs
  }

  /** Appends after [S37]'s check, reading `data_version` (and, when it changed, the generations) first. */
  private appendChecked(updates: readonly DocumentUpdate[]): number[] {
    // [S37] checked first, on the one connection, with no await before the insert: nothing
    // (a change of sensitivity included) can commit in between.
    this.refuseStale(updates)
    const [only] = updates
    // One row (a commit of one room's updates, the common case) is one INSERT, a transaction of its
    // own in autocommit mode: as atomic and durable as BEGIN … COMMIT around it ([S2]), without the
    // two extra statements (~13 µs of a ~50 µs commit, on the relay's path).
    if (only !== undefined && updates.length === 1) return [Number(this.statements.appendUpdate.run(only.docName, only.update).lastInsertRowid)]
    return (this.appendTransaction ??= this.db.transaction((rows: readonly DocumentUpdate[]) =>
      rows.map((row) => Number(this.statements.appendUpdate.run(row.docName, row.update).lastInsertRowid)),
    ))(updates)
  }

  /**
   * [S37] Appends when every row was judged by the generation this store keeps for its workshop,
   * and no other connection has committed since it read them: `data_version` is read inside the
   * write transaction (BEGIN IMMEDIATE: SQLite has seen every other connection's commit, and none
   * can commit until this one ends), so the check and the write have nothing in between.
   * Undefined, having stored nothing, when that cannot be told this way: the caller checks as
   * without kept generations.
   *
   * Four prepared statements, not one INSERT whose condition reads `pragma_data_version`: that
   * table-valued pragma prepares and finalizes a `PRAGMA data_version` statement every time it is
   * read (14–24 µs of each append in the fan-out harness under perf). The BEGIN and COMMIT around a
   * prepared one cost most of that back; the net is a few µs with cold caches, as the relay's path
   * runs (docs/sync-server-targets.md, seventeenth session).
   */
  private appendByKeptGenerations(updates: readonly DocumentUpdate[]): number[] | undefined {
    const version = this.generationsVersion
    if (typeof version !== 'number' || this.db.inTransaction) return undefined
    let judged = false
    for (const row of updates) {
      if (row.sensitivityGeneration === undefined) continue
      if (this.generations.get(workshopOfRoom(row.docName)) !== row.sensitivityGeneration) return undefined
      judged = true
    }
    // Rows nobody judged (internal documents) need no check: the plain path reads nothing either.
    if (!judged) return undefined
    const { beginImmediate, dataVersion, appendUpdate, commit, rollback } = this.statements
    beginImmediate.run()
    try {
      // Another connection committed since the generations were read: nothing inserted.
      if (dataVersion.get() !== version) {
        rollback.run()
        return undefined
      }
      const seqs = updates.map((row) => Number(appendUpdate.run(row.docName, row.update).lastInsertRowid))
      commit.run()
      return seqs
    } catch (error) {
      // Nothing of a commit that failed is kept (SQLite may have rolled it back already).
      if (this.db.inTransaction) rollback.run()
      throw error
    }
  }

  /** [S37] Throws {@link SensitivityChangedError} when a row was judged by a generation other than its workshop's. */
  private refuseStale(updates: readonly DocumentUpdate[]): void {
    let stale: string[] | undefined
    let cached: boolean | undefined
    for (const row of updates) {
      if (row.sensitivityGeneration === undefined) continue
      cached ??= this.generationsCurrent()
      const stored = this.storedGeneration(workshopOfRoom(row.docName), cached)
      if (stored !== undefined && stored !== row.sensitivityGeneration) (stale ??= []).push(row.docName)
    }
    if (stale) throw new SensitivityChangedError(stale)
  }

  /**
   * Whether {@link generations} may be used now: not inside a transaction (which could still roll
   * back what it read), and emptied first when another connection has committed since it was filled.
   */
  private generationsCurrent(): boolean {
    if (this.db.inTransaction) return false
    const version: unknown = this.statements.dataVersion.get()
    if (version !== this.generationsVersion || this.generations.size > MAX_CACHED_GENERATIONS) {
      this.generations.clear()
      this.generationsVersion = version
    }
    return true
  }

  /** The stored sensitivity generation of a workshop (undefined: no such workshop). */
  private storedGeneration(workshopId: string, cached: boolean): number | undefined {
    const known = cached ? this.generations.get(workshopId) : undefined
    if (known !== undefined) return known
    const row = this.statements.sensitivityGeneration.get(workshopId)
    if (row === undefined) return undefined
    const { generation } = GenerationRowSchema.parse(row)
    if (cached) this.generations.set(workshopId, generation)
    return generation
  }

  private readonly compact = (docName: string, merged: Uint8Array, upToSeq: number): void =>
    this.write(merged.byteLength, () => {
      this.statements.deleteUpTo.run(docName, upToSeq)
      // Under the number of the last row it merged, as in PostgreSQL: a reader at or past `upToSeq`
      // is not sent it again (readUpdatesSince). The number was this document's row, deleted just
      // above and taken again here, so the document's highest number stays and later rows number above it.
      this.statements.insertMerged.run(upToSeq, docName, merged)
    })

  /**
   * Runs `run` as one transaction (every write of this store goes through here) and counts what it
   * added to the WAL: ~2 pages plus its `dataBytes`.
   */
  private write<T>(dataBytes: number, run: () => T): T {
    const result = this.db.transaction(run)()
    this.walGrew(PAGES_PER_COMMIT + Math.ceil(dataBytes / PAGE_BYTES))
    return result
  }

  /**
   * [S15] Once a checkpoint is due, runs one in a later turn: after the group commit that crossed
   * the line has relayed its updates, never inside it. PASSIVE never waits; this connection is the
   * only writer, so it copies the whole WAL back and the next commit starts the WAL over.
   */
  private walGrew(pages: number): void {
    this.walPages += pages
    if (this.walPages < CHECKPOINT_AFTER_PAGES || this.checkpointScheduled) return
    this.checkpointScheduled = true
    setImmediate(() => {
      this.checkpointScheduled = false
      if (!this.db.open) return
      this.walPages = 0
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)')
      } catch (error) {
        // Nothing is lost: the WAL keeps every commit until a later checkpoint succeeds.
        process.emitWarning(`SQLite checkpoint failed, retried after further writes: ${String(error)}`)
      }
    })
  }

  async createWorkshop(
    workshop: StoredWorkshop,
    initialUpdates: readonly DocumentUpdate[] = [],
    access: WorkshopAccess = newWorkshopAccess(),
  ): Promise<void> {
    this.insertWorkshopRows(workshop, initialUpdates, WorkshopAccessSchema.parse(access))
  }

  // [S40] settled or not the same: the one connection has no change in flight while it reads.
  async getAccess(workshopId: string, _options?: { settled?: boolean }): Promise<WorkshopAccess | undefined> {
    return this.readAccess(workshopId)
  }

  async bumpGeneration(workshopId: string, role: Role): Promise<RoleGenerations> {
    return this.updateAccess(workshopId, (access) => ({
      ...access,
      generations: { ...access.generations, [role]: access.generations[role] + 1 },
    })).generations
  }

  async setCustomerFacing(workshopId: string, changes: Partial<CustomerFacing>): Promise<CustomerFacing> {
    return this.updateAccess(workshopId, (access) => ({ ...access, customerFacing: { ...access.customerFacing, ...changes } })).customerFacing
  }

  async setSensitivity(workshopId: string, changes: SensitivityOverrides, announce?: (generation: number) => Promise<void>): Promise<SensitivityChange> {
    const changed = this.updateAccess(workshopId, (access) => ({
      ...access,
      sensitivity: changedOverrides(access.sensitivity, changes),
      sensitivityGeneration: (access.sensitivityGeneration ?? 0) + 1,
    }))
    // [S40] after the commit: one instance on SQLite, no other publishes rows ([I1]).
    await announce?.(changed.sensitivityGeneration ?? 0)
    return { generation: changed.sensitivityGeneration ?? 0, sensitivity: changed.sensitivity ?? {} }
  }

  private readAccess(workshopId: string): WorkshopAccess | undefined {
    const row = this.statements.getAccess.get(workshopId)
    return row === undefined ? undefined : parseStored('workshop access', WorkshopAccessSchema, row)
  }

  /** Read, change and write in one transaction: two revocations at once both count. */
  private updateAccess(workshopId: string, change: (access: WorkshopAccess) => WorkshopAccess): WorkshopAccess {
    return this.write(0, () => {
      const access = this.readAccess(workshopId)
      if (!access) throw new Error(`no workshop ${workshopId}`)
      const changed = WorkshopAccessSchema.parse(change(access))
      this.statements.setAccess.run(JSON.stringify(changed), workshopId)
      this.generations.delete(workshopId)
      return changed
    })
  }

  private readonly insertWorkshopRows = (
    workshop: StoredWorkshop,
    initialUpdates: readonly DocumentUpdate[],
    access: WorkshopAccess,
  ): void =>
    this.write(updateBytes(initialUpdates), () => {
      // [K2] every workshop belongs to an account: the one named, created when there is none.
      const accountId = workshop.accountId ?? this.accountNamed(workshop.account, workshop.createdAt)
      this.statements.insertWorkshop.run({ ...workshop, accountId })
      this.statements.insertAccess.run(workshop.id, JSON.stringify(access))
      this.generations.delete(workshop.id)
      for (const row of initialUpdates) this.statements.appendUpdate.run(row.docName, row.update)
    })

  /** The id of the account named `name` (ignoring case), created with default profile when there is none. Inside a write. */
  private accountNamed(name: string, createdAt: string): string {
    const found = this.statements.findAccount.get(name)
    if (found !== undefined) return AccountRowSchema.parse(found).id
    const id = randomBytes(12).toString('base64url')
    this.statements.insertAccount.run(id, name.trim(), JSON.stringify(AccountProfileSchema.parse({})), createdAt, null)
    return id
  }

  async createAccount(account: StoredAccount): Promise<void> {
    const { id, name, createdAt, archivedAt, ...profile } = account
    this.write(0, () => {
      const taken = this.statements.findAccount.get(name)
      if (taken !== undefined) throw new AccountNameTakenError(AccountRowSchema.parse(taken).name)
      this.statements.insertAccount.run(id, name, JSON.stringify(AccountProfileSchema.parse(profile)), createdAt, archivedAt ?? null)
    })
  }

  async getAccount(id: string): Promise<StoredAccount | undefined> {
    const row = this.statements.getAccount.get(id)
    return row === undefined ? undefined : toAccount(row)
  }

  async findAccountByName(name: string): Promise<StoredAccount | undefined> {
    const row = this.statements.findAccount.get(name)
    return row === undefined ? undefined : toAccount(row)
  }

  async listAccounts(): Promise<StoredAccount[]> {
    return this.statements.listAccounts.all().map(toAccount)
  }

  async updateAccount(id: string, changes: AccountChanges): Promise<StoredAccount | undefined> {
    return this.write(0, () => {
      const row = this.statements.getAccount.get(id)
      if (row === undefined) return undefined
      const before = toAccount(row)
      const { archivedAt, ...fields } = changes
      const after: StoredAccount = { ...before, ...fields }
      if (archivedAt === null) delete after.archivedAt
      else if (archivedAt !== undefined) after.archivedAt = archivedAt
      if (after.name !== before.name) {
        const other = this.statements.findAccount.get(after.name)
        const taken = other === undefined ? undefined : AccountRowSchema.parse(other)
        if (taken !== undefined && taken.id !== id) throw new AccountNameTakenError(taken.name)
        this.statements.renameAccountWorkshops.run(after.name, id)
      }
      const { id: _id, name, createdAt: _createdAt, archivedAt: archived, ...profile } = after
      this.statements.setAccount.run({ id, name, profile: JSON.stringify(AccountProfileSchema.parse(profile)), archivedAt: archived ?? null })
      return after
    })
  }

  async listAccountWorkshops(accountId: string): Promise<StoredWorkshop[]> {
    return this.statements.listAccountWorkshops.all(accountId).map(toWorkshop)
  }

  async listAccountSnapshots(accountId: string): Promise<AccountSnapshot[]> {
    return this.statements.listAccountSnapshots.all(accountId).map((row) => {
      const parsed = AccountSnapshotRowSchema.parse(row)
      return { workshopId: parsed.workshop_id, summary: parseStored('snapshot summary', PlanSummarySchema, parsed) }
    })
  }

  async setSnapshotLabel(workshopId: string, snapshotId: string, label: string | null): Promise<boolean> {
    return this.write(0, () => this.statements.setSnapshotLabel.run({ workshopId, id: snapshotId, label }).changes > 0)
  }

  async deleteSnapshot(workshopId: string, snapshotId: string): Promise<boolean> {
    return this.write(0, () => {
      this.statements.deleteOneSnapshotBoards.run(workshopId, snapshotId)
      return this.statements.deleteOneSnapshot.run(workshopId, snapshotId).changes > 0
    })
  }

  async getWorkshop(id: string): Promise<StoredWorkshop | undefined> {
    const row = this.statements.getWorkshop.get(id)
    return row === undefined ? undefined : toWorkshop(row)
  }

  async updateWorkshop(id: string, changes: WorkshopChanges): Promise<StoredWorkshop | undefined> {
    const changed = this.write(0, () => {
      const count = this.statements.updateWorkshop.run({
        id,
        account: changes.account ?? null,
        title: changes.title ?? null,
        timeZone: changes.timeZone ?? null,
        setArchived: changes.archivedAt === undefined ? 0 : 1,
        archivedAt: changes.archivedAt ?? null,
      }).changes
      // [K2] a workshop given another account name moves to that account (created if need be).
      if (count > 0 && changes.account !== undefined) this.statements.setWorkshopAccount.run(this.accountNamed(changes.account, new Date().toISOString()), id)
      return count
    })
    return changed === 0 ? undefined : this.getWorkshop(id)
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    return this.write(0, () => {
      this.statements.deleteDocuments.run(id, id)
      this.statements.deleteSnapshotBoards.run(id)
      this.statements.deleteSnapshots.run(id)
      this.statements.deleteAccess.run(id)
      this.generations.delete(id)
      this.statements.deleteWorkshopChanges.run(id)
      this.statements.deleteWorkshopOpenChanges.run(id)
      this.statements.deleteVotes.run(id)
      this.statements.deleteTimer.run(id)
      this.statements.deleteClientIds.run(id, id)
      return this.statements.deleteWorkshop.run(id).changes > 0
    })
  }

  async listWorkshops(): Promise<StoredWorkshop[]> {
    return this.statements.listWorkshops.all().map(toWorkshop)
  }

  async loadDocument(docName: string): Promise<PersistedDocument> {
    const { seqs: _, ...loaded } = toPersisted(this.statements.loadDocument.all(docName), 0)
    return loaded
  }

  async readUpdatesSince(docName: string, afterSeq: number): Promise<UpdatesSince> {
    return toPersisted(this.statements.readUpdatesSince.all(docName, afterSeq), afterSeq)
  }

  async appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]> {
    if (updates.length === 0) return []
    return this.appendAll(updates)
  }

  async compactDocument(docName: string, merged: Uint8Array, upToSeq: number): Promise<void> {
    this.compact(docName, merged, upToSeq)
  }

  async loadClientIdHolders(docName: string, since: string): Promise<Map<number, string>> {
    return new Map(this.statements.loadClientIds.all(docName, since).map((row) => HolderRowSchema.parse(row)))
  }

  async holdClientIds(docName: string, clients: readonly number[], holder: ClientIdHolder | null, bounds: ClientIdHoldBounds): Promise<Map<number, string>> {
    return this.write(0, () => {
      this.statements.expireClientIds.run(docName, bounds.since)
      if (holder !== null) {
        const { participant, source } = holder
        const at = new Date().toISOString()
        let gave = 0
        for (const client of clients) gave += this.statements.holdClientId.run(docName, client, participant, at, source).changes
        if (gave > 0) {
          this.statements.trimOwnClientIds.run({ doc: docName, participant, max: bounds.maxPerParticipant })
          this.statements.refuseSourceClientIdsOver.run({ doc: docName, source, max: bounds.maxPerSource })
          this.statements.refuseClientIdsOver.run({ doc: docName, max: bounds.max })
        }
      }
      return new Map(clients.flatMap((client) => this.statements.clientIdHolder.all(docName, client)).map((row) => HolderRowSchema.parse(row)))
    })
  }

  async insertSnapshot(snapshot: NewSnapshot): Promise<void> {
    // [S18] validated before it is stored: an invalid record never reaches the table.
    const plan = checkPlanRecord(snapshot.plan)
    const access = snapshot.access ? SnapshotAccessSchema.parse(snapshot.access) : null
    this.insertSnapshotRows(plan, snapshotBoardRows(snapshot), snapshot.copied, access)
  }

  async insertSnapshotIfLatest(snapshot: NewSnapshot, latestId: string | null): Promise<boolean> {
    const plan = checkPlanRecord(snapshot.plan)
    const access = snapshot.access ? SnapshotAccessSchema.parse(snapshot.access) : null
    return this.insertSnapshotRows(plan, snapshotBoardRows(snapshot), snapshot.copied, access, latestId)
  }

  /**
   * Inserts in one transaction, the copied boards' rows copied from their source there; with
   * `latestId` given, only if it is still the newest ([I3]).
   */
  private readonly insertSnapshotRows = (
    { plan, utf8 }: CheckedPlanRecord,
    boards: ReturnType<typeof snapshotBoardRows>,
    copied: NewSnapshot['copied'],
    access: SnapshotAccess | null,
    latestId?: string | null,
  ): boolean => {
    const stateBytes = boards.reduce((n, [, state, internal]) => n + state.byteLength + (internal?.byteLength ?? 0), 0)
    let copiedBytes = 0
    const stored = this.write(stateBytes, () => {
      if (latestId !== undefined) {
        const latest = this.statements.latestSnapshot.get(plan.workshopId) as { id: string } | undefined // the statement selects one text column
        if ((latest?.id ?? null) !== latestId) return false
      }
      this.statements.insertSnapshot.run({
        id: plan.id,
        workshopId: plan.workshopId,
        takenAt: plan.takenAt,
        trigger: plan.trigger,
        label: plan.label,
        plan: utf8(),
        summary: JSON.stringify(summarizePlan(plan)),
        access: access ? JSON.stringify(access) : null,
      })
      for (const [board, state, internal] of boards) this.statements.insertSnapshotBoard.run(plan.id, board, state, internal)
      if (copied) {
        const missing: BoardId[] = []
        for (const board of copied.boards) {
          const row = CopiedRowSchema.parse(this.statements.copySnapshotBoard.get({ id: plan.id, workshopId: plan.workshopId, from: copied.from, board }))
          if (row) copiedBytes += row.bytes
          else missing.push(board)
        }
        // Thrown inside the transaction: it rolls back, nothing of this snapshot is stored.
        if (missing.length > 0) throw new SnapshotCopySourceError(plan.id, copied.from, missing)
      }
      return true
    })
    this.walGrew(Math.ceil(copiedBytes / PAGE_BYTES))
    return stored
  }

  async listSnapshots(workshopId: string): Promise<PlanSummary[]> {
    return this.statements.listSnapshots.all(workshopId).map((row) => parseStored('snapshot summary', PlanSummarySchema, row))
  }

  async getSnapshot(workshopId: string, snapshotId: string): Promise<PlanRecord | undefined> {
    const row = this.statements.getSnapshot.get(workshopId, snapshotId)
    // Records stored by an older plan schema are upgraded first (version 1 had no votes).
    return row === undefined ? undefined : parseStored(`snapshot ${snapshotId}`, PlanRecordSchema, row, migratePlanRecord)
  }

  async getSnapshotAccess(workshopId: string, snapshotId: string): Promise<SnapshotAccess | null | undefined> {
    const row = this.statements.getSnapshotAccess.get(workshopId, snapshotId)
    if (row === undefined) return undefined
    if (NullTextRowSchema.safeParse(row).success) return null
    return parseStored(`snapshot ${snapshotId} access`, SnapshotAccessSchema, row)
  }

  async getSnapshotBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined> {
    const row = this.statements.getSnapshotBoard.get(workshopId, snapshotId, board)
    return row === undefined ? undefined : StateRowSchema.parse(row).state
  }

  async getSnapshotInternalBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined> {
    const row = this.statements.getSnapshotInternalBoard.get(workshopId, snapshotId, board)
    return row === undefined ? undefined : StateRowSchema.parse(row).state
  }

  async appendChange(change: BoardChange): Promise<void> {
    // [H1] validated before it is stored, like a snapshot ([S18]).
    const valid = BoardChangeSchema.parse(change)
    const json = JSON.stringify(valid)
    this.write(json.length, () => {
      this.statements.insertChange.run({ id: valid.id, workshopId: valid.workshopId, board: valid.board, at: valid.at, change: json })
      this.statements.dropOpenChange.run(valid.id)
    })
  }

  async journalOpenChanges(changes: readonly BoardChange[], journaledAt: string): Promise<void> {
    const rows = changes.map((change) => {
      const valid = BoardChangeSchema.parse(change)
      return { id: valid.id, workshopId: valid.workshopId, board: valid.board, at: valid.at, journaledAt, change: JSON.stringify(valid) }
    })
    if (rows.length === 0) return
    this.write(
      rows.reduce((n, row) => n + row.change.length, 0),
      () => {
        for (const row of rows) this.statements.journalChange.run(row)
      },
    )
  }

  async dropOpenChanges(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    this.write(0, () => {
      for (const id of ids) this.statements.dropOpenChange.run(id)
    })
  }

  async recoverOpenChanges(staleBefore?: string): Promise<number> {
    const before = staleBefore ?? null
    return this.write(0, () => {
      const recovered = this.statements.recoverOpenChanges.run({ before }).changes
      this.statements.deleteRecoveredChanges.run({ before })
      return recovered
    })
  }

  async listChanges(workshopId: string, board: BoardId, page: { cursor?: string | undefined; limit: number }): Promise<ChangePage> {
    const before = page.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(page.cursor)
    // One row more than asked tells whether there is a next page.
    const rows = this.statements.listChanges.all(workshopId, board, before, page.limit + 1).map((row) => ChangeRowSchema.parse(row))
    return changePage(rows, page.limit, (row) => parseStored(`change at ${row.seq}`, BoardChangeSchema, row))
  }

  async getChange(workshopId: string, board: BoardId, changeId: string): Promise<BoardChange | undefined> {
    const row = this.statements.getChange.get(workshopId, board, changeId)
    return row === undefined ? undefined : parseStored(`change ${changeId}`, BoardChangeSchema, row)
  }

  async deleteWorkshopChanges(workshopId: string): Promise<number> {
    return this.write(0, () => {
      this.statements.deleteWorkshopOpenChanges.run(workshopId)
      return this.statements.deleteWorkshopChanges.run(workshopId).changes
    })
  }

  async pruneChanges(before: string): Promise<number> {
    return this.write(0, () => this.statements.pruneChanges.run(before).changes)
  }

  async saveVote(vote: VoteRecord): Promise<void> {
    const parsed = VoteRecordSchema.parse(vote)
    const json = JSON.stringify(parsed)
    this.write(json.length, () => this.statements.saveVote.run(parsed.workshopId, parsed.id, parsed.createdAt, json))
  }

  async replaceVote(expected: VoteRecord, next: VoteRecord): Promise<boolean> {
    const parsed = VoteRecordSchema.parse(next)
    const json = JSON.stringify(parsed)
    // Compared as JSON values, as stored: written by JSON.stringify of the schema's parse, in its key order.
    const was = JSON.stringify(VoteRecordSchema.parse(expected))
    return this.write(json.length, () => this.statements.replaceVote.run(json, parsed.workshopId, parsed.id, was).changes === 1)
  }

  async listVotes(workshopId: string): Promise<VoteRecord[]> {
    return this.statements.listVotes.all(workshopId).map((row) => parseStored('vote', VoteRecordSchema, row))
  }

  async saveTimer(workshopId: string, timer: TimerState): Promise<void> {
    const json = JSON.stringify(TimerStateSchema.parse(timer))
    this.write(json.length, () => this.statements.saveTimer.run(workshopId, json))
  }

  async replaceTimer(workshopId: string, expected: TimerState, next: TimerState): Promise<boolean> {
    const json = JSON.stringify(TimerStateSchema.parse(next))
    // Compared as stored: JSON.stringify of the schema's parse, in its key order.
    const was = JSON.stringify(TimerStateSchema.parse(expected))
    return this.write(json.length, () =>
      expected.status === 'idle'
        ? this.statements.replaceTimer.run(workshopId, json, was).changes === 1
        : this.statements.replaceStoredTimer.run(json, workshopId, was).changes === 1,
    )
  }

  async getTimer(workshopId: string): Promise<TimerState> {
    const row = this.statements.getTimer.get(workshopId)
    return row === undefined ? { status: 'idle' } : parseStored('timer', TimerStateSchema, row)
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}

function updateBytes(updates: readonly DocumentUpdate[]): number {
  return updates.reduce((n, row) => n + row.update.byteLength, 0)
}

/** Update rows read back, validated. */
function toPersisted(rows: unknown[], afterSeq: number): UpdatesSince {
  return updatesSince(rows.map((row) => UpdateRowSchema.parse(row)), afterSeq)
}

function toWorkshop(row: unknown): StoredWorkshop {
  const parsed = WorkshopRowSchema.parse(row)
  return {
    id: parsed.id,
    account: parsed.account,
    title: parsed.title,
    createdAt: parsed.created_at,
    timeZone: parsed.time_zone,
    ...(parsed.archived_at === null ? {} : { archivedAt: parsed.archived_at }),
    ...(parsed.account_id === null ? {} : { accountId: parsed.account_id }),
  }
}

function toAccount(row: unknown): StoredAccount {
  const parsed = AccountRowSchema.parse(row)
  const profile = parseStored(`account ${parsed.id}`, AccountProfileSchema, { json: parsed.profile })
  return {
    id: parsed.id,
    name: parsed.name,
    createdAt: parsed.created_at,
    ...profile,
    ...(parsed.archived_at === null ? {} : { archivedAt: parsed.archived_at }),
  }
}

/** Parses a JSON text column with `schema`; anything wrong is a {@link CorruptRecordError}. */
function parseStored<S extends z.ZodType>(what: string, schema: S, row: unknown, upgrade: (value: unknown) => unknown = (v) => v): z.infer<S> {
  const { json } = TextRowSchema.parse(row)
  let value: unknown
  try {
    value = upgrade(JSON.parse(json))
  } catch {
    throw new CorruptRecordError(what, 'not JSON')
  }
  return parseStoredValue(what, schema, value)
}

function migrate(db: Database.Database): void {
  const current = z.number().int().parse(db.pragma('user_version', { simple: true }))
  if (current > MIGRATIONS.length) {
    throw new Error(`${DATABASE_FILE} has schema version ${current}, newer than this server (${MIGRATIONS.length})`)
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '')
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
