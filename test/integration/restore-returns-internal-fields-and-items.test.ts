/**
 * Issue 13 ([S19], [H3], [A35]): restoring a snapshot returns both documents of a board to what
 * the snapshot held. Internal items and internal field values written since are handled like
 * shared ones (gone, or back to their earlier values), what the snapshot held internally comes
 * back, durably, as one restore change in the history; the shared document never holds an
 * internal item on the way, and no canary reaches a guest.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_FROM_PARENT_META_KEY, INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { RestoreResultSchema } from '../../shared/snapshotApi.ts'
import { waitFor, type RawClient } from '../helpers/clients.ts'
import { frame, note, stakeholder } from '../helpers/planBoards.ts'
import type { TestServer, TestWorkshop } from '../helpers/startServer.ts'
import { heard, readHistory, serverWithGuest, storedBoard, teamPage } from '../helpers/teamAndGuest.ts'

const CANARY = 'CANARY-r3st'
const json = (value: unknown) => value as JsonObject // test records are JSON
const internalMeta = { meta: { [INTERNAL_META_KEY]: true } }
const shapesOf = (records: Map<string, JsonObject>) => new Map([...records].filter(([id]) => id.startsWith('shape:')))

let server: TestServer
let workshop: TestWorkshop
let guest: RawClient
let page: Awaited<ReturnType<typeof teamPage>> | undefined

const api = (path: string, role: Role, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops/${workshop.id}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${workshop.tokens[role]}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })

const history = async (role: Role) => (await readHistory(server, workshop, 'stakeholders', role)).list

beforeAll(async () => {
  ;({ server, workshop, guest } = await serverWithGuest('stakeholders'))
})

afterAll(async () => {
  page?.destroy()
  guest?.ws.close()
  await server?.close()
})

test('a restore returns internal fields and items to what the snapshot held, durably, as one change', async () => {
  page = await teamPage(server, workshop, 'stakeholders', 'Tom')
  const tom = { readAll: page.records }
  const write = page.change
  await write([
    json(stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva', attitude: 'supporter', notes: 'kept read' })),
    json(note('shape:kept', { x: 400, y: 0, ...internalMeta }, `${CANARY} kept item`)),
    json(note('shape:gone', { x: 400, y: 300, ...internalMeta }, `${CANARY} deleted item`)),
    json(note('shape:visible', { x: 0, y: 300 }, 'Visible note')),
  ])
  const atSnapshot = shapesOf(tom.readAll())
  const taken = await api('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  expect(taken.status).toBe(201)
  const snapshotId = PlanRecordSchema.parse(await taken.json()).id

  // Since the snapshot: an internal field changed, an internal item edited, one deleted, one
  // added, and a visible note added.
  const ana = tom.readAll().get('shape:ana') as JsonObject
  const kept = tom.readAll().get('shape:kept') as JsonObject
  await write(
    [
      { ...ana, props: { ...(ana.props as JsonObject), attitude: 'blocker', notes: `${CANARY} later read` } },
      { ...kept, props: { ...(kept.props as JsonObject), scale: 2 } },
      json(note('shape:later', { x: 800, y: 0, ...internalMeta }, `${CANARY} later item`)),
      json(note('shape:newVisible', { x: 0, y: 600 }, 'Later visible note')),
    ],
    ['shape:gone'],
  )
  await history('facilitator')

  const response = await api(`/snapshots/${snapshotId}/restore`, 'facilitator', { method: 'POST', body: JSON.stringify({ board: 'stakeholders' }) })
  expect(response.status).toBe(200)
  RestoreResultSchema.parse(await response.json())

  // Both parts are back, in storage and on the team's page.
  expect(shapesOf(await storedBoard(server, workshop, 'stakeholders'))).toEqual(atSnapshot)
  await waitFor(() => JSON.stringify([...shapesOf(tom.readAll())].sort()) === JSON.stringify([...atSnapshot].sort()), 'Tom sees the snapshot\'s board')
  // The shared document holds no internal item and no internal value.
  const sharedRecords = readRecords(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc ?? new Y.Doc())
  for (const id of ['shape:kept', 'shape:gone', 'shape:later']) expect(sharedRecords.has(id)).toBe(false)
  expect((sharedRecords.get('shape:ana')?.props as JsonObject).attitude).toBe('neutral')

  // [H3] one restore change, holding the internal items and fields for the team.
  const [restore] = (await history('facilitator')).changes
  expect(restore).toMatchObject({ kind: 'restore', role: 'facilitator' })
  expect(restore?.records.map((r) => r.id).sort()).toEqual(['shape:ana', 'shape:gone', 'shape:kept', 'shape:later', 'shape:newVisible'])
  // A guest sees the restore remove the visible note, and nothing else of it.
  const [guestRestore] = (await history('guest')).changes
  expect(guestRestore?.records.map((r) => r.id)).toEqual(['shape:newVisible'])

  await waitFor(() => heard(guest).includes('Later visible note'), 'the guest heard the visible note')
  expect(heard(guest)).not.toContain(CANARY)
})

test('an item marked internal since the snapshot stays internal through a restore; its other fields return', async () => {
  // (QA pass of 2026-12-06: a restore took the mark off, and the guest saw the note again.)
  const team = page ?? (page = await teamPage(server, workshop, 'stakeholders', 'Tom'))
  await team.change([json(note('shape:hidden-since', { x: 900, y: 300 }, 'Pricing 12% above incumbent'))])
  await waitFor(() => heard(guest).includes('Pricing 12% above incumbent'), 'the guest heard the note while it was visible')
  const taken = await api('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  expect(taken.status).toBe(201)
  const snapshotId = PlanRecordSchema.parse(await taken.json()).id

  const visible = team.records().get('shape:hidden-since') as JsonObject
  const moved = { ...visible, x: 1200, meta: { ...(visible.meta as JsonObject), [INTERNAL_META_KEY]: true } }
  await team.change([moved])
  await waitFor(() => !readRecords(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc ?? new Y.Doc()).has('shape:hidden-since'), 'the note left the shared document')
  const heardBefore = guest.received.length

  const response = await api(`/snapshots/${snapshotId}/restore`, 'facilitator', { method: 'POST', body: JSON.stringify({ board: 'stakeholders' }) })
  expect(response.status).toBe(200)
  const stored = (await storedBoard(server, workshop, 'stakeholders')).get('shape:hidden-since')
  expect(stored?.x).toBe(900) // back where the snapshot had it
  expect((stored?.meta as JsonObject)[INTERNAL_META_KEY]).toBe(true) // and still internal
  expect(readRecords(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc ?? new Y.Doc()).has('shape:hidden-since')).toBe(false)
  await waitFor(() => (team.records().get('shape:hidden-since') as JsonObject | undefined)?.x === 900, 'the team sees the note back in place')
  const sinceRestore = Buffer.concat(guest.received.slice(heardBefore).map((frame) => Buffer.from(frame))).toString('latin1')
  expect(sinceRestore).not.toContain('Pricing 12%')
})

test('a restore marks what it puts back inside a frame made internal since, and frees a card it puts back outside one', async () => {
  // (Review of 2026-12-06: the mark was taken only from the record itself. A note put back into a
  // frame the team made internal since went to the shared document, and a card internal only for
  // the frame it sat in stayed internal though put back outside it.)
  const team = page ?? (page = await teamPage(server, workshop, 'stakeholders', 'Tom'))
  const fromParent = { [INTERNAL_META_KEY]: true, [INTERNAL_FROM_PARENT_META_KEY]: true }
  await team.change([
    json(frame('shape:war-room', { x: 2000, y: 0 }, 600, 400, 'War room')),
    json(note('shape:in-frame', { x: 40, y: 40, parentId: 'shape:war-room' }, `${CANARY} in the frame`)),
    json(stakeholder('shape:cara', { x: 2000, y: 800 }, { name: 'Cara Free' })),
  ])
  const taken = await api('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  expect(taken.status).toBe(201)
  const snapshotId = PlanRecordSchema.parse(await taken.json()).id

  // Since: the frame made internal (and the note with it), the note then deleted; Cara moved into
  // another internal frame, internal from it.
  const records = team.records()
  const warRoom = records.get('shape:war-room') as JsonObject
  await team.change([
    { ...warRoom, meta: { [INTERNAL_META_KEY]: true } },
    json(frame('shape:back-room', { x: 3000, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 600, 600, 'Back room')),
  ])
  await team.change([{ ...(records.get('shape:cara') as JsonObject), parentId: 'shape:back-room', x: 20, y: 20, meta: fromParent }], ['shape:in-frame'])
  const heardBefore = guest.received.length

  const response = await api(`/snapshots/${snapshotId}/restore`, 'facilitator', { method: 'POST', body: JSON.stringify({ board: 'stakeholders' }) })
  expect(response.status).toBe(200)
  const stored = await storedBoard(server, workshop, 'stakeholders')
  expect(stored.get('shape:in-frame')?.meta).toMatchObject(fromParent)
  expect((stored.get('shape:war-room')?.meta as JsonObject)[INTERNAL_META_KEY]).toBe(true)
  const cara = stored.get('shape:cara')
  expect(cara?.parentId).not.toBe('shape:back-room')
  expect((cara?.meta as JsonObject)[INTERNAL_META_KEY]).toBeUndefined()
  const shared = readRecords(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc ?? new Y.Doc())
  expect(shared.has('shape:in-frame')).toBe(false)
  expect(shared.has('shape:cara')).toBe(true)
  const sinceRestore = Buffer.concat(guest.received.slice(heardBefore).map((frame) => Buffer.from(frame))).toString('latin1')
  expect(sinceRestore).not.toContain(CANARY)
})
