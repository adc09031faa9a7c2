/**
 * QA q30b in Chromium: a guest typing into a card's Title as the facilitator unshared the board
 * lost the rest of her keystrokes: the side panel went with the board, and the team kept a
 * half-typed title. Now the page shows what she had typed in a box under "no longer available",
 * with the focus in it, so the keys she types next land there, to copy.
 */
import { expect, it } from 'vitest'
import { sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { putAsFacilitator } from '../helpers/startServer.ts'

const e2e = setUpGuestAndTeamOnBoard('actions')

it('keeps what the guest types as the board is unshared, in a box that takes the next keys (QA q30b)', async () => {
  const { guest } = e2e
  await guest.getByRole('button', { name: 'Add action' }).click()
  const title = sidePanel(guest).getByLabel('Title')
  await title.fill('Pilot with Ops')
  await title.press('End')
  await guest.keyboard.type(' - keep g', { delay: 20 })
  await putAsFacilitator(e2e.server, e2e.workshop, 'settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false } })
  await guest.getByText('This board is no longer available to guests').waitFor({ timeout: WAIT_MS })
  const box = guest.getByLabel('Your text for Title on ‘Pilot with Ops - keep g’, to go on typing and copy')
  await box.waitFor({ timeout: WAIT_MS })
  await expect.poll(() => box.evaluate((element) => element === document.activeElement), { timeout: WAIT_MS }).toBe(true)
  await guest.keyboard.type('oing with the draw')
  expect(await box.inputValue()).toBe('Pilot with Ops - keep going with the draw')
})
