/**
 * QA q28c: an account named with 120 characters and no space widened the portfolio's table, so its
 * Tier, Health and other columns scrolled out of view for every row. The name breaks where it must,
 * and its column stays narrow.
 */
import { expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { TEST_ORG_KEY } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('a 120-character account name without spaces does not widen the portfolio table', async () => {
  const long = `Northwind${'X'.repeat(111)}`
  await e2e.server.createWorkshop({ account: long, title: 'Kick-off' })
  await e2e.server.createWorkshop({ account: 'Helix Labs', title: 'Kick-off' })
  const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  await page.goto(e2e.server.url)
  await page.getByLabel('Organisation key').fill(TEST_ORG_KEY)
  await page.getByRole('button', { name: 'Use this key' }).click()
  await page.locator('.portfolio-table tr[data-account="Helix Labs"]').waitFor({ timeout: WAIT_MS })
  // The names' column stays narrow (it took 1,166 px: every other column scrolled out of view).
  const width = await page.locator(`.portfolio-table tr[data-account="${long}"] > th`).evaluate((cell) => cell.getBoundingClientRect().width)
  expect(width).toBeLessThan(300)
  // And on a desktop screen the table fits its box: no sideways scrolling (it overflowed by 53 px).
  expect(await page.locator('.portfolio-table-scroll').evaluate((box) => box.scrollWidth - box.clientWidth)).toBeLessThanOrEqual(1)
  await context.close()
})
