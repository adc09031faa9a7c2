/**
 * [H10] A writer's open change is journaled while it is open: a SIGKILL before it closes loses
 * none of the board's history. The server started again on the same data dir (SQLite) stores it
 * before it listens: listed with its author's role and name, and revertible.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, expect, test } from 'vitest'
import { DATABASE_FILE } from '../../server/store/SqliteStore.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { boardRecords, journaledNote, readChanges, revertChange } from '../helpers/childHistory.ts'

/** Child servers (and the bundle they run, built once) are slow to start on a loaded 2-core machine. */
const CHILD_SERVERS_TIMEOUT_MS = 180_000

const dataDir = tempDataDir()
const children: ChildServer[] = []
afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** The ids of the rows of `table` (read from the file, as another process: the server is not asked). */
function storedIds(table: 'open_changes' | 'board_changes'): string[] {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true })
  try {
    return db.prepare(`SELECT id FROM ${table}`).pluck().all().map(String)
  } finally {
    db.close()
  }
}

test('an open change journaled before a SIGKILL is in the history after a restart, by its author, and reverts [H10][H1][H4]', async () => {
  // Changes close only after ten minutes of quiet: the note's change is certainly open at the kill.
  const env = { DATA_DIR: dataDir, HISTORY_IDLE_MS: '600000', HISTORY_MAX_MS: '600000' }
  const first = await startChildServer(env)
  children.push(first)
  const workshop = await createWorkshop(first.url)

  const page = await journaledNote(first.syncUrl, workshop, 'Ada Lovelace', 'shape:journaled', () => {
    try {
      return storedIds('open_changes').length > 0
    } catch {
      // The file may not be readable between the server's writes of its WAL index; try again.
      return false
    }
  })
  first.process.kill('SIGKILL')
  expect((await first.exited).signal).toBe('SIGKILL')
  page.destroy()
  // It was open when the server died: journaled, not stored.
  const [journaled] = storedIds('open_changes')
  expect(journaled).toBeDefined()
  expect(storedIds('board_changes')).not.toContain(journaled)

  const second = await startChildServer(env)
  children.push(second)
  const { changes } = await readChanges(second.url, workshop)
  expect(changes).toHaveLength(1)
  expect(changes[0]).toMatchObject({ id: journaled, role: 'team', name: 'Ada Lovelace', kind: 'edit' })
  expect(changes[0]?.records.map((r) => [r.id, r.before === null, r.after !== null])).toEqual([['shape:journaled', true, true]])
  expect(storedIds('open_changes')).toEqual([])

  const result = await revertChange(second.url, workshop, journaled ?? '')
  expect(result).toMatchObject({ reverted: 1, conflicts: [] })
  expect((await readChanges(second.url, workshop)).changes[0]).toMatchObject({ kind: 'revert', revertOf: journaled })
  expect((await boardRecords(second.syncUrl, workshop)).has('shape:journaled')).toBe(false)
  second.process.kill('SIGTERM')
  expect((await second.exited).code).toBe(0)
}, CHILD_SERVERS_TIMEOUT_MS)
