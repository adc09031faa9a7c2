/**
 * In a browser set to another language, in Chromium (QA q36c, finding 6): tldraw's own tools,
 * menus and announcements followed the browser's language beside Keyplan's English, on a page
 * marked English; Arabic typed into a side-panel field, or shown on a card, was laid out left to
 * right. tldraw now speaks the page's language, and typed text takes its own direction.
 */
import { expect, it } from 'vitest'
import { sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('an Arabic browser gets tldraw in English, and Arabic text in its own direction', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'ar' })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
  // tldraw's toolbar names its select tool in English.
  await page.locator('.tlui-toolbar').getByRole('radio', { name: /^Select/ }).or(page.locator('.tlui-toolbar').getByRole('button', { name: /^Select/ })).first().waitFor({ timeout: WAIT_MS })

  await page.getByRole('button', { name: 'Add stakeholder' }).click()
  const department = sidePanel(page).getByLabel('Department', { exact: true })
  await department.fill('المالية 2')
  expect(await department.evaluate((element) => getComputedStyle(element).unicodeBidi)).toBe('plaintext')
  const onCard = page.locator('.tl-shape[data-shape-type="stakeholder"]').getByText('المالية 2')
  await onCard.waitFor({ timeout: WAIT_MS })
  expect(await onCard.evaluate((element) => getComputedStyle(element).unicodeBidi)).toBe('plaintext')
  await context.close()
})
