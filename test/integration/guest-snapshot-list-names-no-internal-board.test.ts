/**
 * QA q28c: a guest's snapshot list and review named the snapshot taken before the facilitator
 * restored the (internal) SWOT board "Before restoring the SWOT board", telling the customer of the
 * team's work there. A guest sees such a snapshot by its trigger's name; the team by the board's.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { startServer, workshopFetch, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test("a guest's list and view of a snapshot taken before a restore do not name the board restored", async () => {
  const workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27' })
  const base = `${server.url}/api/workshops/${workshop.id}/snapshots`
  const saved = await workshopFetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Start"}' })
  const start = PlanRecordSchema.parse(await saved.json())
  // A change to restore away (a board already as in the snapshot is not restored, nor saved before).
  const board = await openBoard(server, workshop.id, 'swot', 'Ada')
  await board.write([noteIn('strengths', 'shape:later', 'Written later')])
  board.destroy()
  const restored = await workshopFetch(`${base}/${start.id}/restore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"board":"swot"}' })
  expect(restored.status).toBe(200)

  const list = async (token: string) => SnapshotListSchema.parse(await (await fetch(base, { headers: { authorization: `Bearer ${token}` } })).json()).snapshots
  const teamEntry = (await list(workshop.tokens.team)).find((snapshot) => snapshot.trigger === 'before_restore')
  expect(teamEntry?.label).toBe('Before restoring the SWOT board')
  const guestEntry = (await list(workshop.tokens.guest)).find((snapshot) => snapshot.trigger === 'before_restore')
  expect(guestEntry).toBeDefined()
  expect(guestEntry?.label).toBeNull()
  const view = await fetch(`${base}/${guestEntry?.id}`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
  expect(view.status).toBe(200)
  const body = await view.text()
  expect(body).not.toContain('SWOT')
  const markdown = await (await fetch(`${base}/${guestEntry?.id}?format=md`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })).text()
  expect(markdown).not.toContain('Before restoring the SWOT board')
})
