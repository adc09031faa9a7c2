/**
 * A vote on an item someone deletes can be taken back, in Chromium (QA pass of 2026-12-06): the
 * voter can no longer select the item, so "Remove my vote" was out of reach and the vote stayed
 * used up ("0 of 1 votes left") for the rest of the vote. The panel now says so and offers
 * "Take back", which frees the vote.
 */
import { expect, it } from 'vitest'
import { addNoteWithKeyboard, clickShape, shapeWithText, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('swot')

it('offers to take back a vote on an item deleted since, and frees it', async () => {
  const { alice, bob } = two
  await addNoteWithKeyboard(alice.page, 0.3, 0.3, 'Pilot in Lyon')
  const panel = sidePanel(alice.page)
  await panel.getByRole('button', { name: 'New Vote…' }).click()
  await panel.getByLabel('Question').fill('Which idea first?')
  await panel.getByLabel('Votes per person').fill('1')
  await panel.getByRole('button', { name: 'Start Vote' }).click()

  const bobPanel = sidePanel(bob.page)
  await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Pilot in Lyon'))
  await bobPanel.getByRole('button', { name: 'Vote for this item' }).click()
  await bobPanel.getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })

  // A deletes the note (it is still selected on A's page after writing it).
  await alice.page.keyboard.press('Delete')
  await shapeWithText(bob.page, 'note', 'Pilot in Lyon').waitFor({ state: 'detached', timeout: WAIT_MS })
  await bobPanel.getByText('1 of your votes is on an item deleted since.').waitFor({ timeout: WAIT_MS })
  await bobPanel.getByRole('button', { name: 'Take back' }).click()
  await bobPanel.getByText('1 of 1 vote left').waitFor({ timeout: WAIT_MS })
  expect(await bobPanel.getByRole('button', { name: 'Take back' }).count()).toBe(0)
})
