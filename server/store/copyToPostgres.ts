/**
 * Moving a single instance to PostgreSQL (deploy/README.md, "Coming from a single instance"):
 * copies every workshop of a SQLite data dir, with its account, boards (their whole update logs),
 * snapshots, history, votes, timer and client-id holds, into a PostgreSQL database, in one
 * transaction. Nothing is changed in the SQLite file. Run with the single instance stopped (its data
 * dir's lock is taken, [S38]) and before people work on the copied workshops on the deployment.
 *
 * - Workshops already in the database (copied before) stop the copy before anything is written.
 * - An account whose name the database already has (ignoring case and spacing, [K1]) is not copied:
 *   its workshops join that account, which keeps its own profile.
 * - A board's log keeps its rows in order, numbered from 1 as PostgreSQL numbers each document's
 *   rows (its `doc_heads` row holds the last number); snapshots, history and holds keep their order.
 * - Times, JSON (plans, access, changes, votes) and bytes are copied as stored: the same links,
 *   signed with the same `KEYPLAN_TOKEN_SECRET`, open the same workshops.
 * - Open changes a crash left in the history's journal ([H10]) are copied as stored changes, after
 *   the others, as the single instance's next start would have stored them.
 */
import Database from 'better-sqlite3'
import type pg from 'pg'
import path from 'node:path'
import fs from 'node:fs'
import { z } from 'zod'
import { foldAccountName } from '../../shared/api.ts'
import { migratePostgres } from './postgresSchema.ts'
import { DATABASE_FILE, MIGRATIONS, SqliteStore } from './SqliteStore.ts'

/** What was copied, table by table. */
export type CopyReport = {
  workshops: number
  archivedWorkshops: number
  accounts: number
  /** Accounts of the SQLite file whose name the database already had: their workshops joined those. */
  accountsMerged: string[]
  boardLogs: number
  updates: number
  snapshots: number
  snapshotBoards: number
  changes: number
  votes: number
  timers: number
  clientIdHolds: number
}

/** A copy refused before anything was written: its message says why, in a sentence. */
export class CopyRefused extends Error {}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters, and a few MB of board updates at most. */
const BATCH = 200

const text = z.string()
const nullableText = z.string().nullable()
const WorkshopRow = z.object({ id: text, account: text, title: text, created_at: text, time_zone: text, archived_at: nullableText, account_id: nullableText })
const AccountRow = z.object({ id: text, name: text, profile: text, created_at: text, archived_at: nullableText })
const AccessRow = z.object({ workshop_id: text, access: text })
const UpdateRow = z.object({ doc: text, data: z.instanceof(Uint8Array) })
const SnapshotRow = z.object({ id: text, workshop_id: text, taken_at: text, trigger: text, plan: text, summary: text, access: nullableText })
const SnapshotBoardRow = z.object({ snapshot_id: text, board: text, state: z.instanceof(Uint8Array), internal_state: z.instanceof(Uint8Array).nullable() })
const ChangeRow = z.object({ id: text, workshop_id: text, board: text, at: text, change: text })
const VoteRow = z.object({ workshop_id: text, id: text, created_at: text, vote: text })
const TimerRow = z.object({ workshop_id: text, timer: text })
const HoldRow = z.object({ doc: text, client: z.number().int(), participant: text, held_at: text, source: text })

/** The workshop a document belongs to: `<workshop>/<board>[/internal]`. */
const workshopOfDoc = (doc: string) => doc.slice(0, Math.max(0, doc.indexOf('/')))

/**
 * Inserts `rows` into `table` in batches: `columns` with their casts (`$n::json`), in the order
 * given, so identity columns number them in that order.
 */
class BatchInsert<Row> {
  private pending: unknown[][] = []
  count = 0
  constructor(
    private readonly client: pg.PoolClient,
    private readonly table: string,
    private readonly columns: readonly (readonly [name: string, cast: string])[],
    private readonly values: (row: Row) => unknown[],
  ) {}

  async add(row: Row): Promise<void> {
    this.pending.push(this.values(row))
    this.count++
    if (this.pending.length >= BATCH) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const rows = this.pending
    this.pending = []
    const width = this.columns.length
    const tuples = rows.map((_, r) => `(${this.columns.map(([, cast], c) => `$${r * width + c + 1}::${cast}`).join(', ')})`)
    await this.client.query(`INSERT INTO ${this.table} (${this.columns.map(([name]) => name).join(', ')}) VALUES ${tuples.join(', ')}`, rows.flat())
  }
}

/**
 * Copies the SQLite store of `dataDir` into the database of `pool` (migrated first). The caller
 * holds the data dir's lock. Throws {@link CopyRefused} when the database already holds one of the
 * workshops, or the SQLite file was written by a newer Keyplan; any other error leaves the
 * database as it was (one transaction).
 */
export async function copySqliteToPostgres(dataDir: string, pool: pg.Pool): Promise<CopyReport> {
  const file = path.join(dataDir, DATABASE_FILE)
  if (!fs.existsSync(file)) throw new CopyRefused(`there is no ${file} to copy (is DATA_DIR the single instance's data dir?)`)
  // A file of an older Keyplan is brought to this version's schema first, as its server would at start.
  const version = readUserVersion(file)
  if (version > MIGRATIONS.length) throw new CopyRefused(`${file} was written by a newer Keyplan (schema ${version}, this one knows ${MIGRATIONS.length}): copy with that version`)
  if (version < MIGRATIONS.length) await new SqliteStore(dataDir).close()

  await migratePostgres(pool)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const report = await copyAll(db, client)
    await client.query('COMMIT')
    return report
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
    db.close()
  }
}

function readUserVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return z.number().int().parse(db.pragma('user_version', { simple: true }))
  } finally {
    db.close()
  }
}

async function copyAll(db: Database.Database, client: pg.PoolClient): Promise<CopyReport> {
  const workshops = z.array(WorkshopRow).parse(db.prepare('SELECT id, account, title, created_at, time_zone, archived_at, account_id FROM workshops ORDER BY created_at, rowid').all())
  const ids = workshops.map((w) => w.id)
  const { rows: present } = await client.query('SELECT id FROM workshops WHERE id = ANY($1::text[])', [ids])
  if (present.length > 0) {
    throw new CopyRefused(`${present.length} of the ${ids.length} workshops are already in PostgreSQL (copied before?): nothing was copied`)
  }
  const report: CopyReport = { workshops: 0, archivedWorkshops: 0, accounts: 0, accountsMerged: [], boardLogs: 0, updates: 0, snapshots: 0, snapshotBoards: 0, changes: 0, votes: 0, timers: 0, clientIdHolds: 0 }
  const copied = new Set(ids)

  // Accounts: one the database already has by name takes the workshops of its namesake.
  const accountIds = new Map<string, string>()
  const keysTaken = new Set<string>()
  for (const account of z.array(AccountRow).parse(db.prepare('SELECT id, name, profile, created_at, archived_at FROM accounts ORDER BY created_at, id').all())) {
    const key = foldAccountName(account.name)
    const { rows } = await client.query('SELECT id FROM accounts WHERE name_key = $1', [key])
    const existing = z.array(z.object({ id: text })).parse(rows)[0]
    if (existing) {
      accountIds.set(account.id, existing.id)
      report.accountsMerged.push(account.name)
      continue
    }
    // Names that fold alike in the file (made before [K1]): the oldest keeps the key, as the database's own migration did.
    await client.query('INSERT INTO accounts (id, name, profile, created_at, archived_at, name_key) VALUES ($1, $2, $3::json, $4::timestamptz, $5::timestamptz, $6)', [
      account.id,
      account.name,
      account.profile,
      account.created_at,
      account.archived_at,
      keysTaken.has(key) ? null : key,
    ])
    keysTaken.add(key)
    accountIds.set(account.id, account.id)
    report.accounts++
  }

  const workshopRows = new BatchInsert(client, 'workshops', [['id', 'text'], ['account', 'text'], ['title', 'text'], ['created_at', 'timestamptz'], ['time_zone', 'text'], ['archived_at', 'timestamptz'], ['account_id', 'text']], (w: z.infer<typeof WorkshopRow>) => [
    w.id,
    w.account,
    w.title,
    w.created_at,
    w.time_zone,
    w.archived_at,
    w.account_id === null ? null : (accountIds.get(w.account_id) ?? null),
  ])
  for (const workshop of workshops) {
    await workshopRows.add(workshop)
    if (workshop.archived_at !== null) report.archivedWorkshops++
  }
  await workshopRows.flush()
  report.workshops = workshopRows.count

  const access = new BatchInsert(client, 'workshop_access', [['workshop_id', 'text'], ['access', 'jsonb']], (row: z.infer<typeof AccessRow>) => [row.workshop_id, row.access])
  for (const row of db.prepare('SELECT workshop_id, access FROM workshop_access').iterate()) await access.add(AccessRow.parse(row))
  await access.flush()

  // Board logs, in order, numbered per document from 1; each document's head holds its last number.
  const heads = new Map<string, number>()
  const updates = new BatchInsert(client, 'doc_updates', [['doc', 'text'], ['seq', 'bigint'], ['data', 'bytea']], (row: { doc: string; seq: number; data: Uint8Array }) => [row.doc, row.seq, Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength)])
  for (const raw of db.prepare('SELECT doc, data FROM doc_updates ORDER BY doc, seq').iterate()) {
    const row = UpdateRow.parse(raw)
    if (!copied.has(workshopOfDoc(row.doc))) continue
    const seq = (heads.get(row.doc) ?? 0) + 1
    heads.set(row.doc, seq)
    await updates.add({ doc: row.doc, seq, data: row.data })
  }
  await updates.flush()
  const headRows = new BatchInsert(client, 'doc_heads', [['doc', 'text'], ['last_seq', 'bigint']], ([doc, seq]: [string, number]) => [doc, seq])
  for (const head of heads) await headRows.add(head)
  await headRows.flush()
  report.boardLogs = heads.size
  report.updates = updates.count

  const snapshots = new BatchInsert(client, 'snapshots', [['id', 'text'], ['workshop_id', 'text'], ['taken_at', 'timestamptz'], ['trigger', 'text'], ['plan', 'json'], ['summary', 'json'], ['access', 'json']], (s: z.infer<typeof SnapshotRow>) => [
    s.id,
    s.workshop_id,
    s.taken_at,
    s.trigger,
    s.plan,
    s.summary,
    s.access,
  ])
  for (const row of db.prepare('SELECT id, workshop_id, taken_at, trigger, plan, summary, access FROM snapshots ORDER BY taken_at, rowid').iterate()) await snapshots.add(SnapshotRow.parse(row))
  await snapshots.flush()
  report.snapshots = snapshots.count

  const bytes = (data: Uint8Array | null) => (data === null ? null : Buffer.from(data.buffer, data.byteOffset, data.byteLength))
  const boards = new BatchInsert(client, 'snapshot_boards', [['snapshot_id', 'text'], ['board', 'text'], ['state', 'bytea'], ['internal_state', 'bytea']], (b: z.infer<typeof SnapshotBoardRow>) => [b.snapshot_id, b.board, bytes(b.state), bytes(b.internal_state)])
  for (const row of db.prepare('SELECT snapshot_id, board, state, internal_state FROM snapshot_boards').iterate()) await boards.add(SnapshotBoardRow.parse(row))
  await boards.flush()
  report.snapshotBoards = boards.count

  const changes = new BatchInsert(client, 'board_changes', [['id', 'text'], ['workshop_id', 'text'], ['board', 'text'], ['at', 'timestamptz'], ['change', 'json']], (c: z.infer<typeof ChangeRow>) => [c.id, c.workshop_id, c.board, c.at, c.change])
  for (const row of db.prepare('SELECT id, workshop_id, board, at, change FROM board_changes ORDER BY seq').iterate()) await changes.add(ChangeRow.parse(row))
  // [H10] Open changes a crash left in the journal (the instance would have stored them at its next
  // start) are stored after the others, as that start stores them.
  for (const row of db.prepare('SELECT id, workshop_id, board, at, change FROM open_changes ORDER BY at, id').iterate()) await changes.add(ChangeRow.parse(row))
  await changes.flush()
  report.changes = changes.count

  const votes = new BatchInsert(client, 'votes', [['workshop_id', 'text'], ['id', 'text'], ['created_at', 'timestamptz'], ['vote', 'json']], (v: z.infer<typeof VoteRow>) => [v.workshop_id, v.id, v.created_at, v.vote])
  for (const row of db.prepare('SELECT workshop_id, id, created_at, vote FROM votes ORDER BY created_at').iterate()) await votes.add(VoteRow.parse(row))
  await votes.flush()
  report.votes = votes.count

  const timers = new BatchInsert(client, 'workshop_timers', [['workshop_id', 'text'], ['timer', 'json']], (t: z.infer<typeof TimerRow>) => [t.workshop_id, t.timer])
  for (const row of db.prepare('SELECT workshop_id, timer FROM workshop_timers').iterate()) await timers.add(TimerRow.parse(row))
  await timers.flush()
  report.timers = timers.count

  const holds = new BatchInsert(client, 'client_id_holders', [['doc', 'text'], ['client', 'bigint'], ['participant', 'text'], ['held_at', 'timestamptz'], ['source', 'text']], (h: z.infer<typeof HoldRow>) => [h.doc, h.client, h.participant, h.held_at, h.source])
  for (const raw of db.prepare('SELECT doc, client, participant, held_at, source FROM client_id_holders ORDER BY seq').iterate()) {
    const row = HoldRow.parse(raw)
    if (copied.has(workshopOfDoc(row.doc))) await holds.add(row)
  }
  await holds.flush()
  report.clientIdHolds = holds.count
  return report
}
