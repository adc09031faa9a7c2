/**
 * QA q28a: Fran followed Tom, and Tom closed his page. Fran's panel said "Tom Team has left the
 * workshop." with no way to stop following (Tom had no row left to hold Stop following), and when
 * Tom came back on another board, Fran's page was pulled there. Now the notice has its own Stop
 * following, and someone not back within a few seconds is no longer followed.
 */
import { expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it("stops following someone who left: at once with the notice's button, or by itself after a while", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!fran) throw new Error('no page')
  await waitForBoard(fran.page)
  const panel = sidePanel(fran.page)
  const notice = panel.locator('.follow-notice')

  const openTom = async () => {
    const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
    if (!tom) throw new Error('no page')
    await waitForBoard(tom.page)
    return tom
  }

  // With the notice's button.
  let tom = await openTom()
  await panel.getByRole('button', { name: 'Follow Tom Team' }).click()
  await fran.page.waitForURL((url) => url.pathname.endsWith('/actions'), { timeout: WAIT_MS })
  await tom.context.close()
  await notice.filter({ hasText: 'Tom Team has left the workshop.' }).waitFor({ timeout: WAIT_MS })
  await notice.getByRole('button', { name: 'Stop following' }).click()
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })

  // By itself: Tom is not back within a few seconds; when he comes back on the SWOT, Fran stays.
  tom = await openTom()
  await panel.getByRole('button', { name: 'Follow Tom Team' }).click()
  await tom.context.close()
  await notice.filter({ hasText: 'has left the workshop' }).waitFor({ timeout: WAIT_MS })
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
  const [back] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!back) throw new Error('no page')
  await waitForBoard(back.page)
  await panel.getByRole('button', { name: 'Follow Tom Team' }).waitFor({ timeout: WAIT_MS })
  expect(new URL(fran.page.url()).pathname).toMatch(/\/actions$/)
  await back.context.close()
  await fran.context.close()
})
