/**
 * [H1]–[H7] Each board keeps its change history: one writer's edits coalesced into one change,
 * attributed to their role and display name; the facilitator reverts a change as a new change
 * that every client receives, with conflicts listed where a field was changed again since; other
 * roles may read (guests only on boards customer-facing now) but not revert; bad input is a 4xx.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiErrorSchema } from '../../shared/api.ts'
import type { BoardId } from '../../shared/boards.ts'
import { readStoredSchema, writeRecordChanges, writeStoredSchema } from '../../shared/docLayout.ts'
import { ChangeListSchema, RevertResultSchema, type BoardChange, type ChangeList, type RevertResult } from '../../shared/historyApi.ts'
import type { Role } from '../../shared/roles.ts'
import { openBoard, serverHasAll, type BoardClient } from '../helpers/boardClients.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { action, arrow, arrowBinding, frame, note } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { CREATOR_META_KEY, creatorStamp } from '../../shared/recordRights.ts'

let server: TestServer
let workshop: TestWorkshop
let ada: BoardClient
let grace: BoardClient

function api(path: string, role: Role = 'facilitator', init: RequestInit = {}): Promise<Response> {
  const headers = { authorization: `Bearer ${workshop.tokens[role]}`, 'content-type': 'application/json', ...init.headers }
  return fetch(`${server.url}/api/workshops/${workshop.id}${path}`, { ...init, headers })
}

async function list(board: BoardId = 'swot', query = '', role: Role = 'facilitator'): Promise<ChangeList> {
  const response = await api(`/boards/${board}/changes${query}`, role)
  expect(response.status).toBe(200)
  return ChangeListSchema.parse(await response.json())
}

async function newest(board: BoardId = 'swot'): Promise<BoardChange> {
  const [change] = (await list(board, '?limit=1')).changes
  if (!change) throw new Error('no change recorded')
  return change
}

async function revert(changeId: string, board: BoardId = 'swot', body?: object): Promise<RevertResult> {
  const response = await api(`/boards/${board}/changes/${changeId}/revert`, 'facilitator', { method: 'POST', ...(body ? { body: JSON.stringify(body) } : {}) })
  expect(response.status).toBe(200)
  return RevertResultSchema.parse(await response.json())
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe(code)
}

/** A record of `client` with top-level fields changed. */
function moved(client: BoardClient, id: string, fields: JsonObject): JsonObject {
  const record = client.records().get(id)
  if (!record) throw new Error(`no record ${id}`)
  return { ...record, ...fields }
}

function notes(client: BoardClient, prefix: string): string[] {
  return [...client.records().keys()].filter((id) => id.startsWith(prefix)).sort()
}

beforeAll(async () => {
  // A long pause window: changes close when a list is read ([H5]) or a writer leaves, never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
  workshop = await server.createWorkshop()
  ada = await openBoard(server, workshop.id, 'swot', 'Ada Lovelace')
  grace = await openBoard(server, workshop.id, 'swot', 'Grace Hopper')
})

afterAll(async () => {
  ada?.destroy()
  grace?.destroy()
  await server?.close()
})

test('ten moves of one note in a window are one change, by the writer\'s role and name [H1][H2]', async () => {
  await ada.write([note('shape:drag', { x: 0, y: 0 }, 'Dragged')])
  await list()
  for (let i = 1; i <= 10; i++) await ada.write([moved(ada, 'shape:drag', { x: i * 10, y: i * 5 })])
  const { changes } = await list()
  const [change] = changes
  expect(change).toMatchObject({ role: 'team', name: 'Ada Lovelace', kind: 'edit', revertOf: null, board: 'swot', workshopId: workshop.id })
  expect(change?.records).toHaveLength(1)
  expect(change?.records[0]).toMatchObject({ id: 'shape:drag', typeName: 'shape', type: 'note', before: { x: 0, y: 0 }, after: { x: 100, y: 50 } })
  // The creation before is its own change, listed after it.
  expect(changes[1]?.records[0]).toMatchObject({ id: 'shape:drag', before: null, after: { x: 0 } })
})

test('a field someone else changed while a change was open stays out of it, and out of its revert [H2][H4]', async () => {
  await ada.write([note('shape:shared-edit', { x: 0, y: 0 }, 'Shared edit')])
  await list()
  await ada.write([moved(ada, 'shape:shared-edit', { x: 10 })])
  await waitFor(() => grace.records().get('shape:shared-edit')?.x === 10, 'Grace to see the move')
  const recolored = grace.records().get('shape:shared-edit')
  await grace.write([{ ...recolored, props: { ...(recolored?.props as JsonObject), color: 'blue' } }])
  await waitFor(() => (ada.records().get('shape:shared-edit')?.props as JsonObject | undefined)?.color === 'blue', 'Ada to see the colour')
  await ada.write([moved(ada, 'shape:shared-edit', { x: 20 })])
  const changes = (await list('swot', '?limit=2')).changes
  const adas = changes.find((c) => c.name === 'Ada Lovelace')
  expect(changes.find((c) => c.name === 'Grace Hopper')?.records[0]).toMatchObject({ before: { props: { color: 'yellow' } }, after: { props: { color: 'blue' } } })
  expect(adas?.records[0]).toMatchObject({ before: { x: 0, props: { color: 'blue' } }, after: { x: 20, props: { color: 'blue' } } })

  const result = await revert(adas?.id ?? '')
  expect(result).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => ada.records().get('shape:shared-edit')?.x === 0, 'the move to go back')
  expect((ada.records().get('shape:shared-edit')?.props as JsonObject).color).toBe('blue')
})

test('reverting an old delete leaves a note that came back and was deleted again since, and says so (QA q28b) [H4]', async () => {
  const theta = note('shape:theta', { x: 0, y: 600 }, 'Theta obsolete')
  await ada.write([theta])
  await list()
  await ada.remove(['shape:theta'])
  const first = await newest()
  expect(first.records).toMatchObject([{ id: 'shape:theta', after: null }])
  // Undone (back), then deleted again on purpose.
  await ada.write([theta])
  await list()
  await ada.remove(['shape:theta'])
  await list()
  const result = await revert(first.id)
  expect(result).toMatchObject({ reverted: 0, change: null, conflicts: [{ recordId: 'shape:theta', field: null, reason: 'deleted_since' }] })
  expect(ada.records().has('shape:theta')).toBe(false)
  // The latest delete still reverts.
  const latest = (await list()).changes.find((change) => change.records.some((record) => record.id === 'shape:theta' && record.after === null))
  expect(await revert(latest?.id ?? '')).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => ada.records().has('shape:theta'), 'the note to come back')
})

test('a note created and deleted within one change drops out of it [H2]', async () => {
  await ada.write([note('shape:brief', { x: 0, y: 0 }, 'Brief'), note('shape:kept', { x: 50, y: 0 }, 'Kept')])
  await ada.remove(['shape:brief'])
  const change = await newest()
  expect(change.records.map((r) => r.id)).toEqual(['shape:kept'])
})

test('a wipe is reverted as a new change every client sees; the revert can be reverted too [H4]', async () => {
  await ada.write([1, 2, 3, 4, 5, 6].map((i) => note(`shape:wipe${i}`, { x: i * 220, y: 0 }, `Note ${i}`)))
  await list()
  await grace.remove([1, 2, 3, 4, 5, 6].map((i) => `shape:wipe${i}`))
  await waitFor(() => notes(ada, 'shape:wipe').length === 0, 'Ada to see the wipe')
  const wipe = await newest()
  expect(wipe).toMatchObject({ role: 'team', name: 'Grace Hopper' })
  expect(wipe.records.every((r) => r.after === null && r.type === 'note')).toBe(true)

  const result = await revert(wipe.id)
  expect(result.conflicts).toEqual([])
  expect(result.reverted).toBe(6)
  // [H3] credited to the facilitator who asked, by the name their page gave.
  expect(result.change).toMatchObject({ role: 'facilitator', name: null, kind: 'revert', revertOf: wipe.id, connId: null })
  await waitFor(() => notes(ada, 'shape:wipe').length === 6 && notes(grace, 'shape:wipe').length === 6, 'both clients to get the notes back')
  expect(ada.records().get('shape:wipe3')).toMatchObject({ x: 660, props: { color: 'yellow' } })
  // The revert is listed as the newest change.
  expect((await newest()).id).toBe(result.change?.id)

  const again = await revert(result.change?.id ?? '')
  expect(again).toMatchObject({ reverted: 6, conflicts: [], change: { kind: 'revert', revertOf: result.change?.id } })
  await waitFor(() => notes(grace, 'shape:wipe').length === 0, 'the notes to go again')
})

test('a field changed again since is left alone and listed as a conflict; the others go back [H4]', async () => {
  await ada.write([note('shape:c1', { x: 0, y: 0 }, 'Conflicted')])
  await list()
  await ada.write([{ ...moved(ada, 'shape:c1', { x: 500 }), props: { ...(ada.records().get('shape:c1')?.props as JsonObject), color: 'red' } }])
  const edit = await newest()
  await waitFor(() => grace.records().get('shape:c1')?.x === 500, 'Grace to see the edit')
  await grace.write([moved(grace, 'shape:c1', { x: 900 })])
  await list()

  const result = await revert(edit.id)
  // A shape's place (parent, x, y, index) is one field of a revert: moved again since, it stays.
  expect(result.conflicts).toEqual([{ recordId: 'shape:c1', field: 'place', reason: 'changed_since' }])
  expect(result.reverted).toBe(1)
  await waitFor(() => (ada.records().get('shape:c1')?.props as JsonObject | undefined)?.color === 'yellow', 'the color to go back')
  expect(ada.records().get('shape:c1')?.x).toBe(900)
})

test('a note moved to another frame and moved again there since is not put half back: its place stays whole [H4]', async () => {
  // QA pass q26a: the note went back to its first quadrant at the coordinates of the second move.
  await ada.write([frame('shape:place-a', { x: 0, y: 2000 }, 400, 400, 'A'), frame('shape:place-b', { x: 600, y: 2000 }, 400, 400, 'B')])
  await ada.write([note('shape:placed', { x: 20, y: 20, parentId: 'shape:place-a' }, 'Placed')])
  await list()
  await ada.write([moved(ada, 'shape:placed', { parentId: 'shape:place-b', x: 40, y: 40 })])
  const move = await newest()
  await waitFor(() => grace.records().get('shape:placed')?.parentId === 'shape:place-b', 'Grace to see the move')
  await grace.write([moved(grace, 'shape:placed', { x: 200, y: 220 })])
  await list()

  const result = await revert(move.id)
  expect(result).toEqual({ change: null, reverted: 0, conflicts: [{ recordId: 'shape:placed', field: 'place', reason: 'changed_since' }] })
  expect(ada.records().get('shape:placed')).toMatchObject({ parentId: 'shape:place-b', x: 200, y: 220 })

  // Not moved again: the whole place goes back.
  await ada.write([moved(ada, 'shape:placed', { parentId: 'shape:place-a', x: 60, y: 60 })])
  const second = await newest()
  const back = await revert(second.id)
  expect(back).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => ada.records().get('shape:placed')?.parentId === 'shape:place-b', 'the note to go back to B')
  expect(ada.records().get('shape:placed')).toMatchObject({ x: 200, y: 220 })
})

test('a deleted note whose frame was deleted since is not put back where no page shows it; once the frame is back, it is [H4]', async () => {
  // QA pass q26a: "Reverted 1 item" put the note into a quadrant deleted since: in the document, on no canvas.
  await ada.write([frame('shape:orphan-frame', { x: 0, y: 3000 }, 400, 400, 'Threats')])
  await ada.write([note('shape:orphan', { x: 20, y: 20, parentId: 'shape:orphan-frame' }, 'Reorg in 2027')])
  await list()
  await ada.remove(['shape:orphan'])
  const noteDeleted = await newest()
  await grace.remove(['shape:orphan-frame'])
  const frameDeleted = await newest()
  await waitFor(() => !ada.records().has('shape:orphan-frame'), 'Ada to see the frame go')

  const refused = await revert(noteDeleted.id)
  expect(refused).toEqual({ change: null, reverted: 0, conflicts: [{ recordId: 'shape:orphan', field: null, reason: 'parent_gone' }] })
  expect(ada.records().has('shape:orphan')).toBe(false)

  expect(await revert(frameDeleted.id)).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => ada.records().has('shape:orphan-frame'), 'the frame to come back')
  expect(await revert(noteDeleted.id)).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => grace.records().get('shape:orphan')?.parentId === 'shape:orphan-frame', 'the note to come back into its frame')
})

test('a note deleted with its frame comes back only if the frame does: a frame whose own frame was deleted since keeps both out [H4]', async () => {
  // Review (twenty-sixth session): records put back by one revert counted as present for each
  // other even when one was itself refused, so the note came back into a frame that did not.
  await ada.write([frame('shape:nest-outer', { x: 0, y: 3600 }, 800, 800, 'Outer')])
  await ada.write([frame('shape:nest-inner', { x: 20, y: 20, parentId: 'shape:nest-outer' }, 400, 400, 'Inner')])
  await ada.write([note('shape:nest-note', { x: 20, y: 20, parentId: 'shape:nest-inner' }, 'Budget freeze')])
  await list()
  await ada.remove(['shape:nest-note', 'shape:nest-inner'])
  const bothDeleted = await newest()
  expect(bothDeleted.records.map((r) => r.id).sort()).toEqual(['shape:nest-inner', 'shape:nest-note'])
  await grace.remove(['shape:nest-outer'])
  const outerDeleted = await newest()
  await waitFor(() => !ada.records().has('shape:nest-outer'), 'Ada to see the outer frame go')

  const refused = await revert(bothDeleted.id)
  expect(refused).toMatchObject({ change: null, reverted: 0 })
  expect(refused.conflicts.sort((a, b) => a.recordId.localeCompare(b.recordId))).toEqual([
    { recordId: 'shape:nest-inner', field: null, reason: 'parent_gone' },
    { recordId: 'shape:nest-note', field: null, reason: 'parent_gone' },
  ])
  expect(ada.records().has('shape:nest-note')).toBe(false)

  // The outer frame back, both come back together.
  expect(await revert(outerDeleted.id)).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => ada.records().has('shape:nest-outer'), 'the outer frame to come back')
  expect(await revert(bothDeleted.id)).toMatchObject({ reverted: 2, conflicts: [] })
  await waitFor(() => grace.records().get('shape:nest-note')?.parentId === 'shape:nest-inner', 'the note to come back into its frame')
})

test('a line end moved back to a card deleted since is not written: the binding would end nowhere [H4]', async () => {
  // Review of the place fix: a binding updated in place (its end dragged to another card), the
  // card it ended on before deleted since, and the move reverted.
  await ada.write([note('shape:bound-ana', { x: 0, y: 4000 }, 'Ana'), note('shape:bound-ben', { x: 400, y: 4000 }, 'Ben'), note('shape:bound-carla', { x: 800, y: 4000 }, 'Carla')])
  await ada.write([arrow('shape:bound-line', { x: 0, y: 4000 })])
  await ada.write([arrowBinding('shape:bound-line', 'shape:bound-ana', 'start'), arrowBinding('shape:bound-line', 'shape:bound-ben', 'end')])
  await list()
  await ada.write([arrowBinding('shape:bound-line', 'shape:bound-carla', 'end')])
  const moved = await newest()
  expect(moved.records.map((r) => r.id)).toEqual(['binding:bound-line-end'])
  await grace.remove(['shape:bound-ben'])
  await list()
  const result = await revert(moved.id)
  expect(result).toEqual({ change: null, reverted: 0, conflicts: [{ recordId: 'binding:bound-line-end', field: null, reason: 'parent_gone' }] })
  expect(ada.records().get('binding:bound-line-end')).toMatchObject({ toId: 'shape:bound-carla' })
})

test('reverting a change whose records were deleted since lists conflicts and writes nothing [H4]', async () => {
  await ada.write([note('shape:gone', { x: 0, y: 0 }, 'Gone')])
  await list()
  await ada.write([moved(ada, 'shape:gone', { x: 40 })])
  const edit = await newest()
  await grace.remove(['shape:gone'])
  const before = (await list()).changes.length
  const result = await revert(edit.id)
  expect(result).toEqual({ change: null, reverted: 0, conflicts: [{ recordId: 'shape:gone', field: null, reason: 'deleted_since' }] })
  expect((await list()).changes.length).toBe(before)
})

test('a record that the tldraw schema refuses is not written back: listed as invalid, nothing changes [H4]', async () => {
  const broken = { id: 'shape:broken', typeName: 'shape', type: 'note', x: 0, y: 0, props: { color: 'not-a-colour' } }
  const forged: BoardChange = {
    id: 'forgedchange1',
    workshopId: workshop.id,
    board: 'swot',
    at: new Date().toISOString(),
    role: 'team',
    name: 'Mallory',
    connId: 'conn0000',
    kind: 'edit',
    revertOf: null,
    customerFacing: false,
    records: [{ id: 'shape:broken', typeName: 'shape', type: 'note', before: broken, after: null }],
  }
  await server.store.appendChange(forged)
  const newestBefore = (await newest()).id
  const result = await revert(forged.id)
  expect(result).toEqual({ change: null, reverted: 0, conflicts: [{ recordId: 'shape:broken', field: null, reason: 'invalid' }] })
  expect(ada.records().has('shape:broken')).toBe(false)
  expect((await newest()).id).toBe(newestBefore)
})

test('a change on a board nobody has open is reverted through a loaded room, stored, and seen on the next open [H4]', async () => {
  const room = `${workshop.id}/stakeholders`
  const sam = await openBoard(server, workshop.id, 'stakeholders', 'Sam')
  await sam.write([note('shape:lonely', { x: 0, y: 0 }, 'Lonely')])
  await list('stakeholders')
  await sam.remove(['shape:lonely'])
  const deleted = await newest('stakeholders')
  sam.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')

  const result = await revert(deleted.id, 'stakeholders')
  expect(result).toMatchObject({ reverted: 1, conflicts: [], change: { kind: 'revert', board: 'stakeholders' } })
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload again')
  const again = await openBoard(server, workshop.id, 'stakeholders', 'Sam')
  expect(again.records().get('shape:lonely')).toMatchObject({ type: 'note' })
  again.destroy()
})

test('a board stored in another schema version is refused with 409 and left unchanged [H4]', async () => {
  const other = await server.createWorkshop()
  const board = await openBoard(server, other.id, 'actions', 'Ada')
  await board.write([action('shape:versioned', { x: 0, y: 0 }, { title: 'Versioned' })])
  await board.write([moved(board, 'shape:versioned', { x: 90 })])
  const room = server.server.rooms.get(`${other.id}/actions`)
  if (!room) throw new Error('the board is not loaded')
  const stored = readStoredSchema(room.doc)
  if (stored?.schemaVersion !== 2) throw new Error('expected a v2 schema')
  // An older tldraw schema in the live document, as a tab of an older version would leave it.
  writeStoredSchema(room.doc, { ...stored, sequences: { ...stored.sequences, 'com.tldraw.shape.note': 1 } }, 'test')
  const listed = await fetch(`${server.url}/api/workshops/${other.id}/boards/actions/changes`, { headers: { authorization: `Bearer ${other.tokens.facilitator}` } })
  const [change] = ChangeListSchema.parse(await listed.json()).changes
  const response = await fetch(`${server.url}/api/workshops/${other.id}/boards/actions/changes/${change?.id}/revert`, {
    method: 'POST',
    headers: { authorization: `Bearer ${other.tokens.facilitator}` },
  })
  await expectError(response, 409, 'revert_refused')
  expect(board.records().get('shape:versioned')?.x).toBe(90)
  board.destroy()
})

test('pages: newest first, cut by the cursor, until nextCursor is null [H5]', async () => {
  for (const i of [1, 2, 3]) {
    await ada.write([note(`shape:page${i}`, { x: 0, y: i * 300 }, `Page ${i}`)])
    await list()
  }
  const first = await list('swot', '?limit=2')
  expect(first.changes.map((c) => c.records[0]?.id)).toEqual(['shape:page3', 'shape:page2'])
  const second = await list('swot', `?limit=2&cursor=${first.nextCursor}`)
  expect(second.changes[0]?.records[0]?.id).toBe('shape:page1')
  let cursor = second.nextCursor
  let pages = 2
  while (cursor !== null) {
    cursor = (await list('swot', `?limit=2&cursor=${cursor}`)).nextCursor
    pages++
  }
  expect(pages).toBeGreaterThan(2)
})

test('roles: team and viewer read but may not revert; a guest reads only customer-facing boards [H6][H7]', async () => {
  const change = await newest()
  for (const role of ['team', 'viewer'] as const) {
    expect((await list('swot', '', role)).changes[0]?.id).toBe(change.id)
    await expectError(await api(`/boards/swot/changes/${change.id}/revert`, role, { method: 'POST' }), 403, 'forbidden')
  }
  await expectError(await api('/boards/swot/changes', 'guest'), 403, 'forbidden')
  await expectError(await api(`/boards/swot/changes/${change.id}/revert`, 'guest', { method: 'POST' }), 403, 'forbidden')
  expect((await list('actions', '', 'guest')).changes).toEqual([])
  await expectError(await fetch(`${server.url}/api/workshops/${workshop.id}/boards/swot/changes`), 401, 'unauthorized')
})

test('a guest sees only the changes recorded while the board was customer-facing [H6]', async () => {
  const internal = await newest('swot')
  const settings = { customerFacing: { swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false } }
  expect((await api('/settings', 'facilitator', { method: 'PUT', body: JSON.stringify(settings) })).status).toBe(200)
  const viewerOfShared = await openBoard(server, workshop.id, 'swot', 'Ada again')
  await viewerOfShared.write([note('shape:shared', { x: 0, y: 0 }, 'Shared')])
  const guestView = await list('swot', '', 'guest')
  expect(guestView.changes.map((c) => c.records[0]?.id)).toEqual(['shape:shared'])
  expect(guestView.changes.some((c) => c.id === internal.id)).toBe(false)
  viewerOfShared.destroy()
  const internalAgain = { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } }
  expect((await api('/settings', 'facilitator', { method: 'PUT', body: JSON.stringify(internalAgain) })).status).toBe(200)
})

test('bad input: unknown ids 404, malformed ids, boards, cursors and limits 400 [H5][H7]', async () => {
  const change = await newest()
  await expectError(await api('/boards/swot/changes/unknownchange1/revert', 'facilitator', { method: 'POST' }), 404, 'not_found')
  // A change of another board is unknown on this one.
  await expectError(await api(`/boards/actions/changes/${change.id}/revert`, 'facilitator', { method: 'POST' }), 404, 'not_found')
  await expectError(await api('/boards/swot/changes/bad!/revert', 'facilitator', { method: 'POST' }), 400, 'invalid_param')
  await expectError(await api('/boards/kanban/changes'), 400, 'invalid_param')
  await expectError(await api('/boards/swot/changes?limit=0'), 400, 'invalid_query')
  await expectError(await api('/boards/swot/changes?limit=1000'), 400, 'invalid_query')
  await expectError(await api('/boards/swot/changes?cursor=abc'), 400, 'invalid_query')
  await expectError(await api('/boards/swot/changes?other=1'), 400, 'invalid_query')
  const otherWorkshop = await server.createWorkshop()
  const elsewhere = await fetch(`${server.url}/api/workshops/${otherWorkshop.id}/boards/swot/changes/${change.id}/revert`, {
    method: 'POST',
    headers: { authorization: `Bearer ${otherWorkshop.tokens.facilitator}` },
  })
  await expectError(elsewhere, 404, 'not_found')
  expect((await newest()).id).toBe(change.id)
})

test('a guest\'s edits on a customer-facing board are recorded as the guest\'s [H1]', async () => {
  const room = `${workshop.id}/actions`
  const guest = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:carla' } })
  guest.provider.awareness.setLocalStateField('presence', { userId: 'user:carla', userName: 'Carla Customer' })
  // [R5] a guest stamps what it creates with its own user id.
  const stamp = { [CREATOR_META_KEY]: creatorStamp({ role: 'guest', userId: 'user:carla' }) }
  const card = action('shape:guest-action', { x: 0, y: 0, meta: stamp }, { title: 'Send data' }) as unknown as JsonObject // a tldraw record is JSON
  writeRecordChanges(guest.doc, { put: [card], remove: [] })
  await serverHasAll(server, room, guest.doc)
  expect(await newest('actions')).toMatchObject({ role: 'guest', name: 'Carla Customer (guest)', customerFacing: true })
  guest.destroy()
})

test('a revert and a restore are credited to the facilitator who asked, by name; a bad name is refused [H3]', async () => {
  await ada.write([note('shape:credit', { x: 0, y: 0 }, 'Credit')])
  await ada.remove(['shape:credit'])
  const removal = await newest()
  const result = await revert(removal.id, 'swot', { by: 'Frida Facilitator' })
  expect(result.change).toMatchObject({ role: 'facilitator', name: 'Frida Facilitator', kind: 'revert', revertOf: removal.id })
  expect((await newest()).name).toBe('Frida Facilitator')
  const badName = await api(`/boards/swot/changes/${removal.id}/revert`, 'facilitator', { method: 'POST', body: JSON.stringify({ by: 'Eve\u0007' }) })
  await expectError(badName, 400, 'invalid_body')
  const snapshot = await api('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  const { id } = (await snapshot.json()) as { id: string } // the plan record; only its id is used
  await ada.write([note('shape:after-credit', { x: 0, y: 0 }, 'After')])
  const restore = await api(`/snapshots/${id}/restore`, 'facilitator', { method: 'POST', body: JSON.stringify({ board: 'swot', by: 'Frida Facilitator' }) })
  expect(restore.status).toBe(200)
  expect(await newest()).toMatchObject({ role: 'facilitator', name: 'Frida Facilitator', kind: 'restore' })
})

test('a snapshot restore is recorded as one change, by the facilitator who asked [H3]', async () => {
  const snapshot = await api('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  const { id } = (await snapshot.json()) as { id: string } // the plan record; only its id is used
  await ada.write([note('shape:after-snap1', { x: 0, y: 0 }, 'One'), note('shape:after-snap2', { x: 300, y: 0 }, 'Two')])
  const restore = await api(`/snapshots/${id}/restore`, 'facilitator', { method: 'POST', body: JSON.stringify({ board: 'swot' }) })
  expect(restore.status).toBe(200)
  const change = await newest()
  expect(change).toMatchObject({ role: 'facilitator', name: null, kind: 'restore', connId: null })
  expect(change.records.map((r) => r.id).sort()).toEqual(['shape:after-snap1', 'shape:after-snap2'])
})
