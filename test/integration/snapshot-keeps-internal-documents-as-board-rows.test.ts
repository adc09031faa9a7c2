/**
 * Issue 13/14 ([S16], [A36]): a snapshot keeps each board's internal document as bytes beside the
 * board's state, not base64 in its access record, and the team's view of a snapshot board still
 * holds the internal items; a snapshot stored before, with the internal document in its access
 * record, reads as it did. Guests get neither.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { SnapshotBoardSchema } from '../../shared/snapshotApi.ts'
import type { RawClient } from '../helpers/clients.ts'
import { note } from '../helpers/planBoards.ts'
import type { TestServer, TestWorkshop } from '../helpers/startServer.ts'
import { serverWithGuest, teamPage } from '../helpers/teamAndGuest.ts'

const CANARY = 'CANARY-r0ws'
const json = (value: unknown) => value as JsonObject // test records are JSON

let server: TestServer
let workshop: TestWorkshop
let guest: RawClient
let page: Awaited<ReturnType<typeof teamPage>> | undefined

const api = (path: string, role: Role, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops/${workshop.id}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${workshop.tokens[role]}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })

const boardIds = async (snapshotId: string, role: Role) => {
  const response = await api(`/snapshots/${snapshotId}/boards/stakeholders`, role)
  expect(response.status).toBe(200)
  const text = await response.text()
  return { text, ids: SnapshotBoardSchema.parse(JSON.parse(text)).records.map((record) => record.id) }
}

beforeAll(async () => {
  ;({ server, workshop, guest } = await serverWithGuest('stakeholders'))
})

afterAll(async () => {
  page?.destroy()
  guest?.ws.close()
  await server?.close()
})

test('a snapshot stores the internal document beside the board state; older snapshots keep it in their access record', async () => {
  page = await teamPage(server, workshop, 'stakeholders', 'Tom')
  await page.change([
    json(note('shape:secret', { x: 400, y: 0, meta: { [INTERNAL_META_KEY]: true } }, `${CANARY} internal item`)),
    json(note('shape:visible', { x: 0, y: 300 }, 'Visible note')),
  ])
  const taken = await api('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  expect(taken.status).toBe(201)
  const plan = PlanRecordSchema.parse(await taken.json())

  const access = await server.store.getSnapshotAccess(workshop.id, plan.id)
  expect(access?.internalIds).toContain('shape:secret')
  expect(access?.internalStates).toBeUndefined()
  const internal = await server.store.getSnapshotInternalBoard(workshop.id, plan.id, 'stakeholders')
  if (!internal) throw new Error('no internal document stored with the board')
  const doc = new Y.Doc()
  Y.applyUpdate(doc, internal)
  expect([...readRecords(doc).keys()]).toContain('shape:secret')
  doc.destroy()
  expect(await server.store.getSnapshotInternalBoard(workshop.id, plan.id, 'swot')).toBeUndefined()

  expect((await boardIds(plan.id, 'team')).ids).toEqual(expect.arrayContaining(['shape:secret', 'shape:visible']))
  const seen = await boardIds(plan.id, 'guest')
  expect(seen.ids).toContain('shape:visible')
  expect(seen.text).not.toContain(CANARY)

  // As a server before this change stored it: the internal document base64 in the access record.
  const state = await server.store.getSnapshotBoard(workshop.id, plan.id, 'stakeholders')
  if (!state || !access) throw new Error('snapshot not stored')
  const older = { ...plan, id: 'older-snapshot-1' }
  await server.store.insertSnapshot({ plan: older, boards: { stakeholders: state }, access: { ...access, internalStates: { stakeholders: Buffer.from(internal).toString('base64') } } })
  expect(await server.store.getSnapshotInternalBoard(workshop.id, older.id, 'stakeholders')).toBeUndefined()
  expect((await boardIds(older.id, 'team')).ids).toEqual(expect.arrayContaining(['shape:secret', 'shape:visible']))
  expect((await boardIds(older.id, 'guest')).text).not.toContain(CANARY)
})
