import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from 'vitest'
import { newWorkshopAccess } from '../../server/auth/WorkshopAccess.ts'
import { DATABASE_FILE, MIGRATIONS, SqliteStore } from '../../server/store/SqliteStore.ts'
import { CorruptRecordError } from '../../server/store/Store.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { tempDataDir } from '../helpers/startServer.ts'
import { storeContractSuite } from './store-contract.ts'

storeContractSuite('SqliteStore', async () => {
  const dir = tempDataDir()
  return {
    store: new SqliteStore(dir),
    reopen: async () => new SqliteStore(dir),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
})

test('SqliteStore creates DATA_DIR, uses WAL and records the schema version', async () => {
  const dir = path.join(tempDataDir(), 'nested', 'data')
  const store = new SqliteStore(dir)
  await store.close()
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
  expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
  db.close()
})

test('SqliteStore refuses a database from a newer server', async () => {
  const dir = tempDataDir()
  const db = new Database(path.join(dir, DATABASE_FILE))
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
  db.close()
  expect(() => new SqliteStore(dir)).toThrow(/newer than this server/)
})

test('SqliteStore: a corrupt stored plan is a CorruptRecordError for that snapshot only [S18]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'A', title: 'T', createdAt: '2026-01-01T00:00:00.000Z' })
  await store.insertSnapshot({ plan: samplePlan({ id: 'good', workshopId: 'aaaaaaaaaaaa' }), boards: {} })
  await store.insertSnapshot({ plan: samplePlan({ id: 'bad', workshopId: 'aaaaaaaaaaaa' }), boards: {} })
  const db = new Database(path.join(dir, DATABASE_FILE))
  db.prepare("UPDATE snapshots SET plan = json_set(plan, '$.trigger', 'whenever') WHERE id = 'bad'").run()
  db.close()
  await expect(store.getSnapshot('aaaaaaaaaaaa', 'bad')).rejects.toBeInstanceOf(CorruptRecordError)
  await expect(store.getSnapshot('aaaaaaaaaaaa', 'bad')).rejects.toThrow(/trigger/)
  expect((await store.getSnapshot('aaaaaaaaaaaa', 'good'))?.id).toBe('good')
  expect(await store.listSnapshots('aaaaaaaaaaaa')).toHaveLength(2)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore gives workshops created before access control the default access state [A4][A6]', async () => {
  const dir = tempDataDir()
  const db = new Database(path.join(dir, DATABASE_FILE))
  const accessMigration = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE workshop_access'))
  for (const sql of MIGRATIONS.slice(0, accessMigration)) db.exec(sql)
  db.pragma(`user_version = ${accessMigration}`)
  db.prepare("INSERT INTO workshops (id, account, title, created_at) VALUES ('aaaaaaaaaaaa', 'a', 't', '2026-01-01T00:00:00.000Z')").run()
  db.close()
  const store = new SqliteStore(dir)
  expect(await store.getAccess('aaaaaaaaaaaa')).toEqual(newWorkshopAccess())
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore: a corrupt access row is a CorruptRecordError [A6]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'a', title: 't', createdAt: '2026-01-01T00:00:00.000Z' })
  await store.close()
  const db = new Database(path.join(dir, DATABASE_FILE))
  db.prepare(`UPDATE workshop_access SET access = '{"customerFacing":{"swot":"yes"}}'`).run()
  db.close()
  const reopened = new SqliteStore(dir)
  await expect(reopened.getAccess('aaaaaaaaaaaa')).rejects.toBeInstanceOf(CorruptRecordError)
  await reopened.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
