/**
 * [H10] While a writer's change is open, the recorder journals it in the store as it would be
 * stored if it closed now, within `journalMs` of each edit; storing it deletes its row, and so
 * does a change whose edits undid one another. Journal rows are recovered at start: every row on
 * a store of one process, only rows no live instance can still be writing on a shared store.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { HistoryRecorder } from '../../server/history/HistoryRecorder.ts'
import { createLogger } from '../../server/log.ts'
import { DATABASE_FILE, SqliteStore } from '../../server/store/SqliteStore.ts'
import { BoardChangeSchema, type BoardChange } from '../../shared/historyApi.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { until } from '../helpers/childHistory.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, tempDataDir, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { readHistory } from '../helpers/teamAndGuest.ts'

let server: TestServer
let workshop: TestWorkshop
let ada: BoardClient

beforeAll(async () => {
  // Changes close only when a list is read ([H5]) or a writer leaves, never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
  workshop = await server.createWorkshop()
  ada = await openBoard(server, workshop.id, 'swot', 'Ada Lovelace')
})

afterAll(async () => {
  ada?.destroy()
  await server?.close()
})

/** The journal's rows, read from the file as another process would. */
function journal(dataDir: string): BoardChange[] {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT change FROM open_changes ORDER BY id').pluck().all().map((json) => BoardChangeSchema.parse(JSON.parse(String(json))))
  } finally {
    db.close()
  }
}

test('an open change is journaled as it would be stored, and its row goes when it is stored [H10]', async () => {
  await ada.write([note('shape:open', { x: 0, y: 0 }, 'Open')])
  await until(() => journal(server.dataDir).length === 1, 'the open change to be journaled')
  const [journaled] = journal(server.dataDir)
  expect(journaled).toMatchObject({ role: 'team', name: 'Ada Lovelace', kind: 'edit', records: [{ id: 'shape:open', before: null }] })
  // Grown: rewritten within the journal interval.
  await ada.write([note('shape:open', { x: 200, y: 0 }, 'Open and moved')])
  await until(() => journal(server.dataDir)[0]?.records[0]?.after?.x === 200, 'the grown change to be journaled again')
  const [grown] = journal(server.dataDir)
  expect(grown?.id).toBe(journaled?.id)
  // Reading the list closes it ([H5]): stored as last journaled, and its row goes with it.
  const { list } = await readHistory(server, workshop, 'swot', 'facilitator')
  expect(list.changes[0]).toEqual(grown)
  expect(journal(server.dataDir)).toEqual([])
})

test('an open change whose edits undid one another leaves no journal row [H10][H2]', async () => {
  await ada.write([note('shape:undone', { x: 0, y: 300 }, 'Undone')])
  await until(() => journal(server.dataDir).length === 1, 'the open change to be journaled')
  await ada.remove(['shape:undone'])
  await until(() => journal(server.dataDir).length === 0, 'the emptied change\'s row to go')
  expect((await readHistory(server, workshop, 'swot', 'facilitator')).list.changes.map((c) => c.records[0]?.id)).not.toContain('shape:undone')
})

test('a recorder of a shared store recovers only rows not journaled for 2 × (the longer window + the journal interval); of its own store, every row at start [H10]', async () => {
  const dataDir = tempDataDir()
  const store = new SqliteStore(dataDir)
  try {
    await store.createWorkshop({ id: 'aaaaaaaaaaaa', account: 'Acme', title: 'FY27', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' })
    const journaledAt = Date.parse('2026-12-01T10:00:00.000Z')
    const change = (id: string): BoardChange => ({
      id,
      workshopId: 'aaaaaaaaaaaa',
      board: 'swot',
      at: '2026-12-01T09:59:59.000Z',
      role: 'team',
      name: 'Ada',
      connId: 'conn1234',
      kind: 'edit',
      revertOf: null,
      customerFacing: false,
      records: [{ id: 'shape:n1', typeName: 'shape', type: 'note', before: null, after: { id: 'shape:n1', typeName: 'shape' } }],
    })
    await store.journalOpenChanges([change('another-instance-1')], new Date(journaledAt).toISOString())
    let clock = journaledAt
    const log = createLogger('silent')
    // idle 2 s, longest 30 s, journal 1 s: another instance's row is stale after 62 s.
    const shared = new HistoryRecorder({ store, log, idleMs: 2_000, maxMs: 30_000, retentionDays: 3650, journalMs: 1_000, sharedStore: true, now: () => clock })
    clock = journaledAt + 61_999
    await shared.start()
    expect(await shared.recover()).toBe(0)
    clock = journaledAt + 62_001
    expect(await shared.recover()).toBe(1)
    await shared.close()
    expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes.map((c) => c.id)).toEqual(['another-instance-1'])

    // One process per data dir: whatever the journal holds at start was left by a crash.
    await store.journalOpenChanges([change('crashed-own-1')], new Date(clock).toISOString())
    const own = new HistoryRecorder({ store, log, idleMs: 2_000, maxMs: 30_000, retentionDays: 3650, now: () => clock })
    await own.start()
    await own.close()
    expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes.map((c) => c.id)).toEqual(['crashed-own-1', 'another-instance-1'])
  } finally {
    await store.close()
  }
})
