/**
 * Issue 15 through the real server: what real y-websocket clients write on the objectives,
 * action, whitespace and stakeholder boards reaches the live health (`GET /health`), the snapshot
 * record, its diff ("health a → b: champion identified"), and the Markdown and CSV exports; a guest
 * gets no health while a board is internal (docs/security.md [A22]).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiErrorSchema } from '../../shared/api.ts'
import { PlanRecordSchema, PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import { LiveHealthSchema } from '../../shared/snapshotApi.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { action, stakeholder } from '../helpers/planBoards.ts'
import { SAMPLE_ACCOUNT_PLAN } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, type TestWorkshop, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
const clients: BoardClient[] = []
let first: PlanRecord
let second: PlanRecord

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)
const asGuest = (path: string) => api(path, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
const snapshot = async () => {
  const response = await api('/snapshots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}
const liveHealth = async () => {
  const response = await api('/health')
  expect(response.status).toBe(200)
  return LiveHealthSchema.parse(await response.json()).health
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const open = async (board: Parameters<typeof openBoard>[2]) => {
    const client = await openBoard(server, workshop.id, board, 'Ada')
    clients.push(client)
    return client
  }
  const objectives = await open('objectives')
  const actions = await open('actions')
  const whitespace = await open('whitespace')
  const stakeholders = await open('stakeholders')
  await objectives.write(SAMPLE_ACCOUNT_PLAN.objectives)
  await actions.write(SAMPLE_ACCOUNT_PLAN.actions)
  await whitespace.write(SAMPLE_ACCOUNT_PLAN.whitespace)
  await stakeholders.write([stakeholder('shape:cfo', { x: 0, y: 0 }, { name: 'Lee Chen', buyingRole: 'economic_buyer', influence: 'high', owner: 'Ada' })])
  first = await snapshot()
  await stakeholders.write([stakeholder('shape:ops', { x: 400, y: 0 }, { name: 'Sam Ray', buyingRole: 'champion', attitude: 'champion' })])
  second = await snapshot()
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

describe('objectives, whitespace and health in snapshots', () => {
  test('the snapshot holds the objective with its linked action, the whitespace and the competitor', () => {
    expect(first.objectives.map((o) => [o.id, o.actions])).toEqual([['shape:o1', ['shape:a1']]])
    expect(first.actions.map((a) => [a.id, a.objectives])).toEqual([['shape:a1', ['shape:o1']]])
    expect(first.whitespace.cells.map((c) => [c.row, c.column, c.kind])).toEqual([
      ['Logistics', 'Tracking', 'we_supply'],
      ['Logistics', 'Billing', 'opportunity'],
    ])
    expect(first.whitespace.shareOfWallet).toEqual([{ row: 'Logistics', ours: 300_000, spend: 300_000, share: 1 }])
    expect(first.competitors.map((c) => c.name)).toEqual(['Globex'])
    expect(first.warnings).toEqual([])
  })

  test('health is stored with every snapshot, with freshness judged on the boards', () => {
    const keyRoles = first.health.checks.find((c) => c.id === 'key_roles')
    expect(keyRoles?.missing.map((m) => m.message)).toEqual(['No decision maker identified', 'No champion identified'])
    expect(first.health.freshness.lastChangedAt).toBe(first.takenAt)
    expect(second.health.score).toBeGreaterThan(first.health.score)
  })

  test('the diff names what was fixed in health', async () => {
    const diff = PlanDiffSchema.parse(await (await api(`/snapshots/${second.id}/diff/${first.id}`)).json())
    expect(diff.health?.summary).toBe(`health ${first.health.score} → ${second.health.score}: champion identified`)
  })

  test('the live health follows the boards without a snapshot', async () => {
    const before = await liveHealth()
    expect(before.score).toBe(second.health.score)
    const actions = clients[1]! // opened second, above
    await actions.write([action('shape:a2', { x: 20, y: 300 }, { title: 'Unlinked idea' })])
    const after = await liveHealth()
    expect(after.checks.find((c) => c.id === 'actions_linked')?.missing.map((m) => m.shapeId)).toEqual(['shape:a2'])
    expect(after.score).toBeLessThan(before.score)
  })

  test('the live answer names each objective with the actions linked to it, for the drawn connectors', async () => {
    const response = await api('/health')
    const live = LiveHealthSchema.parse(await response.json())
    expect(live.objectives).toEqual([{ id: 'shape:o1', title: 'Grow tracking revenue', actions: [{ id: 'shape:a1', title: 'Pilot with Ops' }] }])
  })

  test('Markdown and the four new CSV exports', async () => {
    const markdown = await (await api(`/snapshots/${second.id}?format=md`)).text()
    expect(markdown).toContain('## Objectives & KPIs')
    expect(markdown).toContain('## Whitespace')
    expect(markdown).toContain('## Competitors')
    expect(markdown).toContain(`**Score:** ${second.health.score} / 100`)
    const csv = async (name: string) => {
      const response = await api(`/snapshots/${second.id}/${name}.csv`)
      expect(response.status).toBe(200)
      return (await response.text()).split('\r\n')
    }
    expect((await csv('objectives'))[1]).toMatch(/^shape:o1,Grow tracking revenue,Revenue growth,Revenue,EUR,1000000,1400000,2027-06-30,Ada,On track,,,Pilot with Ops,$/)
    expect((await csv('whitespace'))[2]).toBe('shape:c2,Logistics,Billing,Open opportunity,,200000,50,')
    expect((await csv('competitors'))[1]).toBe('shape:g1,Globex,Incumbent,,,,0')
    // Share of wallet in percent, as every other output writes it: 100, not the fraction 1.
    expect((await csv('whitespace-units')).slice(1)).toEqual(['Logistics,1,200000,100000,300000,300000,100', ''])
  })

  test('a guest gets no health and none of the internal new boards [A22]', async () => {
    const live = await asGuest('/health')
    expect(live.status).toBe(403)
    expect(ApiErrorSchema.parse(await live.json()).error.code).toBe('forbidden')
    const view = PlanViewSchema.parse(await (await asGuest(`/snapshots/${second.id}`)).json())
    expect(view.health).toBeUndefined()
    expect(view.objectives).toBeUndefined()
    expect(view.whitespace).toBeUndefined()
    expect(view.actions?.map((a) => a.id)).toEqual(['shape:a1'])
    expect((await asGuest(`/snapshots/${second.id}/whitespace.csv`)).status).toBe(403)
    expect((await asGuest(`/snapshots/${second.id}/whitespace-units.csv`)).status).toBe(403)
  })
})
