/**
 * The facilitator's New vote form in Chromium (QA pass of 2026-12-06): the votes per person field
 * takes what is typed (emptied and typed 5, it said 15: an empty field became 1 at once), the form
 * says when no kind of item is ticked rather than doing nothing, and it can be left (Cancel, Esc)
 * with the focus back on New Vote…, which puts the focus on the question when it opens; Start Vote,
 * Reveal votes and Close vote pass the focus on to what comes next. The
 * panel counts votes with the right plural, and says internal items are not voted on (the server
 * refused them with no reason).
 */
import { expect, it } from 'vitest'
import { addNoteWithKeyboard, openPeople, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

const e2e = setUpBrowserTest()

it('keeps the typed votes per person, names a missing kind of item, closes on Cancel and Esc with the focus back', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  await onlyCustomerFacing(e2e.server, workshop, 'swot') // where items can be marked internal
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fiona Facilitator'])
  if (!person) throw new Error('openPeople returned no person')
  const { page } = person
  await waitForBoard(page)
  const panel = sidePanel(page)
  const newVote = panel.getByRole('button', { name: 'New Vote…' })
  const question = panel.getByLabel('Question')
  const focused = (locator: typeof question) => locator.evaluate((element) => element === document.activeElement)

  // Opened from the keyboard: the focus is on the question. Esc closes, the focus back on New Vote….
  await newVote.focus()
  await page.keyboard.press('Enter')
  await question.waitFor({ timeout: WAIT_MS })
  expect(await focused(question)).toBe(true)
  await page.keyboard.press('Escape')
  await question.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await focused(newVote)).toBe(true)

  // Cancel does the same.
  await newVote.click()
  await panel.getByRole('button', { name: 'Cancel' }).click()
  await question.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await focused(newVote)).toBe(true)

  // Emptied and typed again, the count is what was typed.
  await newVote.click()
  await question.fill('Which threats matter most?')
  const count = panel.getByLabel('Votes per person')
  await count.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.press('Backspace')
  await page.keyboard.type('5')
  expect(await count.inputValue()).toBe('5')

  // No kind of item ticked: Start Vote says so, and starts nothing.
  for (const box of await panel.getByRole('group', { name: 'Items to vote on' }).getByRole('checkbox').all()) await box.uncheck()
  await panel.getByRole('button', { name: 'Start Vote' }).click()
  await panel.getByRole('alert').filter({ hasText: 'Tick at least one kind of item to vote on.' }).waitFor({ timeout: WAIT_MS })
  expect(await panel.getByText('Which threats matter most?', { exact: true }).count()).toBe(0)

  await panel.getByRole('checkbox', { name: 'Notes' }).check()
  expect(await panel.getByRole('alert').filter({ hasText: 'Tick at least one' }).count()).toBe(0)
  await panel.getByRole('button', { name: 'Start Vote' }).click()
  await panel.getByText('Which threats matter most?', { exact: true }).waitFor({ timeout: WAIT_MS })
  await panel.getByText('5 of 5 votes left').waitFor({ timeout: WAIT_MS })
  // The pressed button goes away: the focus goes on to what comes next, not to the page.
  const closeVote = panel.getByRole('button', { name: 'Close vote' })
  await waitUntil(() => focused(closeVote), 'the focus on Close vote once the vote has started')
  await closeVote.click()
  await newVote.waitFor({ timeout: WAIT_MS })
  await waitUntil(() => focused(newVote), 'the focus on New Vote… once the vote is closed')

  // One vote each: "vote", not "votes".
  await newVote.click()
  await question.fill('Which one first?')
  await count.fill('1')
  await panel.getByRole('button', { name: 'Start Vote' }).click()
  await panel.getByText('1 of 1 vote left').waitFor({ timeout: WAIT_MS })
  await panel.getByRole('button', { name: 'Reveal votes' }).click()
  await panel.getByRole('button', { name: 'Reveal votes' }).waitFor({ state: 'detached', timeout: WAIT_MS })
  await waitUntil(() => focused(closeVote), 'the focus on Close vote once the votes are revealed')

  // An internal note is not offered for the vote, and the panel says why.
  await addNoteWithKeyboard(page, 0.3, 0.3, 'Margin squeeze') // and leaves it selected
  const voteForIt = panel.getByRole('button', { name: 'Vote for this item' })
  await voteForIt.waitFor({ timeout: WAIT_MS })
  await page.keyboard.press('Alt+i')
  await panel.getByText('Internal items are not voted on: a vote and its results can reach the customer.').waitFor({ timeout: WAIT_MS })
  expect(await voteForIt.count()).toBe(0)
})
