/**
 * Issue 13 ([A36] in docs/security.md): a guest's plan, every export of it (JSON, Markdown, CSV,
 * PDF), the diff and the snapshot board leave the fields that were internal when the snapshot was
 * taken out entirely: no label, no column, no default in their place ("Influence: Medium",
 * "Neutral"), while the visible fields are there. The team's exports are unchanged.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { WorkshopTimelineSchema } from '../../shared/accounts.ts'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import { PlanRecordSchema, PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { SnapshotBoardSchema } from '../../shared/snapshotApi.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { objective, stakeholder } from '../helpers/planBoards.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let first: PlanRecord
let second: PlanRecord
const clients: BoardClient[] = []

const ANNA = { name: 'Anna Visible', jobTitle: 'CFO of Record', department: 'Finance', buyingRole: 'economic_buyer', influence: 'high', attitude: 'blocker', owner: 'Tina Owner', notes: 'Hates long decks' } as const

async function snapshot(label: string): Promise<PlanRecord> {
  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  const flags = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: true, actions: true, whitespace: false } }),
  })
  expect(flags.status).toBe(200)
  const stakeholders = await openBoard(server, workshop.id, 'stakeholders', 'Tina')
  const objectives = await openBoard(server, workshop.id, 'objectives', 'Tina')
  clients.push(stakeholders, objectives)
  // The team's read of the person, written through the page's routing: internal fields go to the internal part.
  await stakeholders.write([stakeholder('shape:anna', { x: 0, y: 0 }, ANNA)])
  await objectives.write([objective('shape:grow', { x: 0, y: 0 }, { objective: 'Grow logistics', measure: 'Revenue', unit: 'EUR', baseline: 1_250_000, target: 2_500_000, owner: 'Ola' })])
  first = await snapshot('First')
  await stakeholders.write([stakeholder('shape:anna', { x: 0, y: 0 }, { ...ANNA, attitude: 'supporter', jobTitle: 'CFO and COO' })])
  second = await snapshot('Second')
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

const get = async (path: string, token: string): Promise<Response> => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${path}`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status, path).toBe(200)
  return response
}
const text = async (path: string, token: string) => (await get(path, token)).text()
const pdf = async (path: string, token: string) => pdfText(new Uint8Array(await (await get(path, token)).arrayBuffer())).lines.join('\n')

/** Labels and defaults of the internal fields, as any export would print them. */
const INTERNAL_WORDS = ['Buying role', 'Influence', 'influence', 'Attitude', 'Owner', 'Notes', 'Neutral', 'neutral', 'Medium', 'medium', 'not assessed', 'Blocker', 'Tina Owner', 'Hates long decks', 'Baseline', 'Target ', '1,250,000', '2,500,000']

test('a guest Markdown export has no internal field: no column, no label, no default', async () => {
  const markdown = await text(`${first.id}?format=md`, workshop.tokens.guest)
  expect(markdown).toContain('| Name | Job title | Department |')
  expect(markdown).toContain('| Anna Visible | CFO of Record | Finance |')
  expect(markdown).toContain('### Grow logistics')
  for (const word of INTERNAL_WORDS.filter((w) => w !== 'Owner')) expect(markdown, word).not.toContain(word)
  // The objective's owner is visible; the stakeholder's relationship owner is not.
  expect(markdown).toContain('**Owner:** Ola')
  expect(markdown).not.toMatch(/\| Owner \|/)
})

test('a guest CSV export has no column of an internal field', async () => {
  const people = await text(`${first.id}/stakeholders.csv`, workshop.tokens.guest)
  expect(people).toBe('Id,Name,Job title,Department\r\nshape:anna,Anna Visible,CFO of Record,Finance\r\n')
  const objectives = await text(`${first.id}/objectives.csv`, workshop.tokens.guest)
  expect(objectives.split('\r\n')[0]).toBe('Id,Objective,KPI,Measure,Unit,Target date,Owner,Status,Past target date,Strategy,Actions,Answers')
  expect(objectives).not.toContain('1250000')
})

test('a guest JSON plan leaves the internal fields out of the items and lists them as withheld', async () => {
  const view = PlanViewSchema.parse(await (await get(first.id, workshop.tokens.guest)).json())
  expect(view.withheld).toEqual(expect.arrayContaining(['stakeholder.attitude', 'stakeholder.influence', 'stakeholder.buyingRole', 'stakeholder.owner', 'stakeholder.notes', 'objective.baseline', 'objective.target']))
  expect(view.stakeholders).toEqual([{ id: 'shape:anna', name: 'Anna Visible', jobTitle: 'CFO of Record', department: 'Finance' }])
  expect(Object.keys(view.objectives?.[0] ?? {})).not.toContain('baseline')
})

test('a guest PDF names the person without an assessment it does not hold', async () => {
  const lines = await pdf(`${first.id}?format=pdf`, workshop.tokens.guest)
  expect(lines).toContain('Anna Visible, CFO of Record')
  for (const word of ['influence', 'neutral', 'not assessed', 'blocker', 'Tina Owner']) expect(lines, word).not.toContain(word)
})

test("a guest's diff compares visible fields only and its items hold no internal field", async () => {
  const diff = PlanDiffSchema.parse(await (await get(`${second.id}/diff/${first.id}`, workshop.tokens.guest)).json())
  expect(diff.withheld).toContain('stakeholder.attitude')
  expect(diff.stakeholders?.changed).toEqual([
    { id: 'shape:anna', item: { id: 'shape:anna', name: 'Anna Visible', jobTitle: 'CFO and COO', department: 'Finance' }, changes: [{ field: 'jobTitle', before: 'CFO of Record', after: 'CFO and COO' }] },
  ])
})

test("a guest's snapshot board tells the canvas which fields to leave off the cards", async () => {
  const board = SnapshotBoardSchema.parse(await (await get(`${first.id}/boards/stakeholders`, workshop.tokens.guest)).json())
  expect(board.withheld).toEqual(expect.arrayContaining(['stakeholder.attitude', 'stakeholder.influence']))
  const team = SnapshotBoardSchema.parse(await (await get(`${first.id}/boards/stakeholders`, workshop.tokens.team)).json())
  expect(team.withheld).toBeUndefined()
})

test("the team's exports still carry every field", async () => {
  const markdown = await text(`${first.id}?format=md`, workshop.tokens.team)
  expect(markdown).toContain('| Name | Job title | Department | Buying role | Influence | Attitude | Owner | Notes |')
  expect(markdown).toContain('| Anna Visible | CFO of Record | Finance | Economic buyer | High | Blocker | Tina Owner | Hates long decks |')
  expect(markdown).toContain('1,250,000')
  const people = await text(`${first.id}/stakeholders.csv`, workshop.tokens.team)
  expect(people.split('\r\n')[0]).toBe('Id,Name,Job title,Department,Buying role,Influence,Attitude,Relationship owner,Notes')
  const lines = await pdf(`${first.id}?format=pdf`, workshop.tokens.team)
  expect(lines).toContain('influence high')
  expect(lines).toContain('blocker')
  const diff = PlanDiffSchema.parse(await (await get(`${second.id}/diff/${first.id}`, workshop.tokens.team)).json())
  expect(diff.withheld).toBeUndefined()
  expect(diff.stakeholders?.changed[0]?.changes.map((change) => change.field)).toEqual(['jobTitle', 'attitude'])
})

test("a guest gets no comparison with the account's last workshop, so no internal field value of it either", async () => {
  // A later workshop of the same account, its stakeholder map customer-facing, the person re-assessed.
  const later = await server.createWorkshop({ account: 'Acme', title: 'FY28' })
  const flags = await workshopFetch(`${server.url}/api/workshops/${later.id}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: true, actions: true, whitespace: false } }),
  })
  expect(flags.status).toBe(200)
  const board = await openBoard(server, later.id, 'stakeholders', 'Tina')
  clients.push(board)
  await board.write([stakeholder('shape:anna', { x: 0, y: 0 }, { ...ANNA, attitude: 'champion', notes: 'Asked for the pilot', jobTitle: 'CEO' })])
  const latest = await workshopFetch(`${server.url}/api/workshops/${later.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"FY28"}' })
  const plan = PlanRecordSchema.parse(await latest.json())
  const response = await fetch(`${server.url}/api/workshops/${later.id}/snapshots/${plan.id}/since-last-workshop`, { headers: { authorization: `Bearer ${later.tokens.guest}` } })
  // [K6] not at all, since QA q28c: the other workshop is not the guest's to read.
  expect(response.status).toBe(403)
  const body = await response.text()
  for (const word of ['blocker', 'champion', 'Tina Owner', 'Hates long decks', 'Asked for the pilot', 'economic_buyer', '1250000', 'CFO and COO']) expect(body, word).not.toContain(word)
})

test("a guest's timeline collapses automatic snapshots that differ only in internal fields", async () => {
  const workshop = await server.createWorkshop({ account: 'Timeline Ltd', title: 'T' })
  const flags = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true } }),
  })
  expect(flags.status).toBe(200)
  const board = await openBoard(server, workshop.id, 'stakeholders', 'Tina')
  clients.push(board)
  await board.write([stakeholder('shape:anna', { x: 0, y: 0 }, ANNA)])
  const a = await server.server.snapshots.take(workshop.id, 'periodic', null)
  await board.write([stakeholder('shape:anna', { x: 0, y: 0 }, { ...ANNA, attitude: 'champion' })])
  const b = await server.server.snapshots.take(workshop.id, 'periodic', null)
  const timeline = async (token: string) => WorkshopTimelineSchema.parse(await (await fetch(`${server.url}/api/workshops/${workshop.id}/timeline`, { headers: { authorization: `Bearer ${token}` } })).json()).entries
  // The team sees the attitude change; a guest, holding no attitude, sees nothing that changed.
  expect(await timeline(workshop.tokens.team)).toEqual([{ id: b.id, collapsed: [] }, { id: a.id, collapsed: [] }])
  expect(await timeline(workshop.tokens.guest)).toEqual([{ id: b.id, collapsed: [a.id] }])
})
