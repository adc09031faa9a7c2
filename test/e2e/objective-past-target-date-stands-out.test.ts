/**
 * An objective whose target date has passed without being achieved stands out on the board as an
 * overdue action does (found by QA q27c: nothing marked it), on its card ("Past target date", the
 * date in red) and in the side panel, judged by the workshop's date. Achieved, it is not flagged.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { clickShape, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { objective } from '../helpers/planBoards.ts'
import { dateInTimeZone } from '../../shared/timeZone.ts'

const e2e = setUpBrowserTest()
const ZONE = 'Europe/Berlin'

it('flags an objective past its target date and not achieved, on its card and in the side panel', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Borealis Energy', title: 'Q1 planning', timeZone: ZONE })
  const lastWeek = dateInTimeZone(new Date(Date.now() - 7 * 24 * 3600_000), ZONE)
  const nextMonth = dateInTimeZone(new Date(Date.now() + 30 * 24 * 3600_000), ZONE)
  const board = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  await board.write([
    objective('shape:late', { x: 40, y: 140 }, { objective: 'Win the Nordics tender', targetDate: lastWeek, status: 'at_risk' }),
    objective('shape:done', { x: 360, y: 140 }, { objective: 'Sign the data-sharing deal', targetDate: lastWeek, status: 'achieved' }),
    objective('shape:ahead', { x: 680, y: 140 }, { objective: 'Double the pilot sites', targetDate: nextMonth, status: 'on_track' }),
  ])
  board.destroy()

  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/objectives?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  const late = shapeWithText(page, 'objective', 'Win the Nordics tender')
  await late.filter({ hasText: 'Past target date' }).waitFor({ timeout: WAIT_MS })
  expect(await late.locator('[data-overdue="true"]').count()).toBe(1)
  for (const title of ['Sign the data-sharing deal', 'Double the pilot sites']) {
    const card = shapeWithText(page, 'objective', title)
    await card.waitFor({ timeout: WAIT_MS })
    expect(await card.filter({ hasText: 'Past target date' }).count()).toBe(0)
    expect(await card.locator('[data-overdue="true"]').count()).toBe(0)
  }

  await clickShape(page, late)
  const warning = sidePanel(page).getByText('The target date has passed and the objective is not achieved.')
  await warning.waitFor({ timeout: WAIT_MS })
  // Achieved: nothing is late any more, on the card or in the panel.
  await sidePanel(page).getByLabel('Status').selectOption({ label: 'Achieved' })
  await warning.waitFor({ state: 'detached', timeout: WAIT_MS })
  await expect.poll(() => late.filter({ hasText: 'Past target date' }).count(), { timeout: WAIT_MS }).toBe(0)
  await context.close()
})
