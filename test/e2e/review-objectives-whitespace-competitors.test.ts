/**
 * Issue 15 in the review page, in real Chromium: a snapshot's objectives show in an itemised
 * table (KPI, baseline → target by the target date, owner, status, the actions linked to each),
 * with the actions that serve no objective; the whitespace board shows its cells, opportunities
 * and share of wallet by unit, and the competitor matrix. A second snapshot marks what changed.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action, competitor, objective } from '../helpers/planBoards.ts'
import { SAMPLE_ACCOUNT_PLAN } from '../helpers/sampleWorkshop.ts'
import { takeSnapshot, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let page: Page
const clients: BoardClient[] = []

/** Saves a snapshot named `label` as the facilitator. */
const snapshot = (label: string) => takeSnapshot(e2e.server, workshop.id, label)

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const open = async (board: Parameters<typeof openBoard>[2]) => {
    const client = await openBoard(e2e.server, workshop.id, board, 'Ada')
    clients.push(client)
    return client
  }
  const objectives = await open('objectives')
  const actions = await open('actions')
  const whitespace = await open('whitespace')
  await objectives.write([
    ...SAMPLE_ACCOUNT_PLAN.objectives,
    objective('shape:o2', { x: 400, y: 60 }, { objective: 'Lift NPS', kpiType: 'satisfaction', owner: 'Ben', status: 'at_risk' }),
  ])
  await actions.write([...SAMPLE_ACCOUNT_PLAN.actions, action('shape:a2', { x: 20, y: 400 }, { title: 'Book the QBR', owner: 'Ben', due: '2099-02-28' })])
  await whitespace.write([
    ...SAMPLE_ACCOUNT_PLAN.whitespace.filter((record) => record.id !== 'shape:g1'),
    competitor('shape:g1', { x: 2000, y: 100 }, { name: 'Globex', position: 'incumbent', strengths: 'Price', weaknesses: 'Slow support', relationship: 'CIO' }),
  ])
  await snapshot('Kick-off')
  await objectives.write([objective('shape:o2', { x: 400, y: 60 }, { objective: 'Lift NPS', kpiType: 'satisfaction', owner: 'Ben', status: 'on_track' })])
  await whitespace.write([competitor('shape:g1', { x: 2000, y: 100 }, { name: 'Globex', position: 'strong', strengths: 'Price', weaknesses: 'Slow support', relationship: 'CIO' })])
  await snapshot('Review')

  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots?board=objectives`, ['Dana'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
})

afterAll(() => {
  for (const client of clients) client.destroy()
})

describe('objectives, whitespace and competitors in the review', () => {
  it('lists each objective with its KPI, baseline → target, owner, status and linked actions; and the actions serving none', async () => {
    const table = page.getByRole('table', { name: 'Objectives' })
    const grow = table.getByRole('row', { name: /Grow tracking revenue/ })
    await grow.waitFor({ timeout: WAIT_MS })
    for (const cell of ['Revenue growth · Revenue', 'Ada', 'On track', 'Pilot with Ops']) {
      await grow.getByRole('cell', { name: cell }).first().waitFor({ timeout: WAIT_MS })
    }
    expect(await grow.locator('.kpi-cell').textContent()).toMatch(/1,000,000 EUR → 1,400,000 EUR by .*2027/)
    // Lift NPS has no action, and changed from at risk to on track since Kick-off.
    const nps = table.getByRole('row', { name: /Lift NPS/ })
    await nps.getByText('No action').waitFor({ timeout: WAIT_MS })
    expect(await nps.locator('.change del').textContent()).toBe('At risk')
    expect(await nps.locator('.change ins').textContent()).toBe('On track')
    expect(await page.getByRole('list', { name: 'Actions serving no objective' }).textContent()).toBe('Book the QBR')
  })

  it('lists the whitespace cells, the opportunities and share of wallet by unit, and the competitors', async () => {
    await page.getByRole('tab', { name: 'Whitespace & competitors' }).click()
    const cells = page.getByRole('table', { name: 'Whitespace' })
    const billing = cells.getByRole('row', { name: /Billing/ })
    await billing.waitFor({ timeout: WAIT_MS })
    expect(await billing.getByRole('cell').allTextContents()).toEqual(['Logistics', 'Billing', 'Open opportunity', '200,000', '50 %'])
    expect(await cells.getByRole('row', { name: /Tracking/ }).getByRole('cell').nth(2).textContent()).toBe('We supply')

    const units = page.getByRole('table', { name: 'By business unit' })
    expect(await units.getByRole('row', { name: /Logistics/ }).getByRole('cell').allTextContents()).toEqual(['1', '200,000 (100,000)', '100 % of 300,000'])

    const globex = page.getByRole('table', { name: 'Competitors' }).getByRole('row', { name: /Globex/ })
    await globex.getByRole('cell', { name: 'Slow support' }).waitFor({ timeout: WAIT_MS })
    expect(await globex.locator('.change del').textContent()).toBe('Incumbent')
    expect(await globex.locator('.change ins').textContent()).toBe('Strong')
  })
})
