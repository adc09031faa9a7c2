/**
 * Issue 13 ([H1], [H3], [H4], [H6], [A36]): a board's history covers both of its documents. A team
 * member's edit of an internal field and deletion of an internal item are in the history the
 * facilitator reads, named and marked internal, and reverting them brings them back (durably); a
 * guest's history shows neither, not even that they happened, and no canary reaches the guest.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import { RevertResultSchema, type BoardChange } from '../../shared/historyApi.ts'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { waitFor, type RawClient } from '../helpers/clients.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import type { TestServer, TestWorkshop } from '../helpers/startServer.ts'
import { heard, readHistory, serverWithGuest, storedBoard, teamPage } from '../helpers/teamAndGuest.ts'

const CANARY = 'CANARY-h1st'
const json = (value: unknown) => value as JsonObject // test records are JSON

let server: TestServer
let workshop: TestWorkshop
let guest: RawClient
let tom: Awaited<ReturnType<typeof teamPage>> | undefined

const api = (path: string, role: Role, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops/${workshop.id}${path}`, { ...init, headers: { authorization: `Bearer ${workshop.tokens[role]}` } })

const history = (role: Role, query = '') => readHistory(server, workshop, 'stakeholders', role, query)

beforeAll(async () => {
  ;({ server, workshop, guest } = await serverWithGuest('stakeholders'))
})

afterAll(async () => {
  tom?.destroy()
  guest?.ws.close()
  await server?.close()
})

test('an internal field edit and an internal item deletion are in the team\'s history, reverted, and never a guest\'s', async () => {
  tom = await teamPage(server, workshop, 'stakeholders', 'Tom')
  const page = tom
  const ana = json(stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva', jobTitle: 'CFO', attitude: 'supporter', notes: `${CANARY} first read` }))
  const secret = json(note('shape:secret', { x: 400, y: 0, meta: { [INTERNAL_META_KEY]: true } }, `${CANARY} item`))
  await page.change([ana, secret], [])
  const created = (await history('facilitator')).list.changes[0]
  expect(created?.records.map((r) => r.id).sort()).toEqual(['shape:ana', 'shape:secret'])

  // Tom sets Ana's attitude (an internal field), then deletes the internal note.
  const anaNow = page.records().get('shape:ana') as JsonObject
  await page.change([{ ...anaNow, props: { ...(anaNow.props as JsonObject), attitude: 'blocker', notes: `${CANARY} second read` } }], [])
  await history('facilitator')
  await page.change([], ['shape:secret'])

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
    expect(result.change).toMatchObject({ kind: 'revert', revertOf: change.id, role: 'facilitator' })
  }
  const board = await storedBoard(server, workshop, 'stakeholders')
  expect(board.get('shape:secret')?.meta).toMatchObject({ [INTERNAL_META_KEY]: true })
  expect((board.get('shape:ana')?.props as JsonObject).attitude).toBe('supporter')
  expect((board.get('shape:ana')?.props as JsonObject).notes).toBe(`${CANARY} first read`)
  await waitFor(() => page.records().has('shape:secret') && (page.records().get('shape:ana')?.props as JsonObject).attitude === 'supporter', 'Tom sees the reverts')
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
