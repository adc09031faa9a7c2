/**
 * QA pass q29c: a header popover (Share, History, Timer, Save snapshot) stayed open when Tab left
 * it: on a phone it covers the header, and the focus went on to buttons hidden under it, where
 * Enter pressed a button nobody could see. The popover now closes when the focus leaves it.
 */
import { expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('Tab past the last control of the Save snapshot popover closes it, the focus on the next control', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.facilitator}&name=Fiona`)
  await waitForBoard(page)
  const opener = page.locator('.app-header').getByRole('button', { name: 'Save snapshot' })
  await opener.focus()
  await page.keyboard.press('Enter')
  const popover = page.getByRole('dialog', { name: /snapshot/i })
  await popover.waitFor({ timeout: WAIT_MS })
  const inside = () => popover.evaluate((element) => element.contains(document.activeElement)).catch(() => false)
  expect(await inside()).toBe(true)
  // Tab through its controls and out.
  for (let i = 0; i < 20 && (await popover.count()) > 0 && (await inside()); i++) await page.keyboard.press('Tab')
  await popover.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true)
  await context.close()
})
