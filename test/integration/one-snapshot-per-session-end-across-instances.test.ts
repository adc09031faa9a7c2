/**
 * docs/server-rules.md [I3]: automatic snapshots are taken once per workshop, not once per
 * instance. The store's fenced insert stores a snapshot only while the snapshot its taker compared
 * with is still the newest (an instance that was paused, or decided at the same moment as another,
 * stores nothing); a session spread over two instances ends once, when its last participant on
 * any instance leaves.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import type { PlanSummary } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { createWorkshop, facilitatorToken, tempDataDir } from '../helpers/startServer.ts'

const TIMEOUT_MS = 240_000
const TOKEN_SECRET = `k1:${Buffer.alloc(32, 5).toString('base64url')}`

let postgres: PostgresCluster
let redis: RedisServer
const dataDirs: string[] = []
const children: ChildServer[] = []

beforeAll(async () => {
  postgres = await startPostgres()
  redis = await startRedis()
}, POSTGRES_START_TIMEOUT_MS)

afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL')
  await Promise.all(children.map((child) => child.exited))
  await redis?.stop()
  await postgres?.stop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

const FENCED_WORKSHOP = { id: 'w-fenced', account: 'Acme Corp', title: 'FY27 planning', createdAt: '2026-11-22T10:00:00.000Z', timeZone: 'UTC' }
const snapshot = (id: string) => ({ plan: samplePlan({ id, workshopId: 'w-fenced', trigger: 'session_end', label: null }), boards: { swot: new Uint8Array([1]) } })

describe.each([
  ['SqliteStore', async (): Promise<[Store, Store]> => {
    const dir = tempDataDir()
    dataDirs.push(dir)
    const store = new SqliteStore(dir)
    await store.createWorkshop(FENCED_WORKSHOP)
    return [store, store]
  }],
  ['PostgresStore, two instances', async (): Promise<[Store, Store]> => {
    const url = await postgres.createDatabase()
    const first = await PostgresStore.open(url)
    await first.createWorkshop(FENCED_WORKSHOP)
    return [first, await PostgresStore.open(url)]
  }],
])('[I3] insertSnapshotIfLatest on %s', (_name, open) => {
  test('stores only while the snapshot the taker compared with is still the newest', async () => {
    const [first, second] = await open()
    // Both decided on a workshop without snapshots; the second was paused until the first stored.
    expect(await first.insertSnapshotIfLatest(snapshot('snap-first'), null)).toBe(true)
    expect(await second.insertSnapshotIfLatest(snapshot('snap-paused'), null)).toBe(false)
    expect((await second.listSnapshots('w-fenced')).map((s) => s.id)).toEqual(['snap-first'])
    // Deciding on the newest, it stores.
    expect(await second.insertSnapshotIfLatest(snapshot('snap-next'), 'snap-first')).toBe(true)
    expect((await first.listSnapshots('w-fenced')).map((s) => s.id).sort()).toEqual(['snap-first', 'snap-next'])
    await first.close()
    if (second !== first) await second.close()
  })

  test('of many deciding at once on the same newest, exactly one stores', async () => {
    const [first, second] = await open()
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? first : second).insertSnapshotIfLatest(snapshot(`snap-${i}`), null)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await first.listSnapshots('w-fenced')).toHaveLength(1)
    await first.close()
    if (second !== first) await second.close()
  })
})

async function instance(env: Record<string, string>): Promise<ChildServer> {
  const dataDir = tempDataDir()
  dataDirs.push(dataDir)
  const child = await startChildServer({ DATA_DIR: dataDir, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET, ROOM_UNLOAD_GRACE_MS: '50', ...env })
  children.push(child)
  return child
}

/** A participant named `name` on `board` of instance `server`, who writes one note once there. */
async function participant(server: ChildServer, workshopId: string, board: BoardId, name: string): Promise<TestClient> {
  const client = await connectSynced(server.syncUrl, `${workshopId}/${board}`)
  client.provider.awareness.setLocalStateField('presence', { userId: `user:${name.toLowerCase()}`, userName: name })
  // The same bytes whoever seeds: a no-op when the board was seeded before.
  Y.applyUpdate(client.doc, createSeededBoardUpdate(board))
  return client
}

/** Writes a note and waits until another client of the same instance has it: it is stored ([S1]). */
async function writeNote(writer: TestClient, observer: TestClient, id: string, text: string): Promise<void> {
  writeRecordChanges(writer.doc, { put: [noteIn('strengths', id, text) as never], remove: [] }) // a tldraw record is JSON
  await waitFor(() => readRecords(observer.doc).has(id), `note ${id} (${text}) to be stored`, 60_000)
}

async function listSnapshots(server: ChildServer, workshopId: string): Promise<PlanSummary[]> {
  const response = await fetch(`${server.url}/api/workshops/${workshopId}/snapshots`, { headers: { authorization: `Bearer ${facilitatorToken(workshopId)}` } })
  return SnapshotListSchema.parse(await response.json()).snapshots
}

async function roomsLoaded(server: ChildServer): Promise<number> {
  return ((await (await fetch(`${server.url}/api/health`)).json()) as { rooms: number }).rooms
}

async function untilNoRooms(server: ChildServer): Promise<void> {
  const start = Date.now()
  while ((await roomsLoaded(server)) > 0) {
    if (Date.now() - start > 60_000) throw new Error('timed out waiting for the rooms to unload')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test('[I3] a session on two instances ends once: the instance whose participant leaves first takes no snapshot, the last one does', async () => {
  const env = { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url }
  const [a, b] = await Promise.all([instance(env), instance(env)])
  const workshop = await createWorkshop(a.url)
  const ada = await participant(a, workshop.id, 'swot', 'Ada')
  const adaEcho = await connectSynced(a.syncUrl, `${workshop.id}/swot`)
  const grace = await participant(b, workshop.id, 'actions', 'Grace')
  const graceEcho = await connectSynced(b.syncUrl, `${workshop.id}/actions`)
  await writeNote(ada, adaEcho, 'shape:n1', 'Strong brand')

  // Ada leaves: instance A has nobody left, but the session goes on on B.
  ada.destroy()
  adaEcho.destroy()
  await untilNoRooms(a)
  expect(await listSnapshots(a, workshop.id)).toEqual([])

  // Grace goes on editing, then leaves: B ends the session, once.
  await writeNote(grace, graceEcho, 'shape:n2', 'Send proposal')
  grace.destroy()
  graceEcho.destroy()
  await untilNoRooms(b)
  const snapshots = await listSnapshots(b, workshop.id)
  expect(snapshots.map((s) => s.trigger)).toEqual(['session_end'])
  expect([...(await listSnapshots(a, workshop.id))]).toEqual(snapshots)
}, TIMEOUT_MS)

test('[I3] participants on two instances leaving at the same moment: one session_end snapshot', async () => {
  const env = { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url }
  const [a, b] = await Promise.all([instance(env), instance(env)])
  const workshop = await createWorkshop(a.url)
  const ada = await participant(a, workshop.id, 'swot', 'Ada')
  const adaEcho = await connectSynced(a.syncUrl, `${workshop.id}/swot`)
  const grace = await participant(b, workshop.id, 'swot', 'Grace')
  const graceEcho = await connectSynced(b.syncUrl, `${workshop.id}/swot`)
  await writeNote(ada, adaEcho, 'shape:n1', 'Strong brand')
  await writeNote(grace, graceEcho, 'shape:n2', 'Slow delivery')

  for (const client of [ada, adaEcho, grace, graceEcho]) client.destroy()
  await Promise.all([untilNoRooms(a), untilNoRooms(b)])
  expect((await listSnapshots(a, workshop.id)).map((s) => s.trigger)).toEqual(['session_end'])
}, TIMEOUT_MS)
