/**
 * When the person followed leaves the board (for a board the follower may not see here; a reload
 * or closing the page alike), the follower's view stays where the leader had taken it, in Chromium
 * (QA q35a, finding 4: tldraw's stored camera is the one from when its following locked, and the
 * customer's view jumped back to the board's first framing).
 */
import { expect, it } from 'vitest'
import { canvasPoint, sidePanel, waitForFollowing, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const joint = setUpGuestAndTeamOnBoard('actions')

it('keeps the guest’s view where the team member took it when they open an internal board', async () => {
  const { guest, team } = joint
  for (const page of [guest, team]) {
    const spot = await canvasPoint(page, 0.5, 0.5)
    await page.mouse.move(spot.x, spot.y)
  }
  await sidePanel(guest).getByRole('button', { name: 'Follow Tina Team' }).click()
  await waitForFollowing(guest)
  await exposeEditor(team)
  await exposeEditor(guest)
  // Once tldraw has caught up with the leader's view and locked onto it (its `_isLockedOnFollowingUser`).
  await guest.waitForFunction(() => (window.testEditor as unknown as { _isLockedOnFollowingUser: { get(): boolean } })._isLockedOnFollowingUser.get(), undefined, { timeout: WAIT_MS })
  const before = await guest.evaluate(() => window.testEditor.getViewportPageBounds().center.toJson())

  // Tina takes the view elsewhere, zoomed in; the guest's view comes along.
  await team.evaluate(() => {
    window.testEditor.setCamera({ x: 800, y: 600, z: 1.5 })
  })
  const target = await team.evaluate(() => window.testEditor.getViewportPageBounds().center.toJson())
  await guest.waitForFunction(
    (t) => {
      const centre = window.testEditor.getViewportPageBounds().center
      return Math.abs(centre.x - t.x) < 5 && Math.abs(centre.y - t.y) < 5
    },
    target,
    { timeout: WAIT_MS },
  )
  const followed = await guest.evaluate(() => window.testEditor.getViewportPageBounds().center.toJson())
  expect(Math.hypot(followed.x - before.x, followed.y - before.y)).toBeGreaterThan(500)

  await team.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'SWOT' }).click()
  await sidePanel(guest).getByText(/is on a board you cannot see/).waitFor({ timeout: WAIT_MS })
  await guest.waitForFunction(() => window.testEditor.getInstanceState().followingUserId === null, undefined, { timeout: WAIT_MS })
  // Frames for anything the end of the following does to the camera.
  await guest.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(resolve)), 100)))
  const after = await guest.evaluate(() => window.testEditor.getViewportPageBounds().center.toJson())
  expect(Math.abs(after.x - followed.x)).toBeLessThan(5)
  expect(Math.abs(after.y - followed.y)).toBeLessThan(5)
})
