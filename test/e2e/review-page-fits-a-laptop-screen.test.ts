/**
 * The review page on a laptop screen (1280 × 720) in real Chromium: nothing is cut off sideways.
 * The export buttons and the board pane's buttons wrap onto another line rather than run past
 * the page's edge ("JSON" and "Restore this board" were clipped).
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let page: Page

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics GmbH', title: 'FY27 account plan workshop B' })
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'After whitespace' }),
  })
  expect(response.status).toBe(201)
  const [fiona] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots`, ['Fiona'], { width: 1280, height: 720 })
  if (!fiona) throw new Error('openPeople returned no page')
  page = fiona.page
})

/** True when `locator`'s box lies inside the window's width. */
async function inside(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox()
  return box !== null && box.x >= 0 && box.x + box.width <= 1280
}

it('shows every export and board button whole, with no sideways scrolling', async () => {
  const exports = page.getByRole('group', { name: 'Export' })
  await exports.getByRole('button', { name: 'JSON' }).waitFor({ timeout: WAIT_MS })
  const restore = page.getByRole('button', { name: 'Restore this board' })
  await restore.waitFor({ timeout: WAIT_MS })
  for (const button of await exports.getByRole('button').all()) expect(await inside(button), await button.innerText()).toBe(true)
  expect(await inside(restore)).toBe(true)
  const main = page.locator('main').first()
  expect(await main.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true)
})
