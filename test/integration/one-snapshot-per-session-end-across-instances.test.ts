/**
 * docs/server-rules.md [I3]: automatic snapshots are taken once per workshop, not once per
 * instance. The store's fenced insert stores a snapshot only while the snapshot its taker compared
 * with is still the newest (an instance that was paused, or decided at the same moment as another,
 * stores nothing); a session spread over two instances ends once, when its last participant on
 * any instance leaves.
 */
import fs from 'node:fs'
import type { JsonObject } from '@tldraw/utils'
import type { TLRecord } from '@tldraw/tlschema'
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
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { action } from '../helpers/planBoards.ts'
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

type Participant = { write(record: TLRecord): Promise<void>; leave(): void }

/**
 * A participant named `name` on `board` of instance `server`. `write` puts a note and waits until a
 * second client of the same instance has it, so that it is stored ([S1]).
 */
async function participant(server: ChildServer, workshopId: string, board: BoardId, name: string): Promise<Participant> {
  const client = await connectSynced(server.syncUrl, `${workshopId}/${board}`)
  const echo = await connectSynced(server.syncUrl, `${workshopId}/${board}`)
  client.provider.awareness.setLocalStateField('presence', { userId: `user:${name.toLowerCase()}`, userName: name })
  // The same bytes whoever seeds: a no-op when the board was seeded before.
  Y.applyUpdate(client.doc, createSeededBoardUpdate(board))
  return {
    async write(record) {
      writeRecordChanges(client.doc, { put: [record as unknown as JsonObject], remove: [] }) // a tldraw record is JSON
      await waitFor(() => readRecords(echo.doc).has(record.id), `${record.id} to be stored`, 60_000)
    },
    leave() {
      client.destroy()
      echo.destroy()
    },
  }
}

/** Two fresh instances on a new database and the shared Redis, and a workshop created on the first. */
async function twoInstances(): Promise<{ a: ChildServer; b: ChildServer; workshopId: string }> {
  const env = { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url }
  const [a, b] = await Promise.all([instance(env), instance(env)])
  return { a, b, workshopId: (await createWorkshop(a.url)).id }
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
  const { a, b, workshopId } = await twoInstances()
  const ada = await participant(a, workshopId, 'swot', 'Ada')
  const grace = await participant(b, workshopId, 'actions', 'Grace')
  await ada.write(noteIn('strengths', 'shape:n1', 'Strong brand'))

  // Ada leaves: instance A has nobody left, but the session goes on on B.
  ada.leave()
  await untilNoRooms(a)
  expect(await listSnapshots(a, workshopId)).toEqual([])

  // Grace goes on editing, then leaves: B ends the session, once.
  await grace.write(action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' }))
  grace.leave()
  await untilNoRooms(b)
  const snapshots = await listSnapshots(b, workshopId)
  expect(snapshots.map((s) => s.trigger)).toEqual(['session_end'])
  expect(await listSnapshots(a, workshopId)).toEqual(snapshots)
}, TIMEOUT_MS)

test('[I3] participants on two instances leaving at the same moment: one session_end snapshot', async () => {
  const { a, b, workshopId } = await twoInstances()
  const ada = await participant(a, workshopId, 'swot', 'Ada')
  const grace = await participant(b, workshopId, 'actions', 'Grace')
  await ada.write(noteIn('strengths', 'shape:n1', 'Strong brand'))
  await grace.write(action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' }))

  // Both instances may decide to end the session; the one that stores second finds the boards as
  // the other stored them.
  ada.leave()
  grace.leave()
  await Promise.all([untilNoRooms(a), untilNoRooms(b)])
  const snapshots = await listSnapshots(a, workshopId)
  expect(snapshots.map((s) => [s.trigger, s.counts.strengths, s.counts.actions])).toEqual([['session_end', 1, 1]])
}, TIMEOUT_MS)
