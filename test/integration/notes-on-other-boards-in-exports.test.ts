/**
 * [P17] QA q36b: notes the team wrote on the stakeholder map and the action plan (beside the cards)
 * were in no export. Through the real server: the team's Markdown, notes CSV, PDF and JSON have
 * them under their boards; a guest with only the stakeholder map shared gets that board's notes,
 * but neither the one the team marked internal nor those of the action plan, which is not shared.
 */
import type { TLShape } from '@tldraw/tlschema'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { action, note, stakeholder } from '../helpers/planBoards.ts'
import { startServer, takeSnapshot, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

let server: TestServer
let workshop: TestWorkshop
let plan: PlanRecord
const clients: BoardClient[] = []

const SHARED_NOTE = 'Budget frozen until Q3'
const INTERNAL_NOTE = 'INTERNAL-we-bid-low-7c1'
const ACTION_NOTE = 'ACTIONS-ask-procurement-3e9'

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const stakeholders = await openBoard(server, workshop.id, 'stakeholders', 'Tina')
  const actions = await openBoard(server, workshop.id, 'actions', 'Tina')
  clients.push(stakeholders, actions)
  const internal = note('shape:internal', { x: 300, y: 400 }, INTERNAL_NOTE)
  await stakeholders.write([
    stakeholder('shape:cfo', { x: 0, y: 0 }, { name: 'Dana Ortiz' }),
    note('shape:budget', { x: 300, y: 0 }, SHARED_NOTE),
    { ...internal, meta: { ...internal.meta, [INTERNAL_META_KEY]: true } } as TLShape,
  ])
  await actions.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' }), note('shape:ask', { x: 600, y: 100 }, ACTION_NOTE)])
  plan = await takeSnapshot(server, workshop.id, 'Notes')
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

const get = async (path: string, token: string): Promise<Response> => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}${path}`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status, path).toBe(200)
  return response
}
const text = async (path: string, token: string) => (await get(path, token)).text()

test("the team's plan and every export hold the notes of both boards", async () => {
  expect(plan.notes?.map((n) => [n.board, n.text])).toEqual([
    ['stakeholders', SHARED_NOTE],
    ['stakeholders', INTERNAL_NOTE],
    ['actions', ACTION_NOTE],
  ])
  const markdown = await text('?format=md', workshop.tokens.facilitator)
  for (const words of [SHARED_NOTE, INTERNAL_NOTE, ACTION_NOTE]) expect(markdown).toContain(`- ${words}`)
  const csv = await text('/notes.csv', workshop.tokens.facilitator)
  expect(csv).toContain(`Stakeholder map,shape:budget,${SHARED_NOTE},`)
  expect(csv).toContain(`Action plan,shape:ask,${ACTION_NOTE},`)
  const pdf = pdfText(new Uint8Array(await (await get('?format=pdf', workshop.tokens.facilitator)).arrayBuffer())).lines.join('\n')
  expect(pdf).toContain('Notes on the boards')
  expect(pdf).toContain(SHARED_NOTE)
  expect(pdf).toContain(ACTION_NOTE)
})

test("a guest's exports hold the shared board's notes only, not one marked internal", async () => {
  const view = PlanViewSchema.parse(await (await get('', workshop.tokens.guest)).json())
  expect(view.notes?.map((n) => n.text)).toEqual([SHARED_NOTE])
  const markdown = await text('?format=md', workshop.tokens.guest)
  const csv = await text('/notes.csv', workshop.tokens.guest)
  const pdf = pdfText(new Uint8Array(await (await get('?format=pdf', workshop.tokens.guest)).arrayBuffer())).lines.join('\n')
  for (const body of [markdown, csv, pdf]) {
    expect(body).toContain(SHARED_NOTE)
    expect(body).not.toContain(INTERNAL_NOTE)
    expect(body).not.toContain(ACTION_NOTE)
  }
})
