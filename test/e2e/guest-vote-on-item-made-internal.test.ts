/**
 * QA pass q26a (twenty-sixth session): a guest who voted for a note the team then made internal was
 * told the vote was "on an item deleted since", though nobody deleted it. A guest's page cannot
 * tell a delete from the team making an item internal: it says the item is no longer on the board,
 * and still offers to take the vote back.
 */
import { it } from 'vitest'
import { addNoteWithKeyboard, clickShape, pressOnNote, shapeWithText, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'

const e2e = setUpGuestAndTeamOnBoard('swot')

it("tells a guest whose voted note was made internal that it is no longer on the board, not that it was deleted", async () => {
  const { guest, team } = e2e
  await addNoteWithKeyboard(team, 0.3, 0.3, 'Pilot in Lyon')
  const panel = sidePanel(team)
  await panel.getByRole('button', { name: 'New Vote…' }).click()
  await panel.getByLabel('Question').fill('Which idea first?')
  await panel.getByLabel('Votes per person').fill('1')
  await panel.getByRole('button', { name: 'Start Vote' }).click()

  const guestPanel = sidePanel(guest)
  await clickShape(guest, shapeWithText(guest, 'note', 'Pilot in Lyon'))
  await guestPanel.getByRole('button', { name: 'Vote for this item' }).click()
  await guestPanel.getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })

  await pressOnNote(team, 'Pilot in Lyon', 'Alt+i')
  await shapeWithText(guest, 'note', 'Pilot in Lyon').waitFor({ state: 'detached', timeout: WAIT_MS })
  await guestPanel.getByText('1 of your votes is on an item no longer on this board.').waitFor({ timeout: WAIT_MS })
  await guestPanel.getByRole('button', { name: 'Take back' }).click()
  await guestPanel.getByText('1 of 1 vote left').waitFor({ timeout: WAIT_MS })
})
