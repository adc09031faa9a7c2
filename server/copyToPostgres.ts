/**
 * `npm run copy-to-postgres`: copies the workshops of a single instance's SQLite data dir into the
 * PostgreSQL database of a several-instance deployment (server/store/copyToPostgres.ts;
 * deploy/README.md, "Coming from a single instance"). Reads `DATA_DIR` (default ./data) and
 * `DATABASE_URL`; prints what it copied in one line, or why it could not in one line (exit 1).
 */
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { z } from 'zod'
import { lockDataDir } from './store/dataDirLock.ts'
import { DATABASE_FILE } from './store/SqliteStore.ts'
import { copySqliteToPostgres, type CopyReport } from './store/copyToPostgres.ts'
import { plural } from '../shared/plural.ts'

const EnvSchema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' }),
})

/** "copied 3 workshops (1 archived), 2 accounts, …". */
function describe(report: CopyReport): string {
  const parts = [
    `${plural(report.workshops, 'workshop')}${report.archivedWorkshops > 0 ? ` (${report.archivedWorkshops} archived)` : ''}`,
    plural(report.accounts, 'account'),
    `${plural(report.boardLogs, 'board document')} (${plural(report.updates, 'stored update')})`,
    plural(report.snapshots, 'snapshot'),
    plural(report.changes, 'history entry', 'history entries'),
    plural(report.votes, 'vote'),
    plural(report.timers, 'timer'),
  ]
  const merged = report.accountsMerged.length === 0 ? '' : `; ${plural(report.accountsMerged.length, 'account')} the database already had by name took their workshops: ${report.accountsMerged.join(', ')}`
  return `copied ${parts.join(', ')}${merged}`
}

const env = EnvSchema.safeParse(process.env)
if (!env.success) {
  process.stderr.write(`keyplan: cannot copy: ${env.error.issues.map((issue) => issue.message).join('; ')}\n`)
  process.exit(1)
}
const { DATA_DIR: dataDir, DATABASE_URL: databaseUrl } = env.data
let lock: ReturnType<typeof lockDataDir> | undefined
const pool = new pg.Pool({ connectionString: databaseUrl, application_name: 'keyplan copy', connectionTimeoutMillis: 10_000 })
pool.on('error', () => undefined) // a connection lost while idle: the query in flight says so
try {
  const file = path.join(dataDir, DATABASE_FILE)
  if (!fs.existsSync(file)) throw new Error(`there is no ${file} to copy (set DATA_DIR to the single instance's data dir)`)
  // [S38] The single instance must be stopped: it would go on writing what is being copied.
  try {
    lock = lockDataDir(dataDir)
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('another Keyplan server')) throw new Error(`a Keyplan server is running on DATA_DIR ${dataDir}: stop it first, so that nothing is written while its workshops are copied`)
    throw error
  }
  const report = await copySqliteToPostgres(dataDir, pool)
  process.stdout.write(`keyplan: ${describe(report)} from ${dataDir} into PostgreSQL. The SQLite file is unchanged.\n`)
} catch (error) {
  // Never print DATABASE_URL: it may hold a password.
  process.stderr.write(`keyplan: cannot copy: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()}\n`)
  process.exitCode = 1
} finally {
  lock?.close()
  await pool.end()
}
