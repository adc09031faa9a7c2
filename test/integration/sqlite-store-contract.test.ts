import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from 'vitest'
import { newWorkshopAccess } from '../../server/auth/WorkshopAccess.ts'
import { checkPlanRecord } from '../../server/store/planRecord.ts'
import { CHECKPOINT_AFTER_PAGES, DATABASE_FILE, MIGRATIONS, SqliteStore } from '../../server/store/SqliteStore.ts'
import { CorruptRecordError, SensitivityChangedError } from '../../server/store/Store.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { tempDataDir } from '../helpers/startServer.ts'
import { storeContractSuite } from './store-contract.ts'

storeContractSuite('SqliteStore', async () => {
  const dir = tempDataDir()
  return {
    store: new SqliteStore(dir),
    reopen: async () => new SqliteStore(dir),
    another: async () => new SqliteStore(dir),
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

/** Commits of one small update each; the store's work is synchronous, so no later turn runs in between. */
async function commitSmallUpdates(store: SqliteStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array(100).fill(i % 256) }])
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

test('SqliteStore checkpoints the WAL in a later turn, never inside a commit [S15]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  const dbFile = path.join(dir, DATABASE_FILE)
  await nextTurn()
  const before = fs.statSync(dbFile).size
  // Well past the threshold (~2 WAL pages per commit): SQLite's automatic checkpoint would have
  // copied pages into the database file inside one of these commits.
  await commitSmallUpdates(store, CHECKPOINT_AFTER_PAGES)
  expect(fs.statSync(dbFile).size).toBe(before)
  await nextTurn()
  expect(fs.statSync(dbFile).size).toBeGreaterThan(before + 100 * CHECKPOINT_AFTER_PAGES)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('[S1] SqliteStore writes two WAL pages for a commit of one small update: the update log keeps no counter', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  const wal = `${path.join(dir, DATABASE_FILE)}-wal`
  await commitSmallUpdates(store, 1)
  const before = fs.statSync(wal).size
  await commitSmallUpdates(store, 20)
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  // A WAL frame is a page and its 24-byte header. AUTOINCREMENT's row in sqlite_sequence was a third.
  const frame = Number(db.pragma('page_size', { simple: true })) + 24
  db.close()
  expect((fs.statSync(wal).size - before) / frame).toBe(2 * 20)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore moves an update log numbered by AUTOINCREMENT to plain row numbers, keeping every row and number; later rows number above', async () => {
  const dir = tempDataDir()
  fs.mkdirSync(dir, { recursive: true })
  const old = new Database(path.join(dir, DATABASE_FILE))
  // The schema as it stood before the update log lost AUTOINCREMENT (later migrations run on open).
  const before = MIGRATIONS.findIndex((sql) => sql.includes('doc_updates_rowid'))
  expect(before).toBeGreaterThan(0)
  for (const sql of MIGRATIONS.slice(0, before)) old.exec(sql)
  old.pragma(`user_version = ${before}`)
  const insert = old.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)')
  for (let i = 1; i <= 4; i++) insert.run('aaaaaaaaaaaa/swot', new Uint8Array([i]))
  insert.run('bbbbbbbbbbbb/swot', new Uint8Array([9]))
  old.close()
  const store = new SqliteStore(dir)
  const swot = await store.readUpdatesSince('aaaaaaaaaaaa/swot', 0)
  expect(swot.seqs).toEqual([1, 2, 3, 4])
  expect(swot.updates.map((update) => [...update])).toEqual([[1], [2], [3], [4]])
  expect((await store.readUpdatesSince('bbbbbbbbbbbb/swot', 0)).seqs).toEqual([5])
  // A compaction of the document's newest rows keeps its highest number: later rows number above it.
  await store.compactDocument('aaaaaaaaaaaa/swot', new Uint8Array([1, 2, 3, 4]), 4)
  const [next = 0] = await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([5]) }])
  expect(next).toBeGreaterThan(5)
  expect((await store.readUpdatesSince('aaaaaaaaaaaa/swot', 0)).seqs).toEqual([4, next])
  await store.close()
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  expect(db.prepare("SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'doc_updates'").get()).toEqual({ n: 0 })
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore keeps the WAL bounded under sustained writes [S15]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  for (let burst = 0; burst < 60; burst++) {
    await commitSmallUpdates(store, 50)
    await nextTurn()
  }
  // 3,000 commits put ~6,000 pages (~25 MB) through the WAL; it starts over after each checkpoint.
  expect(fs.statSync(`${path.join(dir, DATABASE_FILE)}-wal`).size).toBeLessThan(2 * CHECKPOINT_AFTER_PAGES * 4200)
  expect((await store.loadDocument('aaaaaaaaaaaa/swot')).updates).toHaveLength(3000)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore stores a snapshot\'s plan as text, the JSON its check gives, characters beyond ASCII included [S18]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'Müller & Søn', title: 'Plan ✓ 计划', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
  const plan = samplePlan({ id: 'snap-utf8', workshopId: 'aaaaaaaaaaaa', account: 'Müller & Søn', title: 'Plan ✓ 计划 🚀' })
  // The plan goes to SQLite as its UTF-8 bytes: it must still be a text value, readable as before.
  await store.insertSnapshot({ plan, boards: {} })
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  const row = db.prepare('SELECT typeof(plan) AS type, plan FROM snapshots WHERE id = ?').get('snap-utf8')
  db.close()
  expect(row).toEqual({ type: 'text', plan: checkPlanRecord(plan).json })
  expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-utf8')).toEqual(checkPlanRecord(plan).plan)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
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
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'A', title: 'T', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
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

test('SqliteStore: records stored before the objectives and whitespace boards read as the current version, new boards internal [P10] [P15] [A22]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'A', title: 'T', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
  const plan = samplePlan({ id: 'old', workshopId: 'aaaaaaaaaaaa' })
  await store.insertSnapshot({ plan, boards: {}, access: { customerFacing: { swot: true, stakeholders: false, objectives: true, actions: true, whitespace: true }, participants: [] } })
  const { votes: _v, objectives: _o, whitespace: _w, competitors: _c, health: _h, ...v1 } = plan
  const threeBoards = JSON.stringify({ swot: true, stakeholders: false, actions: true })
  const db = new Database(path.join(dir, DATABASE_FILE))
  db.prepare("UPDATE snapshots SET plan = ?, access = json_set(access, '$.customerFacing', json(?)) WHERE id = 'old'").run(
    JSON.stringify({ ...v1, schemaVersion: 1, actions: v1.actions.map(({ objectives: _links, ...action }) => action) }),
    threeBoards,
  )
  db.prepare("UPDATE workshop_access SET access = json_set(access, '$.customerFacing', json(?))").run(threeBoards)
  db.close()
  expect(await store.getSnapshot('aaaaaaaaaaaa', 'old')).toEqual({ ...plan, votes: [] })
  expect((await store.getSnapshotAccess('aaaaaaaaaaaa', 'old'))?.customerFacing).toEqual({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
  expect((await store.getAccess('aaaaaaaaaaaa'))?.customerFacing).toEqual({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/**
 * A data dir whose database stops just before the first migration that mentions `marker`, with
 * one workshop `aaaaaaaaaaaa` stored as that older server stored it.
 */
function databaseBefore(marker: string): string {
  const dir = tempDataDir()
  const db = new Database(path.join(dir, DATABASE_FILE))
  const migration = MIGRATIONS.findIndex((sql) => sql.includes(marker))
  for (const sql of MIGRATIONS.slice(0, migration)) db.exec(sql)
  db.pragma(`user_version = ${migration}`)
  db.prepare("INSERT INTO workshops (id, account, title, created_at) VALUES ('aaaaaaaaaaaa', 'a', 't', '2026-01-01T00:00:00.000Z')").run()
  db.close()
  return dir
}

test('SqliteStore keeps the snapshot board states stored in the WITHOUT ROWID table of older servers, now in a rowid table (issue 14)', async () => {
  const dir = databaseBefore('snapshot_boards_rowid')
  const old = new Database(path.join(dir, DATABASE_FILE))
  old.prepare("INSERT INTO snapshots (id, workshop_id, taken_at, trigger, label, plan, summary) VALUES ('s1', 'aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z', 'manual', NULL, '{}', '{}')").run()
  old.prepare("INSERT INTO snapshot_boards (snapshot_id, board, state) VALUES ('s1', 'swot', ?), ('s1', 'actions', ?)").run(Buffer.from([1, 2, 3]), Buffer.from([4, 5]))
  old.close()
  const store = new SqliteStore(dir)
  expect([...(await store.getSnapshotBoard('aaaaaaaaaaaa', 's1', 'swot')) ?? []]).toEqual([1, 2, 3])
  expect([...(await store.getSnapshotBoard('aaaaaaaaaaaa', 's1', 'actions')) ?? []]).toEqual([4, 5])
  expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 's1', 'stakeholders')).toBeUndefined()
  await store.close()
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_boards'").get() as { sql: string } // one text column
  expect(table.sql).not.toMatch(/WITHOUT ROWID/i)
  expect(table.sql).toMatch(/PRIMARY KEY \(snapshot_id, board\)/)
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore reads snapshots stored before internal documents were board rows: states kept, none internal, the access record as it was (issue 13)', async () => {
  const dir = databaseBefore('internal_state')
  const old = new Database(path.join(dir, DATABASE_FILE))
  const access = { customerFacing: { swot: true, stakeholders: false, objectives: false, actions: false, whitespace: false }, participants: [], internalIds: ['shape:x'], internalStates: { swot: Buffer.from([9, 9]).toString('base64') } }
  old.prepare("INSERT INTO snapshots (id, workshop_id, taken_at, trigger, label, plan, summary, access) VALUES ('s1', 'aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z', 'manual', NULL, '{}', '{}', ?)").run(JSON.stringify(access))
  old.prepare("INSERT INTO snapshot_boards (snapshot_id, board, state) VALUES ('s1', 'swot', ?)").run(Buffer.from([1, 2, 3]))
  old.close()
  const store = new SqliteStore(dir)
  expect([...(await store.getSnapshotBoard('aaaaaaaaaaaa', 's1', 'swot')) ?? []]).toEqual([1, 2, 3])
  expect(await store.getSnapshotInternalBoard('aaaaaaaaaaaa', 's1', 'swot')).toBeUndefined()
  expect(await store.getSnapshotAccess('aaaaaaaaaaaa', 's1')).toEqual(access)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore gives workshops created before access control the default access state [A4][A6]', async () => {
  const dir = databaseBefore('CREATE TABLE workshop_access')
  const store = new SqliteStore(dir)
  expect(await store.getAccess('aaaaaaaaaaaa')).toEqual(newWorkshopAccess())
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore gives workshops stored before time zones UTC, and reads a zone it does not know as UTC [P9]', async () => {
  const dir = databaseBefore('time_zone')
  const store = new SqliteStore(dir)
  expect((await store.getWorkshop('aaaaaaaaaaaa'))?.timeZone).toBe('UTC')
  await store.createWorkshop({ id: 'bbbbbbbbbbbb', account: 'b', title: 't', createdAt: '2026-01-02T00:00:00.000Z', timeZone: 'Asia/Kolkata' })
  await store.close()
  const edit = new Database(path.join(dir, DATABASE_FILE))
  edit.prepare("UPDATE workshops SET time_zone = 'Nowhere/Atlantis' WHERE id = 'bbbbbbbbbbbb'").run()
  edit.close()
  const reopened = new SqliteStore(dir)
  expect((await reopened.listWorkshops()).map((w) => [w.id, w.timeZone])).toEqual([
    ['bbbbbbbbbbbb', 'UTC'],
    ['aaaaaaaaaaaa', 'UTC'],
  ])
  await reopened.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('SqliteStore: a corrupt access row is a CorruptRecordError [A6]', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'a', title: 't', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
  await store.close()
  const db = new Database(path.join(dir, DATABASE_FILE))
  db.prepare(`UPDATE workshop_access SET access = '{"customerFacing":{"swot":"yes"}}'`).run()
  db.close()
  const reopened = new SqliteStore(dir)
  await expect(reopened.getAccess('aaaaaaaaaaaa')).rejects.toBeInstanceOf(CorruptRecordError)
  await reopened.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('[S37] SqliteStore stores rows once when another connection committed something else since it read the generation, and refuses them, storing nothing, when it changed the generation', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'Acme', title: 'Plan', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([1]), sensitivityGeneration: 0 }])
  const other = new Database(path.join(dir, DATABASE_FILE))
  // A commit that leaves the access alone: the generation the store kept is read again, and still 0.
  other.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)').run('aaaaaaaaaaaa/actions', new Uint8Array([9]))
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([2]), sensitivityGeneration: 0 }])
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([3]), sensitivityGeneration: 0 }])
  // The same for a commit of several rooms (one transaction).
  other.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)').run('aaaaaaaaaaaa/actions', new Uint8Array([10]))
  await store.appendUpdates([
    { docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([4]), sensitivityGeneration: 0 },
    { docName: 'aaaaaaaaaaaa/actions', update: new Uint8Array([11]), sensitivityGeneration: 0 },
  ])
  other.prepare("UPDATE workshop_access SET access = json_set(access, '$.sensitivityGeneration', 1) WHERE workshop_id = ?").run('aaaaaaaaaaaa')
  await expect(store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([5]), sensitivityGeneration: 0 }])).rejects.toBeInstanceOf(SensitivityChangedError)
  other.prepare("UPDATE workshop_access SET access = json_set(access, '$.sensitivityGeneration', 2) WHERE workshop_id = ?").run('aaaaaaaaaaaa')
  other.close()
  const refused = store.appendUpdates([
    { docName: 'aaaaaaaaaaaa/actions', update: new Uint8Array([12]), sensitivityGeneration: 1 },
    { docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([6]), sensitivityGeneration: 1 },
  ])
  await expect(refused).rejects.toBeInstanceOf(SensitivityChangedError)
  expect((await store.loadDocument('aaaaaaaaaaaa/swot')).updates.map((update) => [...update])).toEqual([[1], [2], [3], [4]])
  expect((await store.loadDocument('aaaaaaaaaaaa/actions')).updates.map((update) => [...update])).toEqual([[9], [10], [11]])
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('[S37] SqliteStore keeps nothing of an append whose INSERT fails, and its next append is committed for every connection', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'Acme', title: 'Plan', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
  // Read (and kept) once: the next appends take the path of rows judged by a kept generation.
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([1]), sensitivityGeneration: 0 }])
  const failing = store.appendUpdates([
    { docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([2]), sensitivityGeneration: 0 },
    { docName: 'aaaaaaaaaaaa/actions', update: null as unknown as Uint8Array, sensitivityGeneration: 0 }, // a row the table's NOT NULL refuses
  ])
  await expect(failing).rejects.toThrow(/NOT NULL/)
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([3]), sensitivityGeneration: 0 }])
  // Another connection sees what was committed: no transaction was left open by the failure.
  const other = new Database(path.join(dir, DATABASE_FILE), { readonly: true })
  const rows = other.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq').all('aaaaaaaaaaaa/swot') as { data: Buffer }[]
  other.close()
  expect(rows.map((row) => [...row.data])).toEqual([[1], [3]])
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('[S37] SqliteStore refuses rows judged by a generation another connection to the file has since stored', async () => {
  const dir = tempDataDir()
  const store = new SqliteStore(dir)
  await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'Acme', title: 'Plan', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
  // Read (and kept) once: the store now knows generation 0.
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([1]), sensitivityGeneration: 0 }])
  const other = new Database(path.join(dir, DATABASE_FILE))
  other.prepare("UPDATE workshop_access SET access = json_set(access, '$.sensitivityGeneration', 1) WHERE workshop_id = ?").run('aaaaaaaaaaaa')
  other.close()
  const refused = store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([2]), sensitivityGeneration: 0 }])
  await expect(refused).rejects.toBeInstanceOf(SensitivityChangedError)
  await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: new Uint8Array([3]), sensitivityGeneration: 1 }])
  expect((await store.loadDocument('aaaaaaaaaaaa/swot')).updates.map((update) => [...update])).toEqual([[1], [3]])
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
