/**
 * The SQLite store: one file `keyplan.sqlite` in DATA_DIR, WAL mode, prepared statements.
 * better-sqlite3 is synchronous, so every method has finished its I/O when it returns; the
 * promises only satisfy the {@link Store} interface.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import type { DocumentUpdate, PersistedDocument, Store, StoredWorkshop } from './Store.ts'

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'keyplan.sqlite'

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
]

const WorkshopRowSchema = z.object({
  id: z.string(),
  account: z.string(),
  title: z.string(),
  created_at: z.string(),
})

const UpdateRowSchema = z.object({ seq: z.number().int(), data: z.instanceof(Uint8Array) })

export type SqliteStoreOptions = {
  /**
   * `NORMAL` (default): in WAL mode a commit survives a crash or kill of the process, which is
   * what [S1] promises. `FULL` also survives power loss, at the cost of one fsync per group
   * commit (see docs/server-rules.md [S15]).
   */
  synchronous?: 'NORMAL' | 'FULL'
}

export class SqliteStore implements Store {
  private readonly db: Database.Database
  private readonly statements

  /** Opens (creating if needed) `<dataDir>/keyplan.sqlite` and migrates it. */
  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    fs.mkdirSync(dataDir, { recursive: true })
    this.db = new Database(path.join(dataDir, DATABASE_FILE))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`)
    this.db.pragma('foreign_keys = ON')
    migrate(this.db)
    this.statements = {
      insertWorkshop: this.db.prepare(
        'INSERT INTO workshops (id, account, title, created_at) VALUES (@id, @account, @title, @createdAt)',
      ),
      getWorkshop: this.db.prepare('SELECT id, account, title, created_at FROM workshops WHERE id = ?'),
      listWorkshops: this.db.prepare(
        'SELECT id, account, title, created_at FROM workshops ORDER BY created_at DESC, rowid DESC',
      ),
      loadDocument: this.db.prepare('SELECT seq, data FROM doc_updates WHERE doc = ? ORDER BY seq'),
      appendUpdate: this.db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)'),
      deleteUpTo: this.db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
    }
  }

  private readonly appendAll = (updates: readonly DocumentUpdate[]): number[] =>
    this.db.transaction((rows: readonly DocumentUpdate[]) =>
      rows.map((row) => Number(this.statements.appendUpdate.run(row.docName, row.update).lastInsertRowid)),
    )(updates)

  private readonly compact = (docName: string, merged: Uint8Array, upToSeq: number): void =>
    this.db.transaction(() => {
      this.statements.deleteUpTo.run(docName, upToSeq)
      this.statements.appendUpdate.run(docName, merged)
    })()

  async createWorkshop(workshop: StoredWorkshop): Promise<void> {
    this.statements.insertWorkshop.run(workshop)
  }

  async getWorkshop(id: string): Promise<StoredWorkshop | undefined> {
    const row = this.statements.getWorkshop.get(id)
    return row === undefined ? undefined : toWorkshop(row)
  }

  async listWorkshops(): Promise<StoredWorkshop[]> {
    return this.statements.listWorkshops.all().map(toWorkshop)
  }

  async loadDocument(docName: string): Promise<PersistedDocument> {
    const rows = this.statements.loadDocument.all(docName).map((row) => UpdateRowSchema.parse(row))
    return {
      updates: rows.map((row) => row.data),
      lastSeq: rows.at(-1)?.seq ?? 0,
      bytes: rows.reduce((sum, row) => sum + row.data.byteLength, 0),
    }
  }

  async appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]> {
    if (updates.length === 0) return []
    return this.appendAll(updates)
  }

  async compactDocument(docName: string, merged: Uint8Array, upToSeq: number): Promise<void> {
    this.compact(docName, merged, upToSeq)
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}

function toWorkshop(row: unknown): StoredWorkshop {
  const parsed = WorkshopRowSchema.parse(row)
  return { id: parsed.id, account: parsed.account, title: parsed.title, createdAt: parsed.created_at }
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
