/**
 * The review page shows a snapshot's plan health (docs/plan-health.md) in real Chromium: the score
 * as it was when the snapshot was taken, what was missing, most important first, and each item
 * opens its board's tab. It matches the health the snapshot's JSON export holds.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { PlanViewSchema } from '../../shared/plan.ts'
import { missingItems } from '../../shared/planHealth.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let page: Page
let url: string

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'Kick-off' }),
  })
  expect(response.status).toBe(201)
  const { id } = (await response.json()) as { id: string } // the plan record; only its id is used
  url = `${e2e.server.url}/api/workshops/${workshop.id}/snapshots/${id}`
  const [fiona] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots`, ['Fiona'], { width: 1400, height: 900 })
  if (!fiona) throw new Error('openPeople returned no page')
  page = fiona.page
})

it('shows the score and what was missing, as the snapshot holds them; an item opens its board', async () => {
  const plan = PlanViewSchema.parse(await (await workshopFetch(url)).json())
  if (!plan.health) throw new Error('the facilitator gets no health')
  const expected = missingItems(plan.health)
  expect(expected.length).toBeGreaterThan(0)

  const score = page.getByTestId('snapshot-health-score')
  await score.waitFor({ timeout: WAIT_MS })
  expect(await score.textContent()).toBe(String(plan.health.score))
  await page.locator('.snapshot-health > summary').click()
  const items = page.getByRole('list', { name: 'Missing from the plan' }).getByRole('listitem')
  await items.first().waitFor({ timeout: WAIT_MS })
  expect(await items.count()).toBe(expected.length)
  expect(await items.first().textContent()).toContain(expected[0]?.message ?? '')

  const stakeholderItem = items.filter({ hasText: '(Stakeholder map)' }).first()
  await stakeholderItem.getByRole('button').click()
  await page.getByRole('tab', { name: 'Stakeholder map', selected: true }).waitFor({ timeout: WAIT_MS })
})
