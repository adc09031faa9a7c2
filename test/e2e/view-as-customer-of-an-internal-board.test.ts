/**
 * QA q28e: "View as customer" on a board the customer does not get at all (the SWOT, internal by
 * default) showed the whole board, notes and all, as if the customer saw it. It now says the
 * customer does not see this board and shows nothing of it; on a customer-facing board it shows
 * the board as a guest's page has it.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'

const e2e = setUpBrowserTest()

it('"View as customer" of an internal board says the customer does not see it, and shows none of it', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  await board.write([noteIn('strengths', 'shape:secret', 'Our secret strength')])
  board.destroy()
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!fran) throw new Error('no page')
  await waitForBoard(fran.page)
  await shapeWithText(fran.page, 'note', 'Our secret strength').waitFor({ timeout: WAIT_MS })
  await fran.page.getByRole('button', { name: 'View as customer' }).click()
  await fran.page.getByRole('heading', { name: 'The customer does not see this board' }).waitFor({ timeout: WAIT_MS })
  expect(await fran.page.getByText('Our secret strength').count()).toBe(0)
  await fran.page.getByRole('button', { name: 'Back to the team view' }).click()
  await shapeWithText(fran.page, 'note', 'Our secret strength').waitFor({ timeout: WAIT_MS })

  // On the action plan, customer-facing by default, the preview is the board.
  await fran.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
  await waitForBoard(fran.page)
  await fran.page.getByRole('button', { name: 'View as customer' }).click()
  await fran.page.locator('.tl-canvas').waitFor({ timeout: WAIT_MS })
  expect(await fran.page.getByRole('heading', { name: 'The customer does not see this board' }).count()).toBe(0)
  await fran.context.close()
})
