/**
 * QA pass q27b: a keyboard user choosing a board with Enter on its tab lost the focus to the page's
 * body (the header is rebuilt with the board), and had to Tab through the header again. In real
 * Chromium: the new board's tab has the focus once the board is open; a mouse click leaves the
 * focus to the board, as before.
 */
import { expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('Enter on a board tab opens the board with the focus on its tab', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!fran) throw new Error('no page')
  const { page } = fran
  await waitForBoard(page)
  const tabs = page.getByRole('navigation', { name: 'Boards' })
  await tabs.getByRole('link', { name: 'Action plan' }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/actions/)
  await waitForBoard(page)
  await expect.poll(() => page.evaluate(() => [document.activeElement?.textContent, document.activeElement?.getAttribute('aria-current')]), { timeout: WAIT_MS }).toEqual(['Action plan', 'page'])
  // Still there a couple of frames later.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Action plan')
  // Tab goes on from there, through the header.
  await page.keyboard.press('Shift+Tab')
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Objectives & KPIs')
  await fran.context.close()
})
