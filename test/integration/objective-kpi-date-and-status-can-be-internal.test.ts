/**
 * Issue 13: an objective's KPI kind, target date and status have a sensitivity like its other
 * fields (visible by default). Made internal by the facilitator, they move to the board's internal
 * part: a guest's socket never carries the team's values, and a guest's snapshot view and its
 * Markdown and CSV leave them out (no column, no label, no default), while the team's keep them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema, PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { DEFAULT_SENSITIVITY } from '../../shared/sensitivity.ts'
import { setSensitivity } from '../helpers/boardPartsOnServer.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import type { RawClient } from '../helpers/clients.ts'
import { objective } from '../helpers/planBoards.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

let server: TestServer
let workshop: TestWorkshop
let team: BoardClient
let guest: RawClient
let plan: PlanRecord

/** The team's values, each written nowhere else on the board. */
const SECRET = { kpiType: 'retention', targetDate: '2031-07-19', status: 'off_track' } as const

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  await onlyCustomerFacing(server, workshop, 'objectives')
  team = await openBoard(server, workshop.id, 'objectives', 'Tina')
  await team.write([objective('shape:grow', { x: 0, y: 0 }, { objective: 'Grow logistics', measure: 'Renewals', owner: 'Ola', ...SECRET })])
  // Made internal after the team wrote them: the server moves the values to the internal part.
  await setSensitivity(server, workshop, { 'objective.kpiType': 'internal', 'objective.targetDate': 'internal', 'objective.status': 'internal' })
  guest = await recordingGuest(server, workshop, 'objectives')
  await drained(guest)
  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"After"}' })
  expect(response.status).toBe(201)
  plan = PlanRecordSchema.parse(await response.json())
})

afterAll(async () => {
  guest?.ws.close()
  team?.destroy()
  await server?.close()
})

const get = async (path: string, role: 'guest' | 'team') => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${path}`, { headers: { authorization: `Bearer ${workshop.tokens[role]}` } })
  expect(response.status, path).toBe(200)
  return response
}

test('the three are visible by default', () => {
  expect([DEFAULT_SENSITIVITY['objective.kpiType'], DEFAULT_SENSITIVITY['objective.targetDate'], DEFAULT_SENSITIVITY['objective.status']]).toEqual(['visible', 'visible', 'visible'])
})

test("made internal, a guest's socket never carries the team's values", () => {
  const bytes = heard(guest)
  expect(bytes).toContain('Grow logistics')
  for (const value of Object.values(SECRET)) expect(bytes, value).not.toContain(value)
})

test("a guest's plan, Markdown and CSV leave them out; the team's keep them", async () => {
  const view = PlanViewSchema.parse(await (await get(plan.id, 'guest')).json())
  expect(view.withheld).toEqual(expect.arrayContaining(['objective.kpiType', 'objective.targetDate', 'objective.status']))
  for (const key of ['kpiType', 'targetDate', 'status']) expect(view.objectives?.[0], key).not.toHaveProperty(key)

  const markdown = await (await get(`${plan.id}?format=md`, 'guest')).text()
  expect(markdown).toContain('### Grow logistics')
  expect(markdown).toContain('- **KPI:** Renewals')
  for (const word of ['Status', 'Retention', 'Off track', 'On track', 'Revenue growth', '2031-07-19', 'Target date']) expect(markdown, word).not.toContain(word)
  const csv = await (await get(`${plan.id}/objectives.csv`, 'guest')).text()
  expect(csv.split('\r\n')[0]).toBe('Id,Objective,Measure,Unit,Owner,Strategy,Actions,Answers')

  const teamMarkdown = await (await get(`${plan.id}?format=md`, 'team')).text()
  expect(teamMarkdown).toContain('- **KPI:** Retention / renewal — Renewals')
  expect(teamMarkdown).toContain('**Status:** Off track')
  expect(teamMarkdown).toContain('2031-07-19')
})
