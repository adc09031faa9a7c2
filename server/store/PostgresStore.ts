/**
 * The PostgreSQL store (`DATABASE_URL`), for several instances sharing one database. Same contract
 * as the SQLite store (`test/integration/store-contract.ts`); what differs is how a board's log is
 * numbered and compacted so that several writers, in several processes, can share it:
 *
 * - **Sequence numbers are per document**, handed out by the document's `doc_heads` row, which
 *   the appending transaction updates before inserting its rows. Writers of one document thus
 *   take turns on that row lock and commit in sequence order: whoever sees sequence number N sees
 *   every row below N ({@link PostgresStore.readUpdatesSince} can catch up from any N).
 * - **Compaction is fenced**: it locks the same row, refuses an `upToSeq` beyond the head, deletes
 *   rows `<= upToSeq` and stores the merged state under `upToSeq`. Rows appended by other writers
 *   after the compactor read the log were numbered after the head it read, so they are kept.
 *
 * Commits are durable when the promise resolves (PostgreSQL's default `synchronous_commit = on`).
 * Decision record: `docs/decisions/003-postgres-store.md`.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { z } from 'zod'
import { AccountProfileSchema } from '../../shared/accounts.ts'
import { foldAccountName } from '../../shared/api.ts'
import { workshopOfRoom } from '../../shared/protocol.ts'
import type { BoardId } from '../../shared/boards.ts'
import { BoardChangeSchema, type BoardChange } from '../../shared/historyApi.ts'
import { PlanRecordSchema, PlanSummarySchema, migratePlanRecord, summarizePlan, type PlanRecord, type PlanSummary } from '../../shared/plan.ts'
import type { CustomerFacing, Role } from '../../shared/roles.ts'
import { DEFAULT_TIME_ZONE, canonicalTimeZone } from '../../shared/timeZone.ts'
import { VoteRecordSchema, type VoteRecord } from '../../shared/votes.ts'
import { TimerStateSchema, type TimerState } from '../../shared/control.ts'
import type { RoleGenerations } from '../auth/tokens.ts'
import { changedOverrides, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { WorkshopAccessSchema, newWorkshopAccess, type SensitivityChange, type WorkshopAccess } from '../auth/WorkshopAccess.ts'
import { SnapshotAccessSchema, type SnapshotAccess } from '../snapshot/snapshotAccess.ts'
import { migratePostgres } from './postgresSchema.ts'
import {
  AccountNameTakenError,
  CorruptRecordError,
  FencedError,
  SensitivityChangedError,
  SnapshotCopySourceError,
  type AccountChanges,
  type AccountSnapshot,
  type ChangePage,
  type ClientIdHoldBounds,
  type ClientIdHolder,
  type CompactionLease,
  type CompactionLeases,
  type DocumentUpdate,
  type NewSnapshot,
  type PersistedDocument,
  type PresenceRow,
  type SharedPresence,
  type Store,
  type StoredAccount,
  type StoredWorkshop,
  type UpdatesSince,
  type WorkshopChanges,
  WorkshopDeletedError,
} from './Store.ts'
import { checkPlanRecord } from './planRecord.ts'
import { changePage, parseStoredValue, snapshotBoardRows, updatesSince } from './storedRows.ts'

/** PostgreSQL `bigint` arrives as a string (it may exceed 2^53); ours stay far below. */
const BigintSchema = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

const WorkshopRowSchema = z.object({
  id: z.string(),
  account: z.string(),
  title: z.string(),
  created_at: z.date(),
  // A zone this runtime does not know reads as UTC rather than making the workshop unreadable.
  time_zone: z.string().transform((name) => canonicalTimeZone(name) ?? DEFAULT_TIME_ZONE),
  archived_at: z.date().nullable(),
  account_id: z.string().nullable(),
})
const AccountRowSchema = z.object({ id: z.string(), name: z.string(), json: z.unknown(), created_at: z.date(), archived_at: z.date().nullable() })
const IdRowSchema = z.object({ id: z.string() })
const AccountSnapshotRowSchema = z.object({ workshop_id: z.string(), json: z.unknown() })
const LabelRowSchema = z.object({ plan: z.unknown(), summary: z.unknown() })
const UpdateRowSchema = z.object({ seq: BigintSchema, data: z.instanceof(Uint8Array) })
const HeadRowSchema = z.object({ last_seq: BigintSchema })
const EpochRowSchema = z.object({ epoch: BigintSchema })
const GenerationRowSchema = z.object({ id: z.string(), generation: BigintSchema })
const AppendedRowSchema = z.object({ ord: BigintSchema, seq: BigintSchema })
const JsonRowSchema = z.object({ json: z.unknown() })
const ChangeRowSchema = z.object({ seq: BigintSchema, json: z.unknown() })
const StateRowSchema = z.object({ state: z.instanceof(Uint8Array) })
/** A client-id hold row, read as `[client, participant]`. */
const HolderRowSchema = z.object({ client: BigintSchema, participant: z.string() }).transform((row): [number, string] => [row.client, row.participant])
const PresenceRowSchema = z.object({ doc: z.string(), instance: z.string(), update: z.instanceof(Uint8Array) })

const WORKSHOP_COLUMNS = 'id, account, title, created_at, time_zone, archived_at, account_id'
const ACCOUNT_COLUMNS = 'id, name, profile AS json, created_at, archived_at'
/** [K1] names are compared as `foldAccountName` folds them, its result stored as `name_key` (the unique index is on it). */
const ACCOUNT_NAMED = 'name_key = $1'
/** The unique index on account names: a violation of it is a taken name. */
const ACCOUNT_NAME_INDEX = 'accounts_by_name'

/** A fenced compaction idle this long inside its transaction (its instance paused) is ended by the server. */
const IDLE_IN_COMPACTION_MS = 10_000

/**
 * How long a deleted workshop's id is kept to refuse writes of rooms other instances still have
 * open ([S36]): far longer than any room outlives its workshop's deletion (its connections are
 * closed within the access poll, [A24]), short enough that nothing of it is kept for good.
 */
const DELETED_WORKSHOP_FENCE_MS = 24 * 60 * 60 * 1000

/** Most rows per append statement: 4 parameters each, PostgreSQL allows 65,535. */
const MAX_ROWS_PER_STATEMENT = 10_000
/** Appends of up to this many rows use a prepared statement per size (group commits are small). */
const MAX_PREPARED_APPEND_ROWS = 32

type Queryable = Pick<pg.PoolClient, 'query'>

export class PostgresStore implements Store, CompactionLeases, SharedPresence {
  private constructor(private readonly pool: pg.Pool) {}

  /**
   * Connects to `connectionString` (a `postgres://` URL) and migrates the database
   * (`PG_MIGRATIONS`, once even when several instances start together).
   *
   * @example `const store = await PostgresStore.open(process.env.DATABASE_URL)`
   */
  static async open(connectionString: string): Promise<PostgresStore> {
    // A database that cannot be reached fails the call after 10 s of connecting (a failed commit
    // closes the room's connections, [S1]) instead of queuing it for ever; TCP keepalive notices a
    // database that went away under an open connection.
    const pool = new pg.Pool({ connectionString, application_name: 'keyplan', connectionTimeoutMillis: 10_000, keepAlive: true })
    // An idle connection that breaks (database restarted) must not crash the process; the pool
    // replaces it, and queries in flight reject on their own.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`))
    try {
      await migratePostgres(pool)
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PostgresStore(pool)
  }

  /** Runs `run` in one transaction on one connection. */
  private async transaction<T>(run: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    // A connection that breaks while checked out (the server ended the session, e.g. a fenced
    // compaction idle too long in its transaction) emits 'error' here, not on the pool: without a
    // listener that would crash the process. The query in flight rejects on its own.
    let broken: Error | undefined
    const onError = (error: Error) => {
      broken = error
    }
    client.on('error', onError)
    try {
      await client.query('BEGIN')
      const result = await run(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      // A broken connection cannot roll back; the server aborts its transaction anyway.
      if (!broken) await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.off('error', onError)
      // A broken connection is discarded, not given back to the pool.
      client.release(broken)
    }
  }

  async createWorkshop(
    workshop: StoredWorkshop,
    initialUpdates: readonly DocumentUpdate[] = [],
    access: WorkshopAccess = newWorkshopAccess(),
  ): Promise<void> {
    const checked = WorkshopAccessSchema.parse(access)
    await this.transaction(async (client) => {
      // [K2] every workshop belongs to an account: the one named, created when there is none.
      const accountId = workshop.accountId ?? (await accountNamed(client, workshop.account, workshop.createdAt))
      await client.query(
        'INSERT INTO workshops (id, account, title, created_at, time_zone, account_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [workshop.id, workshop.account, workshop.title, workshop.createdAt, workshop.timeZone, accountId],
      )
      await client.query('INSERT INTO workshop_access (workshop_id, access) VALUES ($1, $2)', [workshop.id, JSON.stringify(checked)])
      // [S36] an id deleted once and created again (an import) is written to again.
      await client.query('DELETE FROM deleted_workshops WHERE id = $1', [workshop.id])
      if (initialUpdates.length > 0) await appendRows(client, initialUpdates)
    })
  }

  /** The query {@link reachable} has out, shared by the calls meanwhile. */
  #reaching: Promise<boolean> | undefined

  reachable(timeoutMs: number): Promise<boolean> {
    if (this.#reaching) return this.#reaching
    const query = this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    )
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    // Forgotten only once the query itself settles: a database that hangs gets one query, not one per call.
    this.#reaching = Promise.race([query, timedOut]).finally(() => clearTimeout(timer))
    void query.finally(() => (this.#reaching = undefined))
    return this.#reaching
  }

  async claimDeploymentKeys(keys: readonly { kid: string; fingerprint: string }[]): Promise<string[]> {
    return this.transaction(async (client) => {
      for (const { kid, fingerprint } of keys) {
        await client.query('INSERT INTO deployment_keys (kid, fingerprint) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [kid, fingerprint])
      }
      const { rows } = await client.query('SELECT kid, fingerprint FROM deployment_keys WHERE kid = ANY($1)', [keys.map((key) => key.kid)])
      const stored = new Map(z.array(z.object({ kid: z.string(), fingerprint: z.string() })).parse(rows).map((row) => [row.kid, row.fingerprint]))
      return keys.filter((key) => stored.get(key.kid) !== key.fingerprint).map((key) => key.kid)
    })
  }

  async getWorkshop(id: string): Promise<StoredWorkshop | undefined> {
    const { rows } = await this.pool.query({ name: 'get-workshop', text: `SELECT ${WORKSHOP_COLUMNS} FROM workshops WHERE id = $1`, values: [id] })
    return rows[0] === undefined ? undefined : toWorkshop(rows[0])
  }

  async listWorkshops(): Promise<StoredWorkshop[]> {
    const { rows } = await this.pool.query(`SELECT ${WORKSHOP_COLUMNS} FROM workshops ORDER BY created_at DESC, inserted DESC`)
    return rows.map(toWorkshop)
  }

  async updateWorkshop(id: string, changes: WorkshopChanges): Promise<StoredWorkshop | undefined> {
    return this.transaction(async (client) => {
      const { rows } = await client.query(
        `UPDATE workshops SET account = coalesce($2, account), title = coalesce($3, title), time_zone = coalesce($4, time_zone),
           archived_at = CASE WHEN $5 THEN $6::timestamptz ELSE archived_at END
         WHERE id = $1 RETURNING ${WORKSHOP_COLUMNS}`,
        [id, changes.account ?? null, changes.title ?? null, changes.timeZone ?? null, changes.archivedAt !== undefined, changes.archivedAt ?? null],
      )
      if (rows[0] === undefined) return undefined
      const changed = toWorkshop(rows[0])
      if (changes.account === undefined) return changed
      // [K2] a workshop given another account name moves to that account (created if need be).
      const accountId = await accountNamed(client, changes.account, new Date().toISOString())
      await client.query('UPDATE workshops SET account_id = $2 WHERE id = $1', [id, accountId])
      return { ...changed, accountId }
    })
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      // [S36] the workshop's row first: appends of its documents lock it too (before their heads),
      // so one in flight commits before this deletes what it wrote, and one after it is refused.
      const existing = await client.query('SELECT id FROM workshops WHERE id = $1 FOR UPDATE', [id])
      if (existing.rows.length > 0) {
        await client.query(
          'INSERT INTO deleted_workshops (id, deleted_at) VALUES ($1, now()) ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at',
          [id],
        )
      }
      await client.query(`DELETE FROM deleted_workshops WHERE deleted_at < now() - $1 * interval '1 millisecond'`, [DELETED_WORKSHOP_FENCE_MS])
      await client.query(`DELETE FROM board_presence WHERE starts_with(doc, $1 || '/')`, [id])
      // A document is `<workshopId>/<board>`. Its head goes too, taken under the head's lock like
      // any write of the log; the rows are found through the heads (every logged document has
      // one), by key rather than by a text range, whose order depends on the collation.
      await client.query(
        `WITH gone AS (DELETE FROM doc_heads WHERE starts_with(doc, $1 || '/') RETURNING doc)
         DELETE FROM doc_updates WHERE doc IN (SELECT doc FROM gone)`,
        [id],
      )
      await client.query(`DELETE FROM compaction_leases WHERE starts_with(doc, $1 || '/')`, [id])
      await client.query('DELETE FROM snapshot_boards WHERE snapshot_id IN (SELECT id FROM snapshots WHERE workshop_id = $1)', [id])
      await client.query('DELETE FROM snapshots WHERE workshop_id = $1', [id])
      await client.query('DELETE FROM workshop_access WHERE workshop_id = $1', [id])
      await client.query('DELETE FROM board_changes WHERE workshop_id = $1', [id])
      await client.query('DELETE FROM open_changes WHERE workshop_id = $1', [id])
      await client.query('DELETE FROM votes WHERE workshop_id = $1', [id])
      await client.query('DELETE FROM workshop_timers WHERE workshop_id = $1', [id])
      await client.query(`DELETE FROM client_id_holders WHERE starts_with(doc, $1 || '/')`, [id])
      const { rowCount } = await client.query('DELETE FROM workshops WHERE id = $1', [id])
      return (rowCount ?? 0) > 0
    })
  }

  async getAccess(workshopId: string, options?: { settled?: boolean }): Promise<WorkshopAccess | undefined> {
    // [S40] settled: the share lock waits for a change's transaction (FOR UPDATE) and reads what it committed.
    const { rows } = await this.pool.query(
      options?.settled
        ? { name: 'get-access-settled', text: 'SELECT access AS json FROM workshop_access WHERE workshop_id = $1 FOR SHARE', values: [workshopId] }
        : { name: 'get-access', text: 'SELECT access AS json FROM workshop_access WHERE workshop_id = $1', values: [workshopId] },
    )
    return rows[0] === undefined ? undefined : parseStored('workshop access', WorkshopAccessSchema, rows[0])
  }

  async bumpGeneration(workshopId: string, role: Role): Promise<RoleGenerations> {
    const changed = await this.updateAccess(workshopId, (access) => ({
      ...access,
      generations: { ...access.generations, [role]: access.generations[role] + 1 },
    }))
    return changed.generations
  }

  async setCustomerFacing(workshopId: string, changes: Partial<CustomerFacing>): Promise<CustomerFacing> {
    const changed = await this.updateAccess(workshopId, (access) => ({ ...access, customerFacing: { ...access.customerFacing, ...changes } }))
    return changed.customerFacing
  }

  async setSensitivity(workshopId: string, changes: SensitivityOverrides, announce?: (generation: number) => Promise<void>): Promise<SensitivityChange> {
    // [S37] under the row's lock, which appends of the workshop's shared documents share. [S40]
    // announced before the commit, the lock still held: a row published from then on carries the
    // new generation, and a receiver's settled read of it waits for this commit.
    const changed = await this.updateAccess(
      workshopId,
      (access) => ({
        ...access,
        sensitivity: changedOverrides(access.sensitivity, changes),
        sensitivityGeneration: (access.sensitivityGeneration ?? 0) + 1,
      }),
      announce && ((written) => announce(written.sensitivityGeneration ?? 0)),
    )
    return { generation: changed.sensitivityGeneration ?? 0, sensitivity: changed.sensitivity ?? {} }
  }

  /**
   * Read, change and write under the row's lock: two revocations at once, on any instances, both
   * count. `beforeCommit` runs once the change is written, the lock still held.
   */
  private updateAccess(
    workshopId: string,
    change: (access: WorkshopAccess) => WorkshopAccess,
    beforeCommit?: (changed: WorkshopAccess) => Promise<void>,
  ): Promise<WorkshopAccess> {
    return this.transaction(async (client) => {
      const { rows } = await client.query('SELECT access AS json FROM workshop_access WHERE workshop_id = $1 FOR UPDATE', [workshopId])
      if (rows[0] === undefined) throw new Error(`no workshop ${workshopId}`)
      const changed = WorkshopAccessSchema.parse(change(parseStored('workshop access', WorkshopAccessSchema, rows[0])))
      await client.query('UPDATE workshop_access SET access = $1 WHERE workshop_id = $2', [JSON.stringify(changed), workshopId])
      await beforeCommit?.(changed)
      return changed
    })
  }

  async loadDocument(docName: string): Promise<PersistedDocument> {
    const { rows } = await this.pool.query({
      name: 'load-document',
      text: 'SELECT seq, data FROM doc_updates WHERE doc = $1 ORDER BY seq',
      values: [docName],
    })
    const { seqs: _, ...loaded } = toPersisted(rows, 0)
    return loaded
  }

  async readUpdatesSince(docName: string, afterSeq: number): Promise<UpdatesSince> {
    const { rows } = await this.pool.query({
      name: 'read-updates-since',
      text: 'SELECT seq, data FROM doc_updates WHERE doc = $1 AND seq > $2 ORDER BY seq',
      values: [docName, afterSeq],
    })
    return toPersisted(rows, afterSeq)
  }

  async appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]> {
    if (updates.length === 0) return []
    // One statement is its own transaction: one round trip for a group commit of any size.
    if (updates.length <= MAX_ROWS_PER_STATEMENT) return appendRows(this.pool, updates)
    return this.transaction(async (client) => {
      const seqs: number[] = []
      for (let start = 0; start < updates.length; start += MAX_ROWS_PER_STATEMENT) {
        seqs.push(...(await appendRows(client, updates.slice(start, start + MAX_ROWS_PER_STATEMENT))))
      }
      return seqs
    })
  }

  async compactDocument(docName: string, merged: Uint8Array, upToSeq: number): Promise<void> {
    await this.compact(docName, merged, upToSeq)
  }

  async acquireCompactionLease(docName: string, owner: string, ttlMs: number): Promise<number | undefined> {
    // Taken when free, expired, or already ours; every acquisition bumps the epoch, which fences
    // off whatever an earlier holder (or an earlier acquisition of ours) still has in flight.
    // [S36] not for a document of a deleted workshop: the lease row would outlive it.
    const { rows } = await this.pool.query({
      name: 'acquire-compaction-lease',
      text: `WITH ${deletedWorkshopsCte('SELECT $1::text AS doc')}
             INSERT INTO compaction_leases (doc, owner, epoch, expires_at)
             SELECT $1, $2, 1, now() + $3::double precision * interval '1 millisecond' WHERE NOT EXISTS (SELECT 1 FROM refused)
             ON CONFLICT (doc) DO UPDATE SET owner = excluded.owner, epoch = compaction_leases.epoch + 1, expires_at = excluded.expires_at
             WHERE compaction_leases.expires_at < clock_timestamp() OR compaction_leases.owner = excluded.owner
             RETURNING epoch`,
      values: [docName, owner, ttlMs],
    })
    return rows[0] === undefined ? undefined : EpochRowSchema.parse(rows[0]).epoch
  }

  async compactDocumentFenced(docName: string, merged: Uint8Array, upToSeq: number, lease: CompactionLease): Promise<void> {
    await this.compact(docName, merged, upToSeq, lease)
  }

  async releaseCompactionLease(docName: string, owner: string, epoch: number): Promise<void> {
    await this.pool.query({
      name: 'release-compaction-lease',
      text: `UPDATE compaction_leases SET expires_at = '-infinity' WHERE doc = $1 AND owner = $2 AND epoch = $3`,
      values: [docName, owner, epoch],
    })
  }

  private async compact(docName: string, merged: Uint8Array, upToSeq: number, lease?: CompactionLease): Promise<void> {
    if (!Number.isSafeInteger(upToSeq) || upToSeq < 1) throw new RangeError(`compaction of ${docName} up to ${upToSeq}: not a sequence number`)
    await this.transaction(async (client) => {
      if (lease) {
        // A holder paused inside this transaction must not keep the board's lock for ever: the
        // server ends the session and its transaction rolls back.
        await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${IDLE_IN_COMPACTION_MS}`)
        // The fence, first: the lease row stays locked until commit, so a takeover waits for this
        // compaction or, if it came first, this finds a newer epoch and deletes nothing.
        const renewed = await client.query(
          `UPDATE compaction_leases SET expires_at = now() + $4 * interval '1 millisecond'
           WHERE doc = $1 AND owner = $2 AND epoch = $3 RETURNING epoch`,
          [docName, lease.owner, lease.epoch, lease.ttlMs],
        )
        if (renewed.rows.length === 0) throw new FencedError(docName, lease.epoch)
      }
      // The board's lock: appends of this document wait until the compaction has committed.
      const { rows } = await client.query('SELECT last_seq FROM doc_heads WHERE doc = $1 FOR UPDATE', [docName])
      const head = rows[0] === undefined ? 0 : HeadRowSchema.parse(rows[0]).last_seq
      // Fence: a compactor cannot claim to have merged rows that were never appended; taking its
      // word would also put the merged row after rows appended later.
      if (upToSeq > head) throw new RangeError(`compaction of ${docName} up to ${upToSeq}, but its log ends at ${head}`)
      await client.query('DELETE FROM doc_updates WHERE doc = $1 AND seq <= $2', [docName, upToSeq])
      await client.query('INSERT INTO doc_updates (doc, seq, data) VALUES ($1, $2, $3)', [docName, upToSeq, merged])
    })
  }

  async loadClientIdHolders(docName: string, since: string): Promise<Map<number, string>> {
    const { rows } = await this.pool.query({
      name: 'load-client-id-holders',
      text: 'SELECT client, participant FROM client_id_holders WHERE doc = $1 AND held_at >= $2',
      values: [docName, since],
    })
    return new Map(rows.map((row) => HolderRowSchema.parse(row)))
  }

  async holdClientIds(docName: string, clients: readonly number[], holder: ClientIdHolder | null, bounds: ClientIdHoldBounds): Promise<Map<number, string>> {
    // In client order: two instances giving overlapping ids take their row locks in one order.
    const ids = [...clients].sort((a, b) => a - b)
    return this.transaction(async (client) => {
      await client.query('DELETE FROM client_id_holders WHERE doc = $1 AND held_at < $2', [docName, bounds.since])
      if (holder !== null) {
        const { participant, source } = holder
        // An id another transaction is giving waits for it here, then is left to whoever won.
        const { rowCount } = await client.query(
          `INSERT INTO client_id_holders (doc, client, participant, source) SELECT $1, c, $2, $4 FROM unnest($3::bigint[]) AS c
           ON CONFLICT (doc, client) DO NOTHING`,
          [docName, participant, ids, source],
        )
        if ((rowCount ?? 0) > 0) {
          // The participant keeps its newest `maxPerParticipant`; a source at its quota and a full
          // document take no new hold (the newest beyond it, the ones just given, go again), so
          // nobody evicts another.
          await client.query(
            `DELETE FROM client_id_holders WHERE doc = $1 AND participant = $2
             AND seq < (SELECT seq FROM client_id_holders WHERE doc = $1 AND participant = $2 ORDER BY seq DESC OFFSET $3 - 1 LIMIT 1)`,
            [docName, participant, bounds.maxPerParticipant],
          )
          await client.query(
            `DELETE FROM client_id_holders WHERE doc = $1 AND seq IN (SELECT seq FROM client_id_holders WHERE doc = $1 AND source = $2 ORDER BY seq DESC
             LIMIT GREATEST(0, (SELECT count(*) FROM client_id_holders WHERE doc = $1 AND source = $2) - $3))`,
            [docName, source, bounds.maxPerSource],
          )
          await client.query(
            `DELETE FROM client_id_holders WHERE doc = $1 AND seq IN (SELECT seq FROM client_id_holders WHERE doc = $1 ORDER BY seq DESC
             LIMIT GREATEST(0, (SELECT count(*) FROM client_id_holders WHERE doc = $1) - $2))`,
            [docName, bounds.max],
          )
        }
      }
      // A new snapshot (read committed): it sees the winner of any id given at the same time.
      const { rows } = await client.query('SELECT client, participant FROM client_id_holders WHERE doc = $1 AND client = ANY($2::bigint[])', [docName, ids])
      return new Map(rows.map((row) => HolderRowSchema.parse(row)))
    })
  }

  async insertSnapshot(snapshot: NewSnapshot): Promise<void> {
    await this.insertSnapshotChecked(snapshot, undefined)
  }

  async insertSnapshotIfLatest(snapshot: NewSnapshot, latestId: string | null): Promise<boolean> {
    return this.insertSnapshotChecked(snapshot, latestId)
  }

  /**
   * Inserts in one transaction, the copied boards' rows copied from their source there; with
   * `latestId` given, only if it is still the newest ([I3]).
   */
  private async insertSnapshotChecked(snapshot: NewSnapshot, latestId: string | null | undefined): Promise<boolean> {
    // [S18] validated before it is stored: an invalid record never reaches the table.
    const { plan, json } = checkPlanRecord(snapshot.plan)
    const access = snapshot.access ? SnapshotAccessSchema.parse(snapshot.access) : null
    const boards = snapshotBoardRows(snapshot)
    return this.transaction(async (client) => {
      // [I3] every insert of a workshop's snapshots takes its turn here, until commit, so the newest
      // read below cannot change before this insert commits (on any instance).
      await client.query("SELECT pg_advisory_xact_lock(hashtext('keyplan:snapshots'), hashtext($1))", [plan.workshopId])
      if (latestId !== undefined) {
        const { rows } = await client.query('SELECT id FROM snapshots WHERE workshop_id = $1 ORDER BY taken_at DESC, inserted DESC LIMIT 1', [plan.workshopId])
        const latest = z.object({ id: z.string() }).optional().parse(rows[0])
        if ((latest?.id ?? null) !== latestId) return false
      }
      await client.query(
        `INSERT INTO snapshots (id, workshop_id, taken_at, trigger, plan, summary, access) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          plan.id,
          plan.workshopId,
          plan.takenAt,
          plan.trigger,
          json,
          JSON.stringify(summarizePlan(plan)),
          access ? JSON.stringify(access) : null,
        ],
      )
      for (const [board, state, internal] of boards) {
        await client.query('INSERT INTO snapshot_boards (snapshot_id, board, state, internal_state) VALUES ($1, $2, $3, $4)', [plan.id, board, state, internal])
      }
      const copied = snapshot.copied
      if (copied && copied.boards.length > 0) {
        // Only rows of a snapshot of the same workshop; the bytes never leave the database.
        const { rows } = await client.query(
          `INSERT INTO snapshot_boards (snapshot_id, board, state, internal_state)
           SELECT $1, b.board, b.state, b.internal_state FROM snapshot_boards b JOIN snapshots s ON s.id = b.snapshot_id
           WHERE s.workshop_id = $2 AND s.id = $3 AND b.board = ANY($4::text[])
           RETURNING board`,
          [plan.id, plan.workshopId, copied.from, copied.boards],
        )
        const found = new Set(rows.map((row) => z.object({ board: z.string() }).parse(row).board))
        const missing = copied.boards.filter((board) => !found.has(board))
        // Thrown inside the transaction: it rolls back, nothing of this snapshot is stored.
        if (missing.length > 0) throw new SnapshotCopySourceError(plan.id, copied.from, missing)
      }
      return true
    })
  }

  async listSnapshots(workshopId: string): Promise<PlanSummary[]> {
    const { rows } = await this.pool.query(
      'SELECT summary AS json FROM snapshots WHERE workshop_id = $1 ORDER BY taken_at DESC, inserted DESC',
      [workshopId],
    )
    return rows.map((row) => parseStored('snapshot summary', PlanSummarySchema, row))
  }

  async getSnapshot(workshopId: string, snapshotId: string): Promise<PlanRecord | undefined> {
    const { rows } = await this.pool.query('SELECT plan AS json FROM snapshots WHERE workshop_id = $1 AND id = $2', [workshopId, snapshotId])
    return rows[0] === undefined ? undefined : parseStored(`snapshot ${snapshotId}`, PlanRecordSchema, rows[0], migratePlanRecord) // version 1 had no votes
  }

  async getSnapshotAccess(workshopId: string, snapshotId: string): Promise<SnapshotAccess | null | undefined> {
    const { rows } = await this.pool.query('SELECT access AS json FROM snapshots WHERE workshop_id = $1 AND id = $2', [workshopId, snapshotId])
    if (rows[0] === undefined) return undefined
    // NULL: stored before snapshots recorded access ([A17]).
    if (JsonRowSchema.parse(rows[0]).json === null) return null
    return parseStored(`snapshot ${snapshotId} access`, SnapshotAccessSchema, rows[0])
  }

  async getSnapshotBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined> {
    const { rows } = await this.pool.query(
      `SELECT b.state FROM snapshot_boards b JOIN snapshots s ON s.id = b.snapshot_id
       WHERE s.workshop_id = $1 AND s.id = $2 AND b.board = $3`,
      [workshopId, snapshotId, board],
    )
    return rows[0] === undefined ? undefined : StateRowSchema.parse(rows[0]).state
  }

  async getSnapshotInternalBoard(workshopId: string, snapshotId: string, board: BoardId): Promise<Uint8Array | undefined> {
    const { rows } = await this.pool.query(
      `SELECT b.internal_state AS state FROM snapshot_boards b JOIN snapshots s ON s.id = b.snapshot_id
       WHERE s.workshop_id = $1 AND s.id = $2 AND b.board = $3 AND b.internal_state IS NOT NULL`,
      [workshopId, snapshotId, board],
    )
    return rows[0] === undefined ? undefined : StateRowSchema.parse(rows[0]).state
  }

  async appendChange(change: BoardChange): Promise<void> {
    // [H1] validated before it is stored, like a snapshot ([S18]).
    const valid = BoardChangeSchema.parse(change)
    // [H10] One statement: its journal row goes only if the change is stored.
    await this.pool.query({
      name: 'append-change',
      text: `WITH journaled AS (DELETE FROM open_changes WHERE id = $1)
             INSERT INTO board_changes (id, workshop_id, board, at, change) VALUES ($1, $2, $3, $4, $5)`,
      values: [valid.id, valid.workshopId, valid.board, valid.at, JSON.stringify(valid)],
    })
  }

  async journalOpenChanges(changes: readonly BoardChange[], journaledAt: string): Promise<void> {
    // One row per id (an upsert may not touch a row twice in one statement): the last given wins.
    const byId = new Map(changes.map((change) => [change.id, BoardChangeSchema.parse(change)]))
    if (byId.size === 0) return
    const rows = [...byId.values()]
    // One statement for the batch; a row of a workshop deleted meanwhile is left out.
    await this.pool.query({
      name: 'journal-open-changes',
      text: `INSERT INTO open_changes (id, workshop_id, board, at, journaled_at, change)
             SELECT c.id, c.workshop_id, c.board, c.at, $5, c.change
             FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $6::json[]) AS c (id, workshop_id, board, at, change)
             WHERE EXISTS (SELECT 1 FROM workshops w WHERE w.id = c.workshop_id)
             ON CONFLICT (id) DO UPDATE SET at = excluded.at, journaled_at = excluded.journaled_at, change = excluded.change`,
      values: [
        rows.map((c) => c.id),
        rows.map((c) => c.workshopId),
        rows.map((c) => c.board),
        rows.map((c) => c.at),
        journaledAt,
        rows.map((c) => JSON.stringify(c)),
      ],
    })
  }

  async dropOpenChanges(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.pool.query({ name: 'drop-open-changes', text: 'DELETE FROM open_changes WHERE id = ANY($1::text[])', values: [ids] })
  }

  async recoverOpenChanges(staleBefore?: string): Promise<number> {
    // One statement: of two instances recovering at once, the second waits for the first's row
    // locks and then finds the rows gone. Oldest edit first, so the board's list orders them as they
    // happened; a row whose id is in the history already (journaled again by an instance that was
    // alive after all) only goes.
    const { rowCount } = await this.pool.query({
      name: 'recover-open-changes',
      text: `WITH moved AS (
               DELETE FROM open_changes WHERE $1::timestamptz IS NULL OR journaled_at < $1::timestamptz
               RETURNING id, workshop_id, board, at, change
             )
             INSERT INTO board_changes (id, workshop_id, board, at, change)
             SELECT id, workshop_id, board, at, change FROM moved ORDER BY at, id
             ON CONFLICT (id) DO NOTHING`,
      values: [staleBefore ?? null],
    })
    return rowCount ?? 0
  }

  async listChanges(workshopId: string, board: BoardId, page: { cursor?: string | undefined; limit: number }): Promise<ChangePage> {
    const before = page.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(page.cursor)
    // One row more than asked tells whether there is a next page.
    const { rows } = await this.pool.query({
      name: 'list-changes',
      text: `SELECT seq, change AS json FROM board_changes WHERE workshop_id = $1 AND board = $2 AND seq < $3
             ORDER BY seq DESC LIMIT $4`,
      values: [workshopId, board, before, page.limit + 1],
    })
    return changePage(
      rows.map((row) => ChangeRowSchema.parse(row)),
      page.limit,
      (row) => parseStored(`change at ${row.seq}`, BoardChangeSchema, row),
    )
  }

  async getChange(workshopId: string, board: BoardId, changeId: string): Promise<BoardChange | undefined> {
    const { rows } = await this.pool.query({
      name: 'get-change',
      text: 'SELECT change AS json FROM board_changes WHERE workshop_id = $1 AND board = $2 AND id = $3',
      values: [workshopId, board, changeId],
    })
    return rows[0] === undefined ? undefined : parseStored(`change ${changeId}`, BoardChangeSchema, rows[0])
  }

  async deleteWorkshopChanges(workshopId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      'WITH journaled AS (DELETE FROM open_changes WHERE workshop_id = $1) DELETE FROM board_changes WHERE workshop_id = $1',
      [workshopId],
    )
    return rowCount ?? 0
  }

  async pruneChanges(before: string): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM board_changes WHERE at < $1', [before])
    return rowCount ?? 0
  }

  async saveVote(vote: VoteRecord): Promise<void> {
    const parsed = VoteRecordSchema.parse(vote)
    await this.pool.query(
      `INSERT INTO votes (workshop_id, id, created_at, vote) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workshop_id, id) DO UPDATE SET vote = excluded.vote`,
      [parsed.workshopId, parsed.id, parsed.createdAt, JSON.stringify(parsed)],
    )
  }

  async replaceVote(expected: VoteRecord, next: VoteRecord): Promise<boolean> {
    const parsed = VoteRecordSchema.parse(next)
    const { rowCount } = await this.pool.query('UPDATE votes SET vote = $3 WHERE workshop_id = $1 AND id = $2 AND vote::jsonb = $4::jsonb', [
      parsed.workshopId,
      parsed.id,
      JSON.stringify(parsed),
      JSON.stringify(expected),
    ])
    return rowCount === 1
  }

  async listVotes(workshopId: string): Promise<VoteRecord[]> {
    const { rows } = await this.pool.query('SELECT vote AS json FROM votes WHERE workshop_id = $1 ORDER BY created_at, id', [workshopId])
    return rows.map((row) => parseStored('vote', VoteRecordSchema, row))
  }

  async saveTimer(workshopId: string, timer: TimerState): Promise<void> {
    await this.pool.query(
      `INSERT INTO workshop_timers (workshop_id, timer) VALUES ($1, $2)
       ON CONFLICT (workshop_id) DO UPDATE SET timer = excluded.timer`,
      [workshopId, JSON.stringify(TimerStateSchema.parse(timer))],
    )
  }

  async replaceTimer(workshopId: string, expected: TimerState, next: TimerState): Promise<boolean> {
    const json = JSON.stringify(TimerStateSchema.parse(next))
    const was = JSON.stringify(TimerStateSchema.parse(expected))
    // A missing row is idle: inserted only when idle was expected (the WHERE guards an existing row).
    const { rowCount } =
      expected.status === 'idle'
        ? await this.pool.query(
            `INSERT INTO workshop_timers (workshop_id, timer) VALUES ($1, $2)
             ON CONFLICT (workshop_id) DO UPDATE SET timer = excluded.timer WHERE workshop_timers.timer::jsonb = $3::jsonb`,
            [workshopId, json, was],
          )
        : await this.pool.query('UPDATE workshop_timers SET timer = $2 WHERE workshop_id = $1 AND timer::jsonb = $3::jsonb', [workshopId, json, was])
    return rowCount === 1
  }

  async getTimer(workshopId: string): Promise<TimerState> {
    const { rows } = await this.pool.query('SELECT timer AS json FROM workshop_timers WHERE workshop_id = $1', [workshopId])
    return rows[0] === undefined ? { status: 'idle' } : parseStored('timer', TimerStateSchema, rows[0])
  }

  async createAccount(account: StoredAccount): Promise<void> {
    const { id, name, createdAt, archivedAt, ...profile } = account
    const checked = AccountProfileSchema.parse(profile)
    await this.pool
      .query('INSERT INTO accounts (id, name, name_key, profile, created_at, archived_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        name,
        foldAccountName(name),
        JSON.stringify(checked),
        createdAt,
        archivedAt ?? null,
      ])
      .catch((error: unknown) => this.rethrowNameTaken(error, name))
  }

  /**
   * A unique violation of the account name index is {@link AccountNameTakenError}, naming the account
   * as it is stored (the names match ignoring case); anything else is rethrown.
   */
  private async rethrowNameTaken(error: unknown, name: string): Promise<never> {
    if (!(error instanceof pg.DatabaseError && error.code === '23505' && error.constraint === ACCOUNT_NAME_INDEX)) throw error
    const taken = await this.findAccountByName(name).catch(() => undefined)
    throw new AccountNameTakenError(taken?.name ?? name)
  }

  async getAccount(id: string): Promise<StoredAccount | undefined> {
    const { rows } = await this.pool.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id])
    return rows[0] === undefined ? undefined : toAccount(rows[0])
  }

  async findAccountByName(name: string): Promise<StoredAccount | undefined> {
    const { rows } = await this.pool.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE ${ACCOUNT_NAMED}`, [foldAccountName(name)])
    return rows[0] === undefined ? undefined : toAccount(rows[0])
  }

  async listAccounts(): Promise<StoredAccount[]> {
    // By name ignoring case, in code point order like SQLite's NOCASE, whatever the database's collation.
    const { rows } = await this.pool.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY lower(name) COLLATE "C", id COLLATE "C"`)
    return rows.map(toAccount)
  }

  async updateAccount(id: string, changes: AccountChanges): Promise<StoredAccount | undefined> {
    return this.transaction(async (client) => {
      const { rows } = await client.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE`, [id])
      if (rows[0] === undefined) return undefined
      const before = toAccount(rows[0])
      const { archivedAt, ...fields } = changes
      const after: StoredAccount = { ...before, ...fields }
      if (archivedAt === null) delete after.archivedAt
      else if (archivedAt !== undefined) after.archivedAt = archivedAt
      const { id: _id, name, createdAt: _createdAt, archivedAt: archived, ...profile } = after
      await client
        .query('UPDATE accounts SET name = $2, name_key = $3, profile = $4, archived_at = $5 WHERE id = $1', [
          id,
          name,
          foldAccountName(name),
          JSON.stringify(AccountProfileSchema.parse(profile)),
          archived ?? null,
        ])
        .catch((error: unknown) => this.rethrowNameTaken(error, name))
      // [K2] a new name is written into its workshops.
      if (name !== before.name) await client.query('UPDATE workshops SET account = $1 WHERE account_id = $2', [name, id])
      return after
    })
  }

  async listAccountWorkshops(accountId: string): Promise<StoredWorkshop[]> {
    const { rows } = await this.pool.query(
      `SELECT ${WORKSHOP_COLUMNS} FROM workshops WHERE account_id = $1 ORDER BY created_at DESC, inserted DESC`,
      [accountId],
    )
    return rows.map(toWorkshop)
  }

  async listAccountSnapshots(accountId: string): Promise<AccountSnapshot[]> {
    const { rows } = await this.pool.query(
      `SELECT s.workshop_id, s.summary AS json FROM snapshots s JOIN workshops w ON w.id = s.workshop_id
       WHERE w.account_id = $1 ORDER BY s.taken_at DESC, s.inserted DESC`,
      [accountId],
    )
    return rows.map((row) => {
      const parsed = AccountSnapshotRowSchema.parse(row)
      return { workshopId: parsed.workshop_id, summary: parseStored('snapshot summary', PlanSummarySchema, parsed) }
    })
  }

  async setSnapshotLabel(workshopId: string, snapshotId: string, label: string | null): Promise<boolean> {
    return this.transaction(async (client) => {
      // Changed here rather than with jsonb_set: the `json` columns may hold \u0000, which jsonb refuses.
      const { rows } = await client.query('SELECT plan, summary FROM snapshots WHERE workshop_id = $1 AND id = $2 FOR UPDATE', [
        workshopId,
        snapshotId,
      ])
      if (rows[0] === undefined) return false
      const { plan, summary } = LabelRowSchema.parse(rows[0])
      await client.query('UPDATE snapshots SET plan = $3, summary = $4 WHERE workshop_id = $1 AND id = $2', [
        workshopId,
        snapshotId,
        JSON.stringify(withLabel(`snapshot ${snapshotId}`, plan, label)),
        JSON.stringify(withLabel(`snapshot ${snapshotId} summary`, summary, label)),
      ])
      return true
    })
  }

  async deleteSnapshot(workshopId: string, snapshotId: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('DELETE FROM snapshot_boards WHERE snapshot_id IN (SELECT id FROM snapshots WHERE workshop_id = $1 AND id = $2)', [
        workshopId,
        snapshotId,
      ])
      const { rowCount } = await client.query('DELETE FROM snapshots WHERE workshop_id = $1 AND id = $2', [workshopId, snapshotId])
      return (rowCount ?? 0) > 0
    })
  }

  async writePresence(instance: string, rows: readonly Omit<PresenceRow, 'instance'>[], ttlMs: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM board_presence WHERE instance = $1 OR expires_at < now()', [instance])
      if (rows.length === 0) return
      const values: unknown[] = [instance, ttlMs]
      const tuples = rows.map((row, i) => {
        values.push(row.docName, row.update)
        return `($${2 * i + 3}::text, $1::text, $${2 * i + 4}::bytea, now() + $2::double precision * interval '1 millisecond')`
      })
      await client.query(`INSERT INTO board_presence (doc, instance, update, expires_at) VALUES ${tuples.join(', ')}`, values)
    })
  }

  async readPresence(docNames: readonly string[], instance: string): Promise<PresenceRow[]> {
    if (docNames.length === 0) return []
    const { rows } = await this.pool.query({
      name: 'read-presence',
      text: 'SELECT doc, instance, update FROM board_presence WHERE doc = ANY($1::text[]) AND instance <> $2 AND expires_at > now()',
      values: [docNames, instance],
    })
    return rows.map((row) => {
      const parsed = PresenceRowSchema.parse(row)
      return { docName: parsed.doc, instance: parsed.instance, update: parsed.update }
    })
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }
}

/**
 * The id of the account named `name` (ignoring case and surrounding spaces), created with the
 * default profile when there is none. Inside a transaction: an account another instance creates
 * at the same moment is found, not duplicated (the insert waits for it and then does nothing).
 */
async function accountNamed(client: Queryable, name: string, createdAt: string): Promise<string> {
  const key = foldAccountName(name)
  const find = () => client.query(`SELECT id FROM accounts WHERE ${ACCOUNT_NAMED}`, [key])
  const found = await find()
  if (found.rows[0] !== undefined) return IdRowSchema.parse(found.rows[0]).id
  const inserted = await client.query(
    `INSERT INTO accounts (id, name, name_key, profile, created_at) VALUES ($1, trim($2), $3, $4, $5) ON CONFLICT (name_key) DO NOTHING RETURNING id`,
    [randomBytes(12).toString('base64url'), name, key, JSON.stringify(AccountProfileSchema.parse({})), createdAt],
  )
  // Nothing inserted: another transaction committed that name meanwhile; this statement sees it.
  const row = inserted.rows[0] ?? (await find()).rows[0]
  if (row === undefined) throw new Error(`no account named ${JSON.stringify(name)}`)
  return IdRowSchema.parse(row).id
}


/** A stored plan record or summary with its label set, as SQLite's `json_set` does. */
function withLabel(what: string, stored: unknown, label: string | null): Record<string, unknown> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw new CorruptRecordError(what, 'not an object')
  return { ...stored, label }
}

/**
 * Appends `updates` (at most {@link MAX_ROWS_PER_STATEMENT}) in one statement and returns their
 * sequence numbers in input order. The statement first advances each document's head by its
 * number of rows (creating the head of a new document), in document order so that two writers
 * never wait for each other's heads in a cycle, then inserts the rows numbered below the new heads.
 * Update bytes travel as binary parameters, not hex text.
 */
async function appendRows(db: Queryable, updates: readonly DocumentUpdate[]): Promise<number[]> {
  const values: unknown[] = []
  const tuples = updates.map((row, i) => {
    values.push(i, row.docName, row.update, row.sensitivityGeneration ?? null)
    return `($${4 * i + 1}::integer, $${4 * i + 2}::text, $${4 * i + 3}::bytea, $${4 * i + 4}::bigint)`
  })
  // [S36] nothing is written when a row's workshop is deleted: `refused` is then not empty.
  // [S37] nor when a row was judged by a sensitivity generation other than its workshop's: the
  // access row is read under a share lock (after the workshop's), which a change's update waits
  // for, and which waits for a change in flight and then reads what it committed.
  const text = `WITH input (ord, doc, data, judged) AS (VALUES ${tuples.join(', ')}),
    ${deletedWorkshopsCte('SELECT doc FROM input')},
    judged AS (SELECT DISTINCT split_part(doc, '/', 1) AS id, judged FROM input WHERE judged IS NOT NULL),
    generations AS MATERIALIZED (
      SELECT workshop_id AS id, coalesce((access->>'sensitivityGeneration')::bigint, 0) AS generation FROM workshop_access
      WHERE workshop_id IN (SELECT id FROM judged) AND workshop_id IN (SELECT id FROM held) ORDER BY workshop_id FOR SHARE
    ),
    stale AS (SELECT j.id FROM judged j JOIN generations g ON g.id = j.id WHERE g.generation <> j.judged),
    counts AS (SELECT doc, count(*) AS n FROM input WHERE NOT EXISTS (SELECT 1 FROM refused) AND NOT EXISTS (SELECT 1 FROM stale) GROUP BY doc),
    heads AS (
      INSERT INTO doc_heads (doc, last_seq) SELECT doc, n FROM counts ORDER BY doc
      ON CONFLICT (doc) DO UPDATE SET last_seq = doc_heads.last_seq + excluded.last_seq
      RETURNING doc, last_seq
    ),
    numbered AS (
      SELECT i.ord, i.doc, i.data, h.last_seq - c.n + row_number() OVER (PARTITION BY i.doc ORDER BY i.ord) AS seq
      FROM input i JOIN counts c ON c.doc = i.doc JOIN heads h ON h.doc = i.doc
    ),
    inserted AS (INSERT INTO doc_updates (doc, seq, data) SELECT doc, seq, data FROM numbered)
    SELECT ord, seq FROM numbered ORDER BY ord`
  const name = updates.length <= MAX_PREPARED_APPEND_ROWS ? `append-${updates.length}` : undefined
  const { rows } = await db.query(name === undefined ? { text, values } : { name, text, values })
  const appended = rows.map((row) => AppendedRowSchema.parse(row))
  if (appended.length === 0) {
    await refuseDeleted(db, updates)
    await refuseStale(db, updates)
  }
  if (appended.length !== updates.length) throw new Error(`appended ${appended.length} of ${updates.length} updates`)
  return appended.map((row) => row.seq)
}

/**
 * SQL of common table expressions ending in `refused`: the deleted workshops among those of the
 * documents `docs` (a query of a `doc` column) ([S36]). Deleted is tombstoned in
 * `deleted_workshops`, or seen by this statement but gone when it came to lock the row (a delete
 * committed meanwhile). The workshop rows it does lock (`FOR KEY SHARE`, until commit) make a
 * delete wait until this write has committed, and the delete then removes what it wrote. A
 * document of a workshop that was never stored (store tests) is not refused.
 */
function deletedWorkshopsCte(docs: string): string {
  return `owners AS (SELECT DISTINCT split_part(doc, '/', 1) AS id FROM (${docs}) AS d),
    seen AS (SELECT id FROM workshops WHERE id IN (SELECT id FROM owners)),
    held AS MATERIALIZED (SELECT id FROM workshops WHERE id IN (SELECT id FROM owners) ORDER BY id FOR KEY SHARE),
    refused AS (
      SELECT id FROM deleted_workshops WHERE id IN (SELECT id FROM owners)
      UNION SELECT id FROM seen WHERE id NOT IN (SELECT id FROM held)
    )`
}

/** An append stored nothing: throws {@link WorkshopDeletedError} naming the documents of deleted workshops. */
async function refuseDeleted(db: Queryable, updates: readonly DocumentUpdate[]): Promise<void> {
  const owners = [...new Set(updates.map((row) => workshopOfRoom(row.docName)))]
  // A new statement sees the delete that refused the append committed, tombstone and all.
  const { rows } = await db.query('SELECT id FROM deleted_workshops WHERE id = ANY($1::text[])', [owners])
  const deleted = new Set(rows.map((row) => IdRowSchema.parse(row).id))
  if (deleted.size === 0) return
  throw new WorkshopDeletedError(updates.map((row) => row.docName).filter((docName) => deleted.has(workshopOfRoom(docName))))
}

/** [S37] An append stored nothing: throws {@link SensitivityChangedError} naming the rows judged by an older generation. */
async function refuseStale(db: Queryable, updates: readonly DocumentUpdate[]): Promise<void> {
  const judged = updates.filter((row) => row.sensitivityGeneration !== undefined)
  if (judged.length === 0) return
  const owners = [...new Set(judged.map((row) => workshopOfRoom(row.docName)))]
  // A new statement sees the change that refused the append committed.
  const { rows } = await db.query(
    `SELECT workshop_id AS id, coalesce((access->>'sensitivityGeneration')::bigint, 0) AS generation FROM workshop_access WHERE workshop_id = ANY($1::text[])`,
    [owners],
  )
  const stored = new Map(rows.map((row) => GenerationRowSchema.parse(row)).map((row) => [row.id, row.generation]))
  const stale = judged.filter((row) => stored.has(workshopOfRoom(row.docName)) && stored.get(workshopOfRoom(row.docName)) !== row.sensitivityGeneration)
  if (stale.length > 0) throw new SensitivityChangedError(stale.map((row) => row.docName))
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
    createdAt: parsed.created_at.toISOString(),
    timeZone: parsed.time_zone,
    ...(parsed.archived_at === null ? {} : { archivedAt: parsed.archived_at.toISOString() }),
    ...(parsed.account_id === null ? {} : { accountId: parsed.account_id }),
  }
}

function toAccount(row: unknown): StoredAccount {
  const parsed = AccountRowSchema.parse(row)
  const profile = parseStored(`account ${parsed.id}`, AccountProfileSchema, parsed)
  return {
    id: parsed.id,
    name: parsed.name,
    createdAt: parsed.created_at.toISOString(),
    ...profile,
    ...(parsed.archived_at === null ? {} : { archivedAt: parsed.archived_at.toISOString() }),
  }
}

/** Parses a `jsonb` column (already JSON-decoded by the driver) with `schema`; anything wrong is a {@link CorruptRecordError}. */
function parseStored<S extends z.ZodType>(what: string, schema: S, row: unknown, upgrade: (value: unknown) => unknown = (v) => v): z.infer<S> {
  return parseStoredValue(what, schema, upgrade(JsonRowSchema.parse(row).json))
}
