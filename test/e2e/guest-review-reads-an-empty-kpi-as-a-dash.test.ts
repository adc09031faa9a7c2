/**
 * QA pass q27c: a customer guest's review of an objective without a target date showed an empty
 * KPI cell (baseline and target are money, withheld from guests by default), where every other
 * empty value reads "—". In real Chromium, as the guest: "—"; with a target date, the date.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { objective } from '../helpers/planBoards.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it("a guest's review reads an objective's KPI cell with nothing to show as '—'", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const shared = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerFacing: { objectives: true } }) })
  expect(shared.status).toBe(200)
  const board = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  await board.write([
    objective('shape:nps', { x: 40, y: 120 }, { objective: 'Lift NPS', measure: 'NPS', baseline: 20, target: 40 }),
    objective('shape:eu', { x: 400, y: 120 }, { objective: 'Open EU hub', measure: 'Sites', targetDate: '2027-06-30' }),
  ])
  board.destroy()
  const saved = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Review"}' })
  expect(saved.status).toBe(201)
  const [carla] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  if (!carla) throw new Error('no page')
  await waitForBoard(carla.page)
  await carla.page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots`)
  await carla.page.getByRole('tab', { name: 'Objectives & KPIs' }).click()
  const row = (id: string) => carla.page.locator(`tr[data-id="${id}"] .kpi-cell`)
  await row('shape:nps').waitFor({ timeout: WAIT_MS })
  expect((await row('shape:nps').textContent())?.trim()).toBe('—')
  expect(await row('shape:eu').textContent()).toMatch(/2027/)
  await carla.context.close()
})
