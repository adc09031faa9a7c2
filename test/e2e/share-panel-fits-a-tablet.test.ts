/**
 * QA pass q29c: at 768×1024 the header wraps, and the Share panel ran 19 px past the bottom of the
 * window, its Archive and Delete buttons cut off even when scrolled to its end. The panel now keeps
 * to the room below it.
 */
import { expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('the Share panel ends inside a 768×1024 window, and scrolls to its last button', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.facilitator}&name=Fiona`)
  await waitForBoard(page)
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Share this workshop' })
  await dialog.getByRole('button', { name: /Delete/ }).waitFor({ timeout: WAIT_MS })
  const bottom = () => dialog.evaluate((element) => element.getBoundingClientRect().bottom)
  await expect.poll(bottom, { timeout: WAIT_MS }).toBeLessThanOrEqual(1024)
  await dialog.evaluate((element) => element.scrollTo(0, element.scrollHeight))
  const last = await dialog.getByRole('button', { name: /Delete/ }).evaluate((element) => element.getBoundingClientRect().bottom)
  expect(last).toBeLessThanOrEqual(1024)
  await context.close()
})
