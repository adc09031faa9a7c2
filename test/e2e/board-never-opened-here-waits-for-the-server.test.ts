/**
 * QA pass q27b: a person who lost the network on the SWOT and switched to the action plan, never
 * opened on that device, got an empty canvas with no columns and no word why; an action added
 * there sat at page level behind the In progress column once the columns came. In real Chromium:
 * such a board says it is not on this device yet and offers nothing to add, until the server
 * answers; then it opens with its columns, and an action added lands in Open.
 */
import { expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'

const e2e = setUpBrowserTest()

it('a board never opened on this device, reached offline, waits for the server instead of showing an empty canvas', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [alice] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Alice Archer'])
  if (!alice) throw new Error('no page')
  const { page, context } = alice
  await waitForBoard(page)
  await context.setOffline(true)
  await page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
  await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
  await page.getByRole('heading', { name: 'This board is not on this device yet' }).waitFor({ timeout: WAIT_MS })
  expect(await page.getByRole('button', { name: 'Add action' }).count()).toBe(0)
  expect(await page.locator('.tl-canvas').count()).toBe(0)

  await context.setOffline(false)
  await waitForBoard(page)
  expect(await page.getByRole('heading', { name: 'This board is not on this device yet' }).count()).toBe(0)
  await exposeEditor(page)
  await page.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(page).getByLabel('Title').fill('Book the site visit')
  await expect
    .poll(() => page.evaluate(() => window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action')?.parentId), { timeout: WAIT_MS })
    .toBe(ACTION_COLUMNS.open.id)
  await context.close()
})
