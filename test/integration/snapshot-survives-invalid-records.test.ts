/**
 * [S16] A board holding records that fail validation still gets its snapshot, with the problems
 * under `warnings`. [S18] What comes back from storage is validated: a damaged stored snapshot is a
 * 500 `corrupt_snapshot` for that snapshot only, and the server goes on.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiErrorSchema, type Workshop } from '../../shared/api.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { DATABASE_FILE } from '../../server/store/SqliteStore.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: Workshop
let board: BoardClient

const api = (path: string, init?: RequestInit) => fetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)
async function takeSnapshot(): Promise<PlanRecord> {
  const response = await api('/snapshots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  board = await openBoard(server, workshop.id, 'stakeholders', 'Ada')
})

afterAll(async () => {
  board?.destroy()
  await server?.close()
})

test('invalid records become warnings; the valid ones are in the plan', async () => {
  const good = stakeholder('shape:good', { x: 0, y: 0 }, { name: 'Dana Ortiz' })
  const badAttitude = { ...stakeholder('shape:bad', { x: 400, y: 0 }, { name: 'Lee Chen' }), props: { ...stakeholder('shape:x', { x: 0, y: 0 }).props, attitude: 'hostile' } }
  const unknownType = { id: 'widget:1', typeName: 'widget' }
  // Clients can no longer write these ([S26], [R1]), but a board stored before the update guard, or
  // by an older server, may hold them: written here by server code, which the guard does not judge.
  await server.server.rooms.withRoom(workshop.id, 'stakeholders', async (room) => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
    const vector = Y.encodeStateVector(copy)
    const records = [good, badAttitude, unknownType] as unknown as JsonObject[] // records as JSON, valid or not
    writeRecordChanges(copy, { put: records, remove: [] })
    await room.applyServerUpdate(Y.encodeStateAsUpdate(copy, vector))
  })

  const record = await takeSnapshot()
  expect(record.stakeholders.map((s) => s.id)).toEqual(['shape:good'])
  expect(record.warnings).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ board: 'stakeholders', shapeId: 'shape:bad', message: expect.stringContaining('attitude') }),
      expect.objectContaining({ board: 'stakeholders', shapeId: 'widget:1' }),
    ]),
  )
  const list = SnapshotListSchema.parse(await (await api('/snapshots')).json())
  expect(list.snapshots[0]?.counts.warnings).toBe(record.warnings.length)
  expect(await (await api(`/snapshots/${record.id}?format=md`)).text()).toContain('Could not be read')
})

test('a stored snapshot that fails validation is a 500 for that snapshot only; the rest keeps working', async () => {
  const healthy = await takeSnapshot()
  const damaged = await takeSnapshot()
  const db = new Database(path.join(server.dataDir, DATABASE_FILE))
  db.prepare("UPDATE snapshots SET plan = json_set(plan, '$.swot', 'not a swot') WHERE id = ?").run(damaged.id)
  db.prepare('UPDATE snapshot_boards SET state = ? WHERE snapshot_id = ?').run(Buffer.from([0xff, 0xff, 0xff]), damaged.id)
  db.close()

  for (const path of [`/snapshots/${damaged.id}`, `/snapshots/${damaged.id}/actions.csv`, `/snapshots/${healthy.id}/diff/${damaged.id}`]) {
    const response = await api(path)
    expect(response.status, path).toBe(500)
    expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('corrupt_snapshot')
  }
  expect((await api(`/snapshots/${healthy.id}`)).status).toBe(200)
  expect((await api('/snapshots')).status).toBe(200)
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  // The live board is untouched and still syncs.
  expect(board.records().get('shape:good')).toBeDefined()
  expect(Y.encodeStateVector(board.doc).length).toBeGreaterThan(1)
})

test('a damaged board state is a 500 for that board, and a restore from it changes nothing', async () => {
  const target = await takeSnapshot()
  const db = new Database(path.join(server.dataDir, DATABASE_FILE))
  db.prepare('UPDATE snapshot_boards SET state = ? WHERE snapshot_id = ?').run(Buffer.from([0x01, 0x05, 0xff]), target.id)
  db.close()
  const before = SnapshotListSchema.parse(await (await api('/snapshots')).json()).snapshots.length

  const read = await api(`/snapshots/${target.id}/boards/stakeholders`)
  expect(read.status).toBe(500)
  expect(ApiErrorSchema.parse(await read.json()).error.code).toBe('corrupt_snapshot')
  const restore = await api(`/snapshots/${target.id}/restore`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"board":"stakeholders"}',
  })
  expect(restore.status).toBe(500)
  expect(ApiErrorSchema.parse(await restore.json()).error.code).toBe('corrupt_snapshot')
  expect(SnapshotListSchema.parse(await (await api('/snapshots')).json()).snapshots).toHaveLength(before)
  expect(board.records().get('shape:good')).toBeDefined()
})
