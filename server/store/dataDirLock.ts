/**
 * [S38] One server per SQLite data dir. SQLite serialises writes, but two servers on one
 * `keyplan.sqlite` would each hold their own rooms of the same boards: each relays only its own
 * peers' writes (no fan-out on SQLite) and compacts the log under the other's rooms. So a server
 * on SQLite holds an exclusive lock on `keyplan.lock` in its data dir for as long as it runs: the
 * operating system releases it when the process ends, however it ends, so a crash leaves nothing
 * to clean up. Several instances run on PostgreSQL.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { makeDataDir } from './makeDataDir.ts'

/** The lock's file in the data dir (an empty SQLite database: its file lock is the lock). */
export const DATA_DIR_LOCK_FILE = 'keyplan.lock'

/**
 * Takes the data dir's lock, or throws with one line saying another server holds it. Keep the
 * returned handle for the life of the process.
 */
export function lockDataDir(dataDir: string): Database.Database {
  makeDataDir(dataDir)
  // No busy wait: a lock held now is held by a running server.
  const db = new Database(path.join(dataDir, DATA_DIR_LOCK_FILE), { timeout: 0 })
  try {
    db.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    db.close()
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'SQLITE_BUSY') {
      throw new Error(`another Keyplan server is using DATA_DIR ${dataDir} (one server per SQLite data dir: stop it first, or run several instances on PostgreSQL)`)
    }
    throw error
  }
  return db
}
