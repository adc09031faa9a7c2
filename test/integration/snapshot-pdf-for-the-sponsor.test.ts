/**
 * `GET /snapshots/:sid?format=pdf` (docs/accounts.md [K10]): a PDF that parses, with the account
 * and workshop header, the time in the workshop's zone, SWOT, stakeholders and actions by status
 * with overdue ones marked, on one page; a guest's PDF has only the customer-facing sections
 * (an internal canary is absent); every export is named `<account>-<workshop>-<date>.<ext>`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { action } from '../helpers/planBoards.ts'
import type { BoardClient } from '../helpers/boardClients.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { noteIn, openSampleBoards, SAMPLE_ACCOUNT_PLAN } from '../helpers/sampleWorkshop.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

const CANARY = 'CANARY internal margin squeeze'
let server: TestServer
let workshop: TestWorkshop
let plan: PlanRecord
const clients: BoardClient[] = []

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Zürich Re', title: 'FY27 planning', timeZone: 'Pacific/Auckland' })
  const boards = await openSampleBoards(server, workshop.id)
  clients.push(...Object.values(boards))
  await boards.swot.write([noteIn('weaknesses', 'shape:n-canary', CANARY)])
  await boards.actions.write([action('shape:a-late', { x: 20, y: 500 }, { title: 'Renew the frame contract', owner: 'Grace', due: '2020-01-15', status: 'open' })])
  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Sponsor review"}' })
  plan = PlanRecordSchema.parse(await response.json())
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

const pdfOf = (token: string) => fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}?format=pdf`, { headers: { authorization: `Bearer ${token}` } })

test('the facilitator gets a one-page PDF with header, SWOT, stakeholders and actions by status, overdue marked', async () => {
  const response = await pdfOf(workshop.tokens.facilitator)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/pdf')
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Auckland' }).format(new Date(plan.takenAt))
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="zurich-re-fy27-planning-${date}.pdf"`)
  const { pages, lines } = pdfText(new Uint8Array(await response.arrayBuffer()))
  expect(pages).toBe(1)
  const text = lines.join('\n')
  expect(lines[0]).toBe('Zürich Re')
  expect(text).toContain('Account plan: FY27 planning')
  expect(text).toContain('(Pacific/Auckland)')
  expect(text).toContain('Sponsor review')
  for (const expected of ['SWOT', 'Strong brand in DACH', CANARY, 'Key stakeholders', 'Dana Ortiz, CEO', 'Actions', 'Open (2)', 'In progress (1)', 'OVERDUE · Renew the frame contract — Grace — due 2020-01-15', 'Send proposal — Ada — due 2099-12-01']) {
    expect(text).toContain(expected)
  }
  expect(text).not.toContain('OVERDUE · Send proposal')
})

test('the PDF holds the objectives with their KPI, the opportunities and share of wallet, and the competitors', async () => {
  const other = await server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  for (const board of ['objectives', 'actions', 'whitespace'] as const) {
    const client = await openBoard(server, other.id, board, 'Ada')
    clients.push(client)
    await client.write([...SAMPLE_ACCOUNT_PLAN[board]])
  }
  const taken = await workshopFetch(`${server.url}/api/workshops/${other.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  const { id } = PlanRecordSchema.parse(await taken.json())
  const response = await fetch(`${server.url}/api/workshops/${other.id}/snapshots/${id}?format=pdf`, { headers: { authorization: `Bearer ${other.tokens.facilitator}` } })
  expect(response.status).toBe(200)
  const text = pdfText(new Uint8Array(await response.arrayBuffer())).lines.join('\n')
  for (const expected of [
    'Objectives',
    'Grow tracking revenue — On track',
    'Revenue: 1,000,000 EUR to 1,400,000 EUR · by 2027-06-30 · owner Ada',
    'Whitespace',
    '1 open opportunity: 200,000 (weighted 100,000)',
    'Share of wallet, Logistics: 100 % of 300,000',
    'Competitors',
    'Globex — incumbent',
  ]) {
    expect(text).toContain(expected)
  }
})

test('a guest PDF holds only the customer-facing sections: the internal canary is absent', async () => {
  const response = await pdfOf(workshop.tokens.guest)
  expect(response.status).toBe(200)
  const text = pdfText(new Uint8Array(await response.arrayBuffer())).lines.join('\n')
  expect(text).toContain('Renew the frame contract')
  expect(text).not.toContain('CANARY')
  expect(text).not.toContain('Dana Ortiz')
  expect(text).not.toContain('SWOT')
})

test('every export of the snapshot carries the same name', async () => {
  const names = []
  for (const suffix of ['?format=md', '/actions.csv', '/votes.csv', '/stakeholders.csv']) {
    const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}${suffix}`)
    names.push(/filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1])
  }
  const base = /^zurich-re-fy27-planning-\d{4}-\d{2}-\d{2}/.exec(names[0] ?? '')?.[0]
  expect(base).toBeDefined()
  expect(names).toEqual([`${base}.md`, `${base}.actions.csv`, `${base}.votes.csv`, `${base}.stakeholders.csv`])
})
