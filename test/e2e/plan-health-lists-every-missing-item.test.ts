/**
 * QA pass q27c: the live plan health panel listed the first 8 missing items and ended with
 * "… and 2 more" as plain text: those items (whitespace gaps here) could not be reached until
 * others were fixed. In real Chromium: "Show n more" lists them all, each a link; "Show fewer"
 * folds the list again. "Show n more" takes the keyboard to the first item it shows.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()

it('the health panel shows every missing item on request', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  // Two actions without a due date or an objective: with the empty boards' gaps, more than 8 items.
  const board = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await board.write([action('shape:a1', { x: 40, y: 140 }, { title: 'Send the proposal' }), action('shape:a2', { x: 40, y: 300 }, { title: 'Book the site visit' })])
  board.destroy()
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  await waitForBoard(tom.page)
  const list = tom.page.getByRole('list', { name: 'Missing from the plan' })
  const more = list.getByRole('button', { name: /^Show \d+ more$/ })
  await more.waitFor({ timeout: WAIT_MS })
  expect(await list.getByRole('link').count()).toBe(8)
  const hidden = Number(/\d+/.exec((await more.textContent()) ?? '')?.[0])
  await more.click()
  await expect.poll(() => list.getByRole('link').count(), { timeout: WAIT_MS }).toBe(8 + hidden)
  // The keyboard is on the first item shown (it stayed on the button, below them all).
  const ninth = await list.getByRole('link').nth(8).textContent()
  await expect.poll(() => tom.page.evaluate(() => document.activeElement?.textContent ?? ''), { timeout: WAIT_MS }).toBe(ninth)
  await list.getByRole('button', { name: 'Show fewer' }).click()
  expect(await list.getByRole('link').count()).toBe(8)
  await tom.context.close()
})

it('a missing item’s link to a card on another board puts the focus in the card’s fields (QA q36c: it fell to the page)', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await board.write([action('shape:a1', { x: 40, y: 140 }, { title: 'Send the proposal' })])
  board.destroy()
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  await waitForBoard(tom.page)
  const list = tom.page.getByRole('list', { name: 'Missing from the plan' })
  await list.getByRole('link', { name: /Send the proposal/ }).first().click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/actions'), { timeout: WAIT_MS })
  const title = tom.page.getByRole('complementary', { name: 'Board details' }).getByLabel('Title', { exact: true })
  await expect.poll(() => title.evaluate((element) => element === document.activeElement), { timeout: WAIT_MS }).toBe(true)
  await tom.context.close()
})
