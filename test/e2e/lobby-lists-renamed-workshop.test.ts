/**
 * A workshop renamed elsewhere reaches an open lobby's list without a reload (docs/server-rules.md
 * [C13]): the lobby reads its list again when it is looked at again (tab shown, window focused)
 * and every 30 s while visible. The browser's clock is Playwright's, so the test moves it on rather
 * than waiting.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { TEST_ORG_KEY, workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop
let lobby: Page

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind', title: 'FY27 account plan' })
  const context = await test.browser.newContext({ viewport: { width: 1400, height: 900 } })
  lobby = await context.newPage()
  lobby.on('pageerror', (error) => console.error('[lobby] page error:', error))
  await lobby.clock.install()
  await lobby.goto(test.server.url)
  await lobby.getByLabel('Organisation key').fill(TEST_ORG_KEY)
  await lobby.getByRole('button', { name: 'Use this key' }).click()
})

async function rename(body: { account: string; title: string }): Promise<void> {
  const response = await workshopFetch(`${test.server.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
}

it('[C13] shows a workshop renamed elsewhere in the open lobby, without a reload', async () => {
  const entry = lobby.locator('.workshop-list li').filter({ hasText: 'FY27 account plan' })
  await entry.waitFor({ timeout: WAIT_MS })
  await lobby.evaluate(() => {
    document.documentElement.dataset['testNotReloaded'] = 'yes'
  })

  await rename({ account: 'Northwind Logistics', title: 'FY27 joint plan' })
  // The light poll of a visible lobby.
  await lobby.clock.runFor(30_000)
  await lobby.locator('.workshop-list li').filter({ hasText: 'FY27 joint plan' }).filter({ hasText: 'Northwind Logistics' }).waitFor({ timeout: WAIT_MS })

  // Looking at the lobby again reads it at once.
  await rename({ account: 'Northwind Logistics', title: 'FY27 final plan' })
  await lobby.evaluate(() => window.dispatchEvent(new FocusEvent('focus')))
  await lobby.locator('.workshop-list li').filter({ hasText: 'FY27 final plan' }).waitFor({ timeout: WAIT_MS })
  expect(await lobby.evaluate(() => document.documentElement.dataset['testNotReloaded'])).toBe('yes')
})
