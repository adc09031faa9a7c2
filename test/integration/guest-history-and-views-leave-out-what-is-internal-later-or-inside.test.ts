/**
 * [A36], [A39] with real clients and REST, on a customer-facing stakeholder map (QA, 2026-12-05):
 * - a note the team created visible and marked internal a few seconds later (two changes) is not
 *   in the guest's history at all: its creation listed for an item the guest never finds told the
 *   guest an internal item exists;
 * - a note the shared document holds inside an internal frame (written by a page that did not
 *   mark it, or as the frame was marked) is in none of the guest's stored views: history,
 *   snapshot board, plan.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import type { RawClient } from '../helpers/clients.ts'
import { frame, note } from '../helpers/planBoards.ts'
import type { TestServer, TestWorkshop } from '../helpers/startServer.ts'
import { readHistory, serverWithGuest, teamPage } from '../helpers/teamAndGuest.ts'

const LATER = 'CANARY-made-internal-later'
const INSIDE = 'CANARY-inside-internal-frame'
const json = (value: unknown) => value as JsonObject // test records are JSON

let server: TestServer
let workshop: TestWorkshop
let guest: RawClient
let tina: Awaited<ReturnType<typeof teamPage>> | undefined

const api = (path: string, role: Role, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops/${workshop.id}${path}`, { ...init, headers: { authorization: `Bearer ${workshop.tokens[role]}`, 'content-type': 'application/json' } })

const history = (role: Role, query = '') => readHistory(server, workshop, 'stakeholders', role, query)

beforeAll(async () => {
  ;({ server, workshop, guest } = await serverWithGuest('stakeholders'))
  tina = await teamPage(server, workshop, 'stakeholders', 'Tina')
})

afterAll(async () => {
  tina?.destroy()
  guest?.ws.close()
  await server?.close()
})

test('a note created visible and marked internal in a later change is not in the guest\'s history [A36]', async () => {
  const page = tina as NonNullable<typeof tina> // set in beforeAll
  const kept = json(note('shape:kept', { x: 0, y: 0 }, 'Shared idea'))
  await page.change([kept, json(note('shape:later', { x: 300, y: 0 }, LATER))])
  await history('facilitator') // closes the change ([H5]): the mark is a change of its own
  const later = page.records().get('shape:later') as JsonObject
  await page.change([{ ...later, meta: { ...(later.meta as JsonObject), [INTERNAL_META_KEY]: true } }])

  const team = await history('facilitator')
  expect(team.list.changes.map((change) => change.records.map((record) => record.id))).toEqual([['shape:later'], ['shape:kept', 'shape:later']])
  const forGuest = await history('guest')
  expect(forGuest.list.changes.map((change) => change.records.map((record) => record.id))).toEqual([['shape:kept']])
  expect(forGuest.text).not.toContain('shape:later')
  expect(forGuest.text).not.toContain(LATER)
})

test('a note the shared document holds inside an internal frame is in none of the guest\'s stored views [A39]', async () => {
  const page = tina as NonNullable<typeof tina> // set in beforeAll
  const internalFrame = json(frame('shape:frame', { x: 0, y: 400, meta: { [INTERNAL_META_KEY]: true } }, 400, 400, 'Our read'))
  // Written as a page that does not follow [A39] would: unmarked, so routed to the shared document.
  const inside = json(note('shape:inside', { x: 50, y: 50, parentId: 'shape:frame' }, INSIDE))
  await page.change([internalFrame, inside])
  expect(JSON.stringify([...(server.server.rooms.get(`${workshop.id}/stakeholders`)?.doc.getArray('keyplan.records').toJSON() ?? [])])).toContain(INSIDE)

  const forGuest = await history('guest')
  expect(forGuest.text).not.toContain('shape:inside')
  expect(forGuest.text).not.toContain(INSIDE)

  const taken = await api('/snapshots', 'facilitator', { method: 'POST', body: JSON.stringify({ label: 'after the frame' }) })
  expect(taken.status).toBe(201)
  const { id } = (await taken.json()) as { id: string }
  const board = await api(`/snapshots/${id}/boards/stakeholders`, 'guest')
  expect(board.status).toBe(200)
  const boardText = await board.text()
  expect(boardText).toContain('Shared idea')
  expect(boardText).not.toContain(INSIDE)
  const plan = await api(`/snapshots/${id}`, 'guest')
  expect(plan.status).toBe(200)
  expect(await plan.text()).not.toContain(INSIDE)
  // The team's views hold it (it is theirs).
  expect(await (await api(`/snapshots/${id}/boards/stakeholders`, 'team')).text()).toContain(INSIDE)
})
