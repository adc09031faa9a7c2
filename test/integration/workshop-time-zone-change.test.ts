/**
 * `PATCH /api/workshops/:id` `{ timeZone }`: the facilitator changes the zone whose calendar date
 * decides overdue actions ([P9]). Other roles are refused; a bad body changes nothing; snapshots
 * taken afterwards use the new zone.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiErrorSchema, WorkshopSchema } from '../../shared/api.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { dateInTimeZone } from '../../shared/timeZone.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { action } from '../helpers/planBoards.ts'
import { startServer, TEST_ORG_KEY, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const patch = (id: string, token: string | undefined, body: string) =>
  fetch(`${server.url}/api/workshops/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  })

const storedZone = async (id: string) => (await server.store.getWorkshop(id))?.timeZone

test('the facilitator changes the time zone; the answer and later reads carry the canonical name', async () => {
  const workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27', timeZone: 'Europe/Berlin' })
  const response = await patch(workshop.id, workshop.tokens.facilitator, JSON.stringify({ timeZone: 'america/new_york' }))
  expect(response.status).toBe(200)
  const changed = WorkshopSchema.parse(await response.json())
  expect(changed).toMatchObject({ id: workshop.id, account: 'Acme Corp', title: 'FY27', timeZone: 'America/New_York' })
  expect(changed.boards.map((b) => b.id)).toEqual(['swot', 'stakeholders', 'objectives', 'actions', 'whitespace'])
  const read = await fetch(`${server.url}/api/workshops/${workshop.id}`, { headers: { authorization: `Bearer ${workshop.tokens.team}` } })
  expect(WorkshopSchema.parse(await read.json()).timeZone).toBe('America/New_York')
})

test('no other role may change it, nor the organisation key, nor no credential; nothing changes', async () => {
  const workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27', timeZone: 'Europe/Berlin' })
  const body = JSON.stringify({ timeZone: 'Asia/Tokyo' })
  for (const role of ['team', 'viewer', 'guest'] as const) {
    const response = await patch(workshop.id, workshop.tokens[role], body)
    expect(response.status, role).toBe(403)
    expect(ApiErrorSchema.parse(await response.json()).error.code, role).toBe('forbidden')
  }
  expect((await patch(workshop.id, TEST_ORG_KEY, body)).status).toBe(401)
  expect((await patch(workshop.id, undefined, body)).status).toBe(401)
  // A facilitator of another workshop is a stranger here.
  const other = await server.createWorkshop()
  expect((await patch(workshop.id, other.tokens.facilitator, body)).status).toBe(401)
  expect(await storedZone(workshop.id)).toBe('Europe/Berlin')
})

test('a bad body is a 400 with a JSON message and changes nothing', async () => {
  const workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27', timeZone: 'Europe/Berlin' })
  const bad = {
    '{"timeZone":"Mars/Olympus_Mons"}': 'invalid_body',
    '{"timeZone":""}': 'invalid_body',
    '{"timeZone":7}': 'invalid_body',
    '{}': 'invalid_body',
    '{"timeZone":"Asia/Tokyo","colour":"red"}': 'invalid_body',
    '[]': 'invalid_body',
    'not json': 'invalid_json',
  }
  for (const [body, code] of Object.entries(bad)) {
    const response = await patch(workshop.id, workshop.tokens.facilitator, body)
    expect(response.status, body).toBe(400)
    const { error } = ApiErrorSchema.parse(await response.json())
    expect(error.code, body).toBe(code)
    expect(error.message.length, body).toBeGreaterThan(0)
  }
  expect(await storedZone(workshop.id)).toBe('Europe/Berlin')
  expect((await server.store.getWorkshop(workshop.id))?.title).toBe('FY27')
})

test('a snapshot taken after the change judges overdue actions by the new zone [P9]', async () => {
  // Created in Pago Pago (UTC−11); an action due today there is not overdue. Moved to Kiritimati
  // (UTC+14, always a calendar day ahead), the same action is overdue.
  const workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27', timeZone: 'Pacific/Pago_Pago' })
  const due = dateInTimeZone(new Date(), 'Pacific/Pago_Pago')
  const board = await openBoard(server, workshop.id, 'actions', 'Ada')
  const snapshot = async () => {
    const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${workshop.tokens.facilitator}` },
      body: JSON.stringify({}),
    })
    expect(response.status).toBe(201)
    return PlanRecordSchema.parse(await response.json())
  }
  try {
    await board.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal', owner: 'Ada', due, status: 'open' })])
    const before = await snapshot()
    expect((await patch(workshop.id, workshop.tokens.facilitator, JSON.stringify({ timeZone: 'Pacific/Kiritimati' }))).status).toBe(200)
    const after = await snapshot()
    expect(before.actions.map((a) => [a.due, a.overdue])).toEqual([[due, false]])
    expect(after.actions.map((a) => [a.due, a.overdue])).toEqual([[due, true]])
  } finally {
    board.destroy()
  }
})
