/**
 * QA pass q27b: the plan health panel polls the server, and while the page was offline (or the
 * server restarting) it kept its last answer as if it were current. In real Chromium: offline, it
 * says the score is not up to date; back online, it is current again and says nothing.
 */
import { it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('the plan health panel says it is not up to date while the server cannot be reached', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  const { page, context } = tom
  await waitForBoard(page)
  await page.getByTestId('health-score').waitFor({ timeout: WAIT_MS })
  const stale = page.getByRole('status').filter({ hasText: 'Not up to date: the server cannot be reached.' })
  await context.setOffline(true)
  await stale.waitFor({ timeout: WAIT_MS })
  await context.setOffline(false)
  await stale.waitFor({ state: 'detached', timeout: WAIT_MS })
  await page.getByTestId('health-score').waitFor({ timeout: WAIT_MS })
  await context.close()
})
