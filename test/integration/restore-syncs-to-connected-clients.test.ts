/**
 * [S19] Restoring a board to a snapshot is a new change: connected clients receive it without a
 * reconnect, it is stored like any update, a `before_restore` snapshot is taken first, and
 * restoring that one undoes the restore. A live board whose stored schema is older, unknown or
 * damaged is restored all the same, and stored in the current schema afterwards.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Workshop } from '../../shared/api.ts'
import type { BoardId } from '../../shared/boards.ts'
import type { SerializedSchema } from '@tldraw/store'
import * as Y from 'yjs'
import { DOC_KEYS, readRecords, readStoredSchema, writeRecordChanges } from '../../shared/docLayout.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { RestoreResultSchema, SnapshotListSchema, type RestoreResult } from '../../shared/snapshotApi.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { waitFor } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { SAMPLE, withProps } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: Workshop
let ada: BoardClient
let grace: BoardClient

const api = (path: string, init?: RequestInit) => fetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)
const post = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function snapshot(): Promise<PlanRecord> {
  return PlanRecordSchema.parse(await (await post('/snapshots', {})).json())
}

async function restore(snapshotId: string, board: BoardId): Promise<RestoreResult> {
  const response = await post(`/snapshots/${snapshotId}/restore`, { board })
  expect(response.status).toBe(200)
  return RestoreResultSchema.parse(await response.json())
}

/** The stakeholder names and attitudes a client sees, sorted by name. */
function people(client: BoardClient): string[] {
  return [...client.records().values()]
    .filter((r) => r.type === 'stakeholder')
    .map((r) => {
      const props = r.props as { name: string; attitude: string } // stakeholder props, written by these tests
      return `${props.name}:${props.attitude}`
    })
    .sort()
}

beforeAll(async () => {
  server = await startServer({ roomUnloadGraceMs: 20 })
  workshop = await server.createWorkshop()
  ada = await openBoard(server, workshop.id, 'stakeholders', 'Ada')
  grace = await openBoard(server, workshop.id, 'stakeholders', 'Grace')
  await ada.write(SAMPLE.stakeholders)
})

afterAll(async () => {
  ada?.destroy()
  grace?.destroy()
  await server?.close()
})

test('a restore reaches every connected client as a change, after a before_restore snapshot, and can be undone', async () => {
  const original = await snapshot()
  const closes: unknown[] = []
  grace.provider.on('connection-close', (event) => closes.push(event))

  await ada.write([withProps(ada, 'shape:ceo', { attitude: 'blocker' }), stakeholder('shape:new', { x: 800, y: 0 }, { name: 'Sam Park' })])
  await ada.remove(['shape:cfo'])
  const edited = ['Dana Ortiz:blocker', 'Sam Park:null']
  await waitFor(() => people(grace).join() === edited.join(), 'Grace to see the edits')

  const result = await restore(original.id, 'stakeholders')
  expect(result).toMatchObject({ board: 'stakeholders', restoredFrom: original.id, put: 2, removed: 1, skipped: [] })
  expect(result.beforeRestore?.trigger).toBe('before_restore')
  const restored = ['Dana Ortiz:neutral', 'Lee Chen:skeptic']
  await waitFor(() => people(grace).join() === restored.join() && people(ada).join() === restored.join(), 'both clients to see the restore')
  // The same document, changed: nobody was disconnected or reset.
  expect(closes).toEqual([])
  expect(grace.records().get('shape:r1')).toBeDefined()

  const list = SnapshotListSchema.parse(await (await api('/snapshots')).json()).snapshots
  expect(list.map((s) => s.trigger)).toEqual(['before_restore', 'manual'])

  // Restored again from the same snapshot: nothing to write, and no second "before" snapshot (QA q28b).
  const again = await restore(original.id, 'stakeholders')
  expect(again).toMatchObject({ put: 0, removed: 0, beforeRestore: null })
  expect(SnapshotListSchema.parse(await (await api('/snapshots')).json()).snapshots.map((s) => s.trigger)).toEqual(['before_restore', 'manual'])

  // Undo: restore the snapshot taken before the restore.
  await restore(result.beforeRestore?.id ?? '', 'stakeholders')
  await waitFor(() => people(grace).join() === edited.join(), 'the restore to be undone')
})

test('a restore is stored: a client joining later gets the restored board', async () => {
  const target = await snapshot()
  await ada.write([withProps(ada, 'shape:ceo', { attitude: 'champion' })])
  await restore(target.id, 'stakeholders')
  const late = await openBoard(server, workshop.id, 'stakeholders')
  expect(people(late)).toEqual(people(ada))
  expect(people(late)).not.toContain('Dana Ortiz:champion')
  late.destroy()
})

test('a board nobody has open is loaded, restored and unloaded, without a session_end snapshot', async () => {
  const other = await server.createWorkshop()
  const writer = await openBoard(server, other.id, 'actions', 'Ada')
  await writer.write(SAMPLE.actions)
  const first = PlanRecordSchema.parse(
    await (await fetch(`${server.url}/api/workshops/${other.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json(),
  )
  await writer.remove(['shape:a1', 'shape:a2'])
  writer.destroy()
  await waitFor(() => server.server.rooms.names().every((name) => !name.startsWith(other.id)), 'the workshop to unload')
  const countBefore = SnapshotListSchema.parse(await (await fetch(`${server.url}/api/workshops/${other.id}/snapshots`)).json()).snapshots.length

  const response = await fetch(`${server.url}/api/workshops/${other.id}/snapshots/${first.id}/restore`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ board: 'actions' }),
  })
  expect(response.status).toBe(200)
  await waitFor(() => server.server.rooms.names().every((name) => !name.startsWith(other.id)), 'the restored room to unload')
  const triggers = SnapshotListSchema.parse(await (await fetch(`${server.url}/api/workshops/${other.id}/snapshots`)).json()).snapshots.map((s) => s.trigger)
  expect(triggers).toHaveLength(countBefore + 1)
  expect(triggers[0]).toBe('before_restore')

  const reader = await openBoard(server, other.id, 'actions')
  expect([...reader.records().keys()]).toEqual(expect.arrayContaining(['shape:a1', 'shape:a2']))
  reader.destroy()
})

/**
 * [S19], [R6] Stored schemas an editor may have left before updates were checked (issue 11: a
 * guest deleted every record and wrote a "newer" schema, and restore answered 409 for good). The
 * damage is written into storage directly, as it would have been stored then.
 */
const damagedSchemas: [string, (stored: SerializedSchema) => unknown][] = [
  ['an older schema', (stored) => ({ ...stored, sequences: { ...(stored as { sequences: object }).sequences, 'com.tldraw.shape.note': 1 } })],
  ['a "newer" schema', (stored) => ({ ...stored, sequences: { ...(stored as { sequences: object }).sequences, 'com.tldraw.shape.note': 99, 'com.evil': 7 } })],
  ['garbage', () => 'not a schema'],
]

test.each(damagedSchemas)('a board whose stored schema was replaced by %s, records wiped, is restored', async (_name, damage) => {
  const other = await server.createWorkshop()
  const writer = await openBoard(server, other.id, 'stakeholders', 'Ada')
  await writer.write(SAMPLE.stakeholders)
  const target = PlanRecordSchema.parse(
    await (await fetch(`${server.url}/api/workshops/${other.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json(),
  )
  const room = `${other.id}/stakeholders`
  const stored = readStoredSchema(writer.doc)
  if (!stored) throw new Error('expected a stored schema')
  // Every record deleted and the schema replaced, by a client id the writer never used.
  const vandal = new Y.Doc()
  Y.applyUpdate(vandal, Y.encodeStateAsUpdate(writer.doc))
  const vector = Y.encodeStateVector(vandal)
  writeRecordChanges(vandal, { put: [], remove: [...readRecords(vandal).keys()] })
  vandal.getMap(DOC_KEYS.meta).set('schema', damage(stored))
  writer.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  await server.store.appendUpdates([{ docName: room, update: Y.encodeStateAsUpdate(vandal, vector) }])

  const response = await fetch(`${server.url}/api/workshops/${other.id}/snapshots/${target.id}/restore`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ board: 'stakeholders' }),
  })
  expect(response.status).toBe(200)
  const reader = await openBoard(server, other.id, 'stakeholders')
  expect(readStoredSchema(reader.doc)).toEqual(createKeyplanSchema().serialize())
  expect(people(reader)).toEqual(
    SAMPLE.stakeholders.filter((r) => r.typeName === 'shape' && r.type === 'stakeholder').map((r) => r.props as unknown as { name: string; attitude: string }).map((p) => `${p.name}:${p.attitude}`).sort(),
  )
  // And back: the before_restore snapshot holds the damaged schema; restoring it works too.
  const list = SnapshotListSchema.parse(await (await fetch(`${server.url}/api/workshops/${other.id}/snapshots`)).json()).snapshots
  const damaged = list.find((s) => s.trigger === 'before_restore')
  const back = await fetch(`${server.url}/api/workshops/${other.id}/snapshots/${damaged?.id}/restore`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ board: 'stakeholders' }),
  })
  expect(back.status).toBe(200)
  await waitFor(() => people(reader).length === 0, 'the wiped board to be restored')
  expect(readStoredSchema(reader.doc)).toEqual(createKeyplanSchema().serialize())
  reader.destroy()
})
