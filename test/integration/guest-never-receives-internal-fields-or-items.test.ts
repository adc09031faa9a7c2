/**
 * Issue 13: on a customer-facing stakeholder map, a guest's websocket never carries an internal
 * field value or an internal item ([A30]–[A35] in docs/security.md), while the team sees one board.
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { readOverlays, readRecords, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { CLOSE_CODES, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { CREATOR_META_KEY } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { connectSynced, rawClient, syncFrame, updateFrame, waitFor, type RawClient } from '../helpers/clients.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { arrow, arrowBinding, note, stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const CANARY = 'CANARY-7f3a'
const json = (value: unknown) => value as JsonObject // test records are JSON

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })

async function customerFacingStakeholders(): Promise<TestWorkshop> {
  const workshop = await server.createWorkshop()
  const response = await api(`/${workshop.id}/settings`, workshop.tokens.facilitator, {
    method: 'PUT',
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: true, whitespace: false } }),
  })
  expect(response.status).toBe(200)
  return workshop
}

/** Everything a raw client received, as one string (Yjs writes strings as UTF-8). */
const heard = (client: RawClient) => Buffer.concat(client.received.map((frame) => Buffer.from(frame))).toString('latin1')

/** A guest that records every byte: joins, asks for the whole board, and stays. */
async function listeningGuest(workshop: TestWorkshop, board = 'stakeholders'): Promise<RawClient> {
  const guest = rawClient(`${server.syncUrl}/${workshop.id}/${board}?token=${workshop.tokens.guest}&user=user:guest-raw`)
  await guest.opened
  guest.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
  return guest
}

test('a guest hears visible fields but never an internal field, item or selection, while the team sees both [A30][A31][A34]', async () => {
  const workshop = await customerFacingStakeholders()
  const guest = await listeningGuest(workshop)
  const shared = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.team, user: 'user:tina' } })
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`, { params: { token: workshop.tokens.team, user: 'user:tina' } })

  // The visible part of a card in the shared document, its internal fields in the internal one.
  writeRecordChanges(shared.doc, { put: [json(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna Visible', jobTitle: 'CFO of Record' }))], remove: [] })
  writeOverlayChanges(
    internal.doc,
    new Map([['shape:anna', new Map<string, JsonValue>([['props.attitude', 'blocker'], ['props.notes', `${CANARY} notes`], ['props.owner', `${CANARY} owner`]])]]),
    [],
  )
  // An internal sticky note and an internal "influences" line, whole in the internal document.
  const secretNote = json(note('shape:secret', { x: 300, y: 0, meta: { [INTERNAL_META_KEY]: true } }, `${CANARY} item`))
  const influence = json(arrow('shape:line', { x: 0, y: 200, meta: { relationship: 'influences' } }))
  writeRecordChanges(internal.doc, { put: [secretNote, influence, json(arrowBinding('shape:line', 'shape:anna', 'start'))], remove: [] })
  // The team's presence selects the internal note.
  shared.provider.awareness.setLocalStateField('presence', { userName: 'Tina', selectedShapeIds: ['shape:secret', 'shape:anna'] })

  const team = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`, { params: { token: workshop.tokens.viewer } })
  await waitFor(() => readOverlays(team.doc).get('shape:anna')?.get('props.notes') === `${CANARY} notes`, 'team reads the overlay')
  expect(readRecords(team.doc).has('shape:secret')).toBe(true)
  await waitFor(() => heard(guest).includes('Anna Visible') && heard(guest).includes('CFO of Record'), 'guest hears visible fields')
  await waitFor(() => heard(guest).includes('shape:anna') && heard(guest).includes('Tina'), 'guest hears the presence')
  expect(heard(guest)).not.toContain(CANARY)
  expect(heard(guest)).not.toContain('shape:secret')
  expect(heard(guest)).not.toContain('shape:line')
  expect(heard(guest)).not.toContain('blocker')

  // [A30] the internal document is never a guest's.
  const intruder = rawClient(`${server.syncUrl}/${workshop.id}/stakeholders/internal?token=${workshop.tokens.guest}`)
  expect(await intruder.closed).toEqual({ code: CLOSE_CODES.forbidden, reason: 'internal part not visible for this role' })
  expect(intruder.received).toEqual([])
  for (const client of [shared, internal, team]) client.destroy()
  guest.ws.close()
})

test('guest writes of an internal field or to an internal item are refused and nothing is stored [A31][A33]', async () => {
  const workshop = await customerFacingStakeholders()
  const shared = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`)
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`)
  writeRecordChanges(shared.doc, { put: [json(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna' }))], remove: [] })
  writeRecordChanges(internal.doc, { put: [json(note('shape:secret', { x: 300, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 'ours'))], remove: [] })
  const room = `${workshop.id}/stakeholders`
  await waitFor(() => readRecords(server.server.rooms.get(room)?.doc ?? new Y.Doc()).has('shape:anna'), 'card stored')
  await waitFor(() => server.server.rooms.get(room)?.isInternalItem('shape:secret') === true, 'internal note stored')

  const attempts: Array<[string, (doc: Y.Doc) => void]> = [
    ['sets an internal field', (doc) => doc.getArray('keyplan.records').push([['shape:anna', 'props.attitude', 'champion']])],
    [
      'writes over an internal item',
      (doc) => {
        const stamped = note('shape:secret', { x: 0, y: 0, meta: { [CREATOR_META_KEY]: { role: 'guest', userId: 'user:eve' } } }, 'mine now')
        doc.getArray('keyplan.records').push([['shape:secret', '', json(stamped)]])
      },
    ],
    [
      'creates an internal item in the shared document',
      (doc) => {
        const meta = { [INTERNAL_META_KEY]: true, [CREATOR_META_KEY]: { role: 'guest', userId: 'user:eve' } }
        doc.getArray('keyplan.records').push([['shape:eve', '', json(note('shape:eve', { x: 0, y: 0, meta }, 'x'))]])
      },
    ],
  ]
  for (const [what, write] of attempts) {
    const before = await server.store.loadDocument(room)
    const guest = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:eve' }, shouldReconnect: () => false })
    const closed = new Promise<number>((resolve) => guest.provider.on('connection-close', (event) => resolve(event?.code ?? 0)))
    write(guest.doc)
    expect(await closed, what).toBe(CLOSE_CODES.updateRefused)
    await server.server.rooms.get(room)?.whenDurable()
    expect((await server.store.loadDocument(room)).lastSeq, what).toBe(before.lastSeq)
    guest.destroy()
  }
  // [A31] the team cannot put an internal value into the shared document either.
  const teamClosed = new Promise<number>((resolve) => shared.provider.on('connection-close', (event) => resolve(event?.code ?? 0)))
  shared.doc.getArray('keyplan.records').push([['shape:anna', 'props.notes', 'oops, our notes']])
  expect(await teamClosed).toBe(CLOSE_CODES.updateRefused)
  shared.destroy()
  internal.destroy()
})

test('a field made visible appears for a connected guest at once, and disappears when made internal again [A35]', async () => {
  const workshop = await customerFacingStakeholders()
  const raw = await listeningGuest(workshop)
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:gil' } })
  const shared = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`)
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`)
  writeRecordChanges(shared.doc, { put: [json(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna' }))], remove: [] })
  writeOverlayChanges(internal.doc, new Map([['shape:anna', new Map<string, JsonValue>([['props.department', 'Procurement EMEA'], ['props.notes', 'REVEALED-LATER']])]]), [])
  await waitFor(() => readOverlays(server.server.rooms.get(`${workshop.id}/stakeholders/internal`)?.doc ?? new Y.Doc()).has('shape:anna'), 'overlay stored')
  await waitFor(() => readRecords(guest.doc).has('shape:anna'), 'guest has the card')
  expect(heard(raw)).not.toContain('REVEALED-LATER')
  const notesOf = (doc: Y.Doc) => (readRecords(doc).get('shape:anna')?.props as JsonObject | undefined)?.notes

  // Refused for others than the facilitator, and for unknown fields.
  const put = (token: string, fields: unknown) => api(`/${workshop.id}/sensitivity`, token, { method: 'PUT', body: JSON.stringify({ fields }) })
  expect((await put(workshop.tokens.team, { 'stakeholder.notes': 'visible' })).status).toBe(403)
  const bad = await put(workshop.tokens.facilitator, { 'stakeholder.shoeSize': 'visible' })
  expect(bad.status).toBe(400)
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBeTypeOf('string')
  expect(notesOf(guest.doc)).toBe('')

  expect((await put(workshop.tokens.facilitator, { 'stakeholder.notes': 'visible' })).status).toBe(200)
  await waitFor(() => notesOf(guest.doc) === 'REVEALED-LATER', 'notes appear for the guest')
  const sensitivity = await (await api(`/${workshop.id}/sensitivity`, workshop.tokens.team)).json()
  expect(sensitivity).toMatchObject({ fields: { 'stakeholder.notes': 'visible' }, sensitivity: { 'stakeholder.attitude': 'internal' } })
  // A guest is told which fields are internal (names, so its page can leave them out), never a value.
  const guestView = await api(`/${workshop.id}/sensitivity`, workshop.tokens.guest)
  expect(guestView.status).toBe(200)
  const guestText = await guestView.text()
  expect(guestText).toContain('"stakeholder.attitude":"internal"')
  expect(guestText).not.toContain('Procurement EMEA')

  expect((await put(workshop.tokens.facilitator, { 'stakeholder.notes': 'internal' })).status).toBe(200)
  await waitFor(() => notesOf(guest.doc) === '', 'notes disappear for the guest')
  // Nothing was lost: the value is back in the internal document.
  await waitFor(() => readOverlays(internal.doc).get('shape:anna')?.get('props.notes') === 'REVEALED-LATER', 'notes kept internal')
  for (const client of [guest, shared, internal]) client.destroy()
  raw.ws.close()
})

test('a board stored before issue 13 moves its internal values into the internal document on load, losing nothing [A35]', async () => {
  const workshop = await customerFacingStakeholders()
  // Written the way the server before issue 13 stored it: everything in the one document.
  const legacy = new Y.Doc()
  writeRecordChanges(legacy, {
    put: [
      json(stakeholder('shape:bob', { x: 0, y: 0 }, { name: 'Bob Visible', attitude: 'skeptic', notes: `${CANARY} legacy notes` })),
      json(arrow('shape:ally', { x: 0, y: 200, meta: { relationship: 'ally' } })),
      json(arrowBinding('shape:ally', 'shape:bob', 'end')),
    ],
    remove: [],
  })
  const room = `${workshop.id}/stakeholders`
  await server.store.appendUpdates([{ docName: room, update: Y.encodeStateAsUpdate(legacy) }])

  const guest = await listeningGuest(workshop)
  const team = await connectSynced(server.syncUrl, `${room}/internal`)
  await waitFor(() => heard(guest).includes('Bob Visible'), 'guest hears the visible name')
  await waitFor(() => readOverlays(team.doc).get('shape:bob')?.get('props.notes') === `${CANARY} legacy notes`, 'notes moved')
  expect(readOverlays(team.doc).get('shape:bob')?.get('props.attitude')).toBe('skeptic')
  expect(readRecords(team.doc).has('shape:ally')).toBe(true)
  expect(readRecords(team.doc).has('binding:ally-end')).toBe(true)
  expect(heard(guest)).not.toContain(CANARY)
  expect(heard(guest)).not.toContain('shape:ally')
  team.destroy()
  guest.ws.close()
})

test('awareness sent to a guest leaves out internal item ids [A34]', async () => {
  const workshop = await customerFacingStakeholders()
  const team = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`)
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`)
  writeRecordChanges(internal.doc, { put: [json(note('shape:hidden', { x: 0, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 'ours'))], remove: [] })
  await waitFor(() => server.server.rooms.get(`${workshop.id}/stakeholders`)?.isInternalItem('shape:hidden') === true, 'internal note stored')
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:gus' } })
  team.provider.awareness.setLocalStateField('presence', { userName: 'Tom', selectedShapeIds: ['shape:hidden'] })
  const selectionOf = (awareness: awarenessProtocol.Awareness) =>
    (awareness.getStates().get(team.doc.clientID)?.presence as { selectedShapeIds?: string[] } | undefined)?.selectedShapeIds
  await waitFor(() => selectionOf(guest.provider.awareness) !== undefined, 'guest hears the presence')
  expect(selectionOf(guest.provider.awareness)).toEqual([])
  const viewer = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.viewer } })
  await waitFor(() => selectionOf(viewer.provider.awareness) !== undefined, 'viewer hears the presence')
  expect(selectionOf(viewer.provider.awareness)).toEqual(['shape:hidden'])
  for (const client of [internal, team, guest, viewer]) client.destroy()
})

test('awareness in the page\'s wire form and typing claims reach a guest without internal item ids [A34]', async () => {
  const workshop = await customerFacingStakeholders()
  const team = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`)
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`)
  writeRecordChanges(internal.doc, { put: [json(note('shape:hidden', { x: 0, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 'ours'))], remove: [] })
  writeRecordChanges(team.doc, { put: [json(note('shape:shown', { x: 200, y: 0 }, 'theirs'))], remove: [] })
  await waitFor(() => server.server.rooms.get(`${workshop.id}/stakeholders`)?.isInternalItem('shape:hidden') === true, 'internal note stored')
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:gus' } })
  // The wire form (client/board/presenceWire.ts) drops the `shape:` prefix; the record form carries the claim in meta.
  team.provider.awareness.setLocalState({
    wire: { userName: 'Tom', selected: ['hidden', 'shown'], editing: { shape: 'hidden', field: 'richText', since: 1 } },
    record: { userName: 'Tom', selectedShapeIds: [], meta: { keyplanEditing: { shapeId: 'shape:hidden', field: 'notes', since: 1 }, other: 1 } },
  })
  const stateOf = (awareness: awarenessProtocol.Awareness) => awareness.getStates().get(team.doc.clientID) as Record<string, Record<string, unknown>> | undefined
  await waitFor(() => stateOf(guest.provider.awareness)?.wire !== undefined, 'guest hears the presence')
  const heardByGuest = stateOf(guest.provider.awareness)
  expect(heardByGuest?.wire).toEqual({ userName: 'Tom', selected: ['shown'] })
  expect(heardByGuest?.record).toEqual({ userName: 'Tom', selectedShapeIds: [], meta: { other: 1 } })
  expect(JSON.stringify(heardByGuest)).not.toContain('hidden')
  // A claim on a visible card still reaches the guest.
  team.provider.awareness.setLocalState({ wire: { userName: 'Tom', editing: { shape: 'shown', field: 'richText', since: 2 } } })
  await waitFor(() => stateOf(guest.provider.awareness)?.wire?.editing !== undefined, 'guest hears the visible claim')
  expect(stateOf(guest.provider.awareness)?.wire?.editing).toEqual({ shape: 'shown', field: 'richText', since: 2 })
  for (const client of [internal, team, guest]) client.destroy()
})

test('a typing claim on an internal field of a visible card never reaches a guest; one on a visible field does [A34]', async () => {
  // (QA pass of 2026-12-06: the guest's page said "Tom is typing here…" under Department while Tom
  // typed the card's notes, and the presence named the field.)
  const workshop = await customerFacingStakeholders()
  const team = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`)
  writeRecordChanges(team.doc, { put: [json(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna' }))], remove: [] })
  await waitFor(() => readRecords(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc ?? new Y.Doc()).has('shape:anna'), 'card stored')
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:gus' } })
  const stateOf = (awareness: awarenessProtocol.Awareness) => awareness.getStates().get(team.doc.clientID) as Record<string, Record<string, unknown>> | undefined
  for (const field of ['notes', 'owner', 'attitude']) {
    team.provider.awareness.setLocalState({
      wire: { userName: 'Tom', field, editing: { shape: 'anna', field, since: 1 } },
      record: { userName: 'Tom', field, meta: { keyplanEditing: { shapeId: 'shape:anna', field, since: 1 } } },
    })
    await waitFor(() => stateOf(guest.provider.awareness)?.wire?.field === field, `guest hears the presence typing ${field}`)
    expect(stateOf(guest.provider.awareness)).toEqual({ wire: { userName: 'Tom', field }, record: { userName: 'Tom', field, meta: {} } })
  }
  team.provider.awareness.setLocalState({ wire: { userName: 'Tom', editing: { shape: 'anna', field: 'jobTitle', since: 2 } } })
  await waitFor(() => stateOf(guest.provider.awareness)?.wire?.editing !== undefined, 'guest hears the visible claim')
  expect(stateOf(guest.provider.awareness)?.wire?.editing).toEqual({ shape: 'anna', field: 'jobTitle', since: 2 })
  for (const client of [team, guest]) client.destroy()
})

test('an update of a guest writing through an update frame to the internal room path is never applied [A30]', async () => {
  const workshop = await customerFacingStakeholders()
  const guest = rawClient(`${server.syncUrl}/${workshop.id}/stakeholders/internal?token=${workshop.tokens.guest}`)
  guest.ws.once('open', () => guest.send(updateFrame(Y.encodeStateAsUpdate(new Y.Doc()))))
  expect((await guest.closed).code).toBe(CLOSE_CODES.forbidden)
  expect((await server.store.loadDocument(`${workshop.id}/stakeholders/internal`)).updates).toEqual([])
})

test('every snapshot view and export a guest can reach holds no internal field or item, while the team’s plan has them [A36]', async () => {
  const workshop = await customerFacingStakeholders()
  const board = await openBoard(server, workshop.id, 'stakeholders', 'Tina')
  await board.write([
    stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna Visible', jobTitle: 'CFO of Record', attitude: 'blocker', notes: `${CANARY} notes`, owner: `${CANARY} owner` }),
    stakeholder('shape:ben', { x: 400, y: 0 }, { name: 'Ben Visible' }),
    note('shape:secret', { x: 300, y: 300, meta: { [INTERNAL_META_KEY]: true } }, `${CANARY} item`),
    arrow('shape:line', { x: 0, y: 200, meta: { relationship: 'conflict' } }),
    arrowBinding('shape:line', 'shape:anna', 'start'),
    arrowBinding('shape:line', 'shape:ben', 'end'),
  ])
  const taken = await api(`/${workshop.id}/snapshots`, workshop.tokens.facilitator, { method: 'POST', body: '{}' })
  expect(taken.status).toBe(201)
  const { id } = (await taken.json()) as { id: string }
  // The team's plan holds what the team wrote.
  const teamPlan = await (await api(`/${workshop.id}/snapshots/${id}`, workshop.tokens.team)).text()
  expect(teamPlan).toContain(`${CANARY} notes`)
  expect(teamPlan).toContain('conflict')
  const teamBoard = await (await api(`/${workshop.id}/snapshots/${id}/boards/stakeholders`, workshop.tokens.team)).text()
  expect(teamBoard).toContain(`${CANARY} item`)

  const second = await api(`/${workshop.id}/snapshots`, workshop.tokens.facilitator, { method: 'POST', body: '{"label":"again"}' })
  const { id: other } = (await second.json()) as { id: string }
  const views = [
    `/${id}`,
    `/${id}?format=md`,
    `/${id}?format=pdf`,
    `/${id}/stakeholders.csv`,
    `/${id}/boards/stakeholders`,
    `/${id}/diff/${other}`,
  ]
  for (const view of views) {
    const response = await api(`/${workshop.id}/snapshots${view}`, workshop.tokens.guest)
    expect(response.status, view).toBe(200)
    const body = Buffer.from(await response.arrayBuffer()).toString('latin1')
    expect(body, view).not.toContain(CANARY)
    expect(body, view).not.toContain('shape:secret')
    expect(body, view).not.toContain('Blocker')
  }
  const plan = await (await api(`/${workshop.id}/snapshots/${id}`, workshop.tokens.guest)).text()
  expect(plan).toContain('Anna Visible')
  expect(plan).not.toContain('conflict')
  const changes = await (await api(`/${workshop.id}/boards/stakeholders/changes`, workshop.tokens.guest)).text()
  expect(changes).not.toContain(CANARY)
  expect(changes).toContain('Anna Visible')
  board.destroy()
})

test('overlay entries of the internal document are refused for unknown props and invalid values [A32]', async () => {
  const workshop = await customerFacingStakeholders()
  const room = `${workshop.id}/stakeholders/internal`
  for (const [field, value] of [
    ['props.shoeSize', 44],
    ['props.attitude', 'hostile'],
    ['x', 10],
  ] as const) {
    const team = await connectSynced(server.syncUrl, room, { shouldReconnect: () => false })
    const closed = new Promise<number>((resolve) => team.provider.on('connection-close', (event) => resolve(event?.code ?? 0)))
    // What the load stored (the [S37] marker) stays; nothing of the refused update joins it.
    const stored = (await server.store.loadDocument(room)).updates
    team.doc.getArray('keyplan.records').push([['shape:anna', field, value]])
    expect(await closed, field).toBe(CLOSE_CODES.updateRefused)
    expect((await server.store.loadDocument(room)).updates, field).toEqual(stored)
    team.destroy()
  }
})
