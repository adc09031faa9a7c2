/**
 * The review page's timeline cards read `GET /snapshots` counts: besides notes, people and actions
 * they carry the objectives and open opportunities (QA, 2026-12-05), counted as the viewer may see
 * them: a guest's counts leave out internal cards ([A36]), and are absent for a board the guest
 * does not see, never a 0 that reads as "none".
 */
import type { TLShape } from '@tldraw/tlschema'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { objective, whitespaceCell } from '../helpers/planBoards.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
const clients: BoardClient[] = []

const internal = (shape: TLShape): TLShape => ({ ...shape, meta: { ...shape.meta, [INTERNAL_META_KEY]: true } })

async function setFacing(customerFacing: Record<string, boolean>): Promise<void> {
  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerFacing }) })
  expect(response.status).toBe(200)
}

async function counts(role: Role) {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { headers: { authorization: `Bearer ${workshop.tokens[role]}` } })
  expect(response.status).toBe(200)
  const [only] = SnapshotListSchema.parse(await response.json()).snapshots
  return only?.counts
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  await setFacing({ swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true })
  const objectives = await openBoard(server, workshop.id, 'objectives', 'Tina')
  const whitespace = await openBoard(server, workshop.id, 'whitespace', 'Tina')
  clients.push(objectives, whitespace)
  await objectives.write([
    objective('shape:grow', { x: 0, y: 0 }, { objective: 'Grow logistics' }),
    objective('shape:keep', { x: 400, y: 0 }, { objective: 'Keep billing' }),
    internal(objective('shape:squeeze', { x: 800, y: 0 }, { objective: 'Squeeze their margin' })),
  ])
  await whitespace.write([
    whitespaceCell('shape:open', { x: 0, y: 0 }, { row: 'Logistics', column: 'Billing', kind: 'opportunity', value: 100_000, probability: 50 }),
    internal(whitespaceCell('shape:secret-deal', { x: 400, y: 0 }, { row: 'Logistics', column: 'Tracking', kind: 'opportunity', value: 900_000, probability: 10 })),
    whitespaceCell('shape:ours', { x: 800, y: 0 }, { row: 'Finance', column: 'Billing', kind: 'we_supply', value: 50_000 }),
  ])
  const taken = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: 'After the workshop' }) })
  expect(taken.status).toBe(201)
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

test("the team's timeline entry counts every objective and open opportunity", async () => {
  expect(await counts('facilitator')).toMatchObject({ objectives: 3, openOpportunities: 2 })
})

test("a guest's timeline entry counts only the objectives and open opportunities the guest sees [A36]", async () => {
  const guest = await counts('guest')
  expect(guest).toMatchObject({ objectives: 2, openOpportunities: 1 })
  // Health reads internal fields ([A22]): a guest's entry has none.
  expect(guest?.health).toBeUndefined()
  // The guest's export of the same snapshot tells the same count.
  const list = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
  const [entry] = SnapshotListSchema.parse(await list.json()).snapshots
  const markdown = await (await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${entry?.id}?format=md`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })).text()
  expect(markdown).toContain('**Open opportunities:** 1\n')
  expect(markdown).not.toContain('Squeeze their margin')
})

test('a board the guest no longer sees has no count, not a 0 that reads as none', async () => {
  await setFacing({ swot: true, stakeholders: true, objectives: false, actions: true, whitespace: false })
  const guest = await counts('guest')
  expect(guest?.objectives).toBeUndefined()
  expect(guest?.openOpportunities).toBeUndefined()
  await setFacing({ swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true })
})
