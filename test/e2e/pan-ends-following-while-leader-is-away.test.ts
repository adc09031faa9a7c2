/**
 * Panning or zooming ends following wherever the leader is, in Chromium (QA q35a, finding 2): a
 * customer guest follows a team member, who opens a board the guest may not see; the guest pans
 * her own board. That ends the following (the participant list offers "Follow" again), and when
 * the team member comes back to her board, her view stays her own. Before, the pan ended nothing
 * while the leader was away, and her view was taken over on their return.
 */
import { expect, it } from 'vitest'
import { canvasPoint, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const joint = setUpGuestAndTeamOnBoard('actions')

it('ends the following on a pan while the leader is on a board the guest may not see', async () => {
  const { guest, team } = joint
  for (const page of [guest, team]) {
    const spot = await canvasPoint(page, 0.5, 0.5)
    await page.mouse.move(spot.x, spot.y)
  }
  await sidePanel(guest).getByRole('button', { name: 'Follow Tina Team' }).click()
  await sidePanel(guest).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })

  await team.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'SWOT' }).click()
  await sidePanel(guest).getByText(/is on a board you cannot see/).waitFor({ timeout: WAIT_MS })

  const spot = await canvasPoint(guest, 0.5, 0.5)
  await guest.mouse.move(spot.x, spot.y)
  await guest.mouse.wheel(0, 400)
  await sidePanel(guest).getByRole('button', { name: 'Follow Tina Team' }).waitFor({ timeout: WAIT_MS })

  // Tina comes back: the guest's canvas sees her and does not follow her.
  await exposeEditor(guest)
  const camera = await guest.evaluate(() => window.testEditor.getCamera())
  await team.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
  await guest.waitForFunction(() => window.testEditor.getCollaborators().some((c) => c.userName === 'Tina Team'), undefined, { timeout: WAIT_MS })
  const spotTina = await canvasPoint(team, 0.6, 0.6)
  await team.mouse.move(spotTina.x, spotTina.y)
  await sidePanel(guest).getByRole('listitem').filter({ hasText: 'Tina Team' }).getByText(/Action plan/).waitFor({ timeout: WAIT_MS })
  expect(await guest.evaluate(() => window.testEditor.getInstanceState().followingUserId)).toBeNull()
  expect(await guest.evaluate(() => window.testEditor.getCamera())).toEqual(camera)
  expect(await sidePanel(guest).getByRole('button', { name: 'Stop following' }).count()).toBe(0)
})
