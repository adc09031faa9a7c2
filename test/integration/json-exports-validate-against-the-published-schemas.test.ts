/**
 * QA pass q26b (twenty-sixth session): a customer guest's JSON export did not validate against
 * `/api/schema/plan.json`, which requires the sections and fields a guest rightly does not get.
 * A guest's plan now has its own published schema, `/api/schema/plan-view.json`. Checked with a
 * real JSON Schema validator (Ajv, draft 2020-12) against the schemas the server serves: the
 * team's export follows plan.json (and plan-view.json), the guest's follows plan-view.json.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { action, objective, stakeholder, whitespaceCell } from '../helpers/planBoards.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let plan: PlanRecord
const clients: BoardClient[] = []

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  const flags = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: true, actions: true, whitespace: false } }),
  })
  expect(flags.status).toBe(200)
  const boards = await Promise.all((['stakeholders', 'objectives', 'actions', 'whitespace'] as const).map((board) => openBoard(server, workshop.id, board, 'Tina')))
  clients.push(...boards)
  const [stakeholders, objectives, actions, whitespace] = boards
  await stakeholders?.write([stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', jobTitle: 'CFO', influence: 'high', attitude: 'blocker', notes: 'Internal read' })])
  await objectives?.write([objective('shape:grow', { x: 0, y: 0 }, { objective: 'Grow logistics', measure: 'Revenue', unit: 'EUR', baseline: 1_000_000, target: 2_000_000 })])
  await actions?.write([action('shape:send', { x: 20, y: 100 }, { title: 'Send proposal', owner: 'Ada', due: '2027-01-15', status: 'open' })])
  await whitespace?.write([whitespaceCell('shape:cell', { x: 0, y: 0 }, { kind: 'opportunity', value: 50_000, probability: 40, notes: 'Internal note' })])
  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Review"}' })
  plan = PlanRecordSchema.parse(await response.json())
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

/** A validator of the schema the server publishes at `/api/schema/<name>`. */
async function validatorOf(name: string) {
  const response = await fetch(`${server.url}/api/schema/${name}`)
  expect(response.status).toBe(200)
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  return ajv.compile(await response.json())
}

const exportAs = async (token: string): Promise<unknown> => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}?format=json`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return response.json()
}

test("the team's JSON export follows plan.json, and plan-view.json too", async () => {
  const team = await exportAs(workshop.tokens.facilitator)
  const record = await validatorOf('plan.json')
  expect(record(team), JSON.stringify(record.errors)).toBe(true)
  const view = await validatorOf('plan-view.json')
  expect(view(team), JSON.stringify(view.errors)).toBe(true)
})

test("a guest's JSON export follows plan-view.json; plan.json, which requires what a guest does not get, refuses it", async () => {
  const guest = (await exportAs(workshop.tokens.guest)) as { withheld?: string[]; swot?: unknown; stakeholders?: Record<string, unknown>[] }
  // What makes it a guest's: a hidden section absent, withheld fields listed and absent.
  expect(guest.swot).toBeUndefined()
  expect(guest.withheld).toContain('stakeholder.attitude')
  expect(guest.stakeholders?.[0]?.attitude).toBeUndefined()
  const view = await validatorOf('plan-view.json')
  expect(view(guest), JSON.stringify(view.errors)).toBe(true)
  const record = await validatorOf('plan.json')
  expect(record(guest)).toBe(false)
})

test("the guest's schema carries none of the team's markings of what is internal (review)", async () => {
  const text = await (await fetch(`${server.url}/api/schema/plan-view.json`)).text()
  expect(text).not.toContain('x-keyplan-')
  expect(await (await fetch(`${server.url}/api/schema/plan.json`)).text()).toContain('x-keyplan-sensitivity')
})
