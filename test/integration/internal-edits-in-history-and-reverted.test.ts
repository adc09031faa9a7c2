/**
 * Issue 13 ([H1], [H3], [H4], [H6], [A36]): a board's history covers both of its documents. A team
 * member's edit of an internal field and deletion of an internal item are in the history the
 * facilitator reads, named and marked internal, and reverting them brings them back (durably); a
 * guest's history shows neither, not even that they happened, and no canary reaches the guest.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { ChangeListSchema, RevertResultSchema, type BoardChange, type ChangeList } from '../../shared/historyApi.ts'
import { SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY, mergeParts, resolveSensitivity } from '../../shared/sensitivity.ts'
import { serverHasAll } from '../helpers/boardClients.ts'
import { connectSynced, rawClient, syncFrame, waitFor, type RawClient, type TestClient } from '../helpers/clients.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

const CANARY = 'CANARY-h1st'
const json = (value: unknown) => value as JsonObject // test records are JSON

let server: TestServer
let workshop: TestWorkshop
let guest: RawClient
const open: TestClient[] = []

const api = (path: string, role: Role, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops/${workshop.id}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${workshop.tokens[role]}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })

async function history(role: Role, query = ''): Promise<{ text: string; list: ChangeList }> {
  const response = await api(`/boards/stakeholders/changes${query}`, role)
  expect(response.status).toBe(200)
  const text = await response.text()
  return { text, list: ChangeListSchema.parse(JSON.parse(text)) }
}

/** A team member's page: both documents, written through the page's own routing, named in presence. */
async function teamPage(name: string) {
  const params = { token: workshop.tokens.team, user: `user:${name.toLowerCase()}` }
  const shared = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params })
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`, { params })
  open.push(shared, internal)
  shared.provider.awareness.setLocalStateField('presence', { userName: name })
  const source = mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined))
  const change = async (put: JsonObject[], remove: string[]) => {
    source.write({ put, remove }, undefined)
    await serverHasAll(server, `${workshop.id}/stakeholders/internal`, internal.doc)
    await serverHasAll(server, `${workshop.id}/stakeholders`, shared.doc)
  }
  return { change, records: () => source.readAll() }
}

/** What the store holds of the board, both documents merged, as a page loading it would see it. */
async function stored(): Promise<Map<string, JsonObject>> {
  const load = async (name: string) => {
    const doc = new Y.Doc()
    for (const update of (await server.store.loadDocument(name)).updates) Y.applyUpdate(doc, update)
    return doc
  }
  const shared = await load(`${workshop.id}/stakeholders`)
  const internal = await load(`${workshop.id}/stakeholders/internal`)
  return mergeParts(readRecords(shared), readRecords(internal), readOverlays(internal), resolveSensitivity(undefined))
}

const heard = (client: RawClient) => Buffer.concat(client.received.map((frame) => Buffer.from(frame))).toString('latin1')

beforeAll(async () => {
  // Changes close when a list is read ([H5]), never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
  workshop = await server.createWorkshop()
  const settings = await api('/settings', 'facilitator', {
    method: 'PUT',
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  guest = rawClient(`${server.syncUrl}/${workshop.id}/stakeholders?token=${workshop.tokens.guest}&user=user:guest-raw`)
  await guest.opened
  guest.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
})

afterAll(async () => {
  for (const client of open) client.destroy()
  guest?.ws.close()
  await server?.close()
})

test('an internal field edit and an internal item deletion are in the team\'s history, reverted, and never a guest\'s', async () => {
  const tom = await teamPage('Tom')
  const ana = json(stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva', jobTitle: 'CFO', attitude: 'supporter', notes: `${CANARY} first read` }))
  const secret = json(note('shape:secret', { x: 400, y: 0, meta: { [INTERNAL_META_KEY]: true } }, `${CANARY} item`))
  await tom.change([ana, secret], [])
  const created = (await history('facilitator')).list.changes[0]
  expect(created?.records.map((r) => r.id).sort()).toEqual(['shape:ana', 'shape:secret'])

  // Tom sets Ana's attitude (an internal field), then deletes the internal note.
  const anaNow = tom.records().get('shape:ana') as JsonObject
  await tom.change([{ ...anaNow, props: { ...(anaNow.props as JsonObject), attitude: 'blocker', notes: `${CANARY} second read` } }], [])
  await history('facilitator')
  await tom.change([], ['shape:secret'])

  const { list } = await history('facilitator')
  const [deletion, edit] = list.changes as [BoardChange, BoardChange]
  expect(deletion).toMatchObject({ role: 'team', name: 'Tom', kind: 'edit' })
  expect(deletion.records).toEqual([expect.objectContaining({ id: 'shape:secret', after: null, internal: { item: true, fields: [] } })])
  expect(edit).toMatchObject({ role: 'team', name: 'Tom', kind: 'edit' })
  expect(edit.records).toHaveLength(1)
  const [editRecord] = edit.records
  expect((editRecord?.before?.props as JsonObject).attitude).toBe('supporter')
  expect((editRecord?.after?.props as JsonObject).attitude).toBe('blocker')
  expect(editRecord?.internal?.item).toBe(false)
  expect(editRecord?.internal?.fields).toContain('props.attitude')

  // [H6][A36] the guest's history holds the card's creation with its visible fields only, and
  // nothing of the edit or the deletion: no entry, no short page, no cursor that leads nowhere.
  const forGuest = await history('guest')
  expect(forGuest.list.changes).toHaveLength(1)
  expect(forGuest.list.changes[0]?.records.map((r) => r.id)).toEqual(['shape:ana'])
  expect(forGuest.text).toContain('Ana Silva')
  for (const secretText of [CANARY, 'shape:secret', 'blocker', 'supporter', '"internal"']) expect(forGuest.text).not.toContain(secretText)
  const oneByOne = await history('guest', '?limit=1')
  expect(oneByOne.list.changes[0]?.id).toBe(created?.id)
  expect(oneByOne.list.nextCursor).toBeNull()

  // The facilitator reverts both: the note is back and the attitude too, in the stored documents.
  for (const change of [deletion, edit]) {
    const response = await api(`/boards/stakeholders/changes/${change.id}/revert`, 'facilitator', { method: 'POST' })
    expect(response.status).toBe(200)
    const result = RevertResultSchema.parse(await response.json())
    expect(result).toMatchObject({ reverted: 1, conflicts: [] })
    expect(result.change).toMatchObject({ kind: 'revert', revertOf: change.id, role: 'server' })
  }
  const board = await stored()
  expect(board.get('shape:secret')?.meta).toMatchObject({ [INTERNAL_META_KEY]: true })
  expect((board.get('shape:ana')?.props as JsonObject).attitude).toBe('supporter')
  expect((board.get('shape:ana')?.props as JsonObject).notes).toBe(`${CANARY} first read`)
  await waitFor(() => tom.records().has('shape:secret') && (tom.records().get('shape:ana')?.props as JsonObject).attitude === 'supporter', 'Tom sees the reverts')
  // The internal item went back to the internal document only.
  const sharedNow = readRecords(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc ?? new Y.Doc())
  expect(sharedNow.has('shape:secret')).toBe(false)
  expect((sharedNow.get('shape:ana')?.props as JsonObject).attitude).toBe('neutral')

  // The reverts are in the team's history, one change each, and a revert can itself be reverted.
  const after = (await history('facilitator', '?limit=2')).list.changes
  expect(after.map((change) => change.kind)).toEqual(['revert', 'revert'])
  expect((await history('guest')).list.changes.map((change) => change.id)).toEqual([created?.id])

  await waitFor(() => heard(guest).includes('Ana Silva'), 'the guest hears the visible card')
  expect(heard(guest)).not.toContain(CANARY)
  expect(heard(guest)).not.toContain('shape:secret')
})
