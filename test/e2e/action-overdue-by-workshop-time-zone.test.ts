/**
 * QA (twenty-second session): an action due yesterday in the workshop's time zone was "Overdue" in
 * its snapshot, its exports and for a colleague whose computer was in that zone, but not on the
 * board of someone whose computer was a day behind: each page judged by its own clock. A board now
 * judges by the workshop's date, as snapshots do ([P9]), in the card and in the side panel.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { clickShape, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action } from '../helpers/planBoards.ts'
import { workshopFetch } from '../helpers/startServer.ts'
import { dateInTimeZone } from '../../shared/timeZone.ts'

const e2e = setUpBrowserTest()
/** UTC+14: the first zone to start each day. */
const WORKSHOP_ZONE = 'Pacific/Kiritimati'

it("marks an action overdue by the workshop's date, on a page whose computer is a day behind", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Borealis Energy', title: 'Q1 planning', timeZone: WORKSHOP_ZONE })
  // Yesterday in the workshop's zone: today or tomorrow 25 hours west of it.
  const yesterday = dateInTimeZone(new Date(Date.now() - 24 * 3600_000), WORKSHOP_ZONE)
  const board = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await board.write([action('shape:late', { x: 40, y: 140 }, { title: 'Send the renewal draft', owner: 'Kim', due: yesterday, status: 'open' })])
  board.destroy()

  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Pacific/Pago_Pago' })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  const card = shapeWithText(page, 'action', 'Send the renewal draft')
  await card.filter({ hasText: 'Overdue' }).waitFor({ timeout: WAIT_MS })
  await clickShape(page, card)
  await sidePanel(page).getByText('This action is overdue.').waitFor({ timeout: WAIT_MS })
  // The page's own clock says the due date is not past.
  expect(await page.evaluate((due) => new Date().toLocaleDateString('en-CA') <= due, yesterday)).toBe(true)

  // QA q27a: the facilitator moves the workshop to a zone where the date is not past yet: the card
  // follows at once, as the side panel does (it kept its Overdue badge until reloaded).
  const moved = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeZone: 'Pacific/Pago_Pago' }) })
  expect(moved.status).toBe(200)
  await sidePanel(page).getByText('This action is overdue.').waitFor({ state: 'detached', timeout: WAIT_MS })
  await expect.poll(() => card.filter({ hasText: 'Overdue' }).count(), { timeout: WAIT_MS }).toBe(0)
  expect(await card.locator('[data-overdue="true"]').count()).toBe(0)
  await context.close()
})
