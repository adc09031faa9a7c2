/**
 * A person who opens another board than the one they follow someone on stays there and no longer
 * follows, in Chromium (QA pass of 2026-12-06): the page took them back to the leader's board, at
 * once, or (after stopping on the canvas first, tldraw's own stop or panning away) because the
 * board was chosen within the moment the page waits after tldraw's following ends, to tell this
 * person's stop from the leader leaving for another board.
 */
import { expect, it } from 'vitest'
import { canvasPoint, sidePanel, waitForFollowing, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('swot')

it('stays on a board opened while following, or right after stopping on the canvas, and no longer follows', async () => {
  const { alice, bob } = two
  // Both pointers on the board: the leader's cursor presence is what tldraw follows.
  for (const { page } of [alice, bob]) {
    const spot = await canvasPoint(page, 0.5, 0.5)
    await page.mouse.move(spot.x, spot.y)
  }
  await sidePanel(bob.page).getByRole('button', { name: 'Follow Alice Archer' }).click()
  await waitForFollowing(bob.page)

  const boards = bob.page.getByRole('navigation', { name: 'Boards' })
  // Tab to another board while following.
  await boards.getByRole('link', { name: 'Objectives & KPIs' }).click()
  await sidePanel(bob.page).getByRole('button', { name: 'Follow Alice Archer' }).waitFor({ timeout: WAIT_MS })
  expect(new URL(bob.page.url()).pathname).toMatch(/\/objectives$/)

  // Back on A's board, following again: stop on the canvas, and at once open another board.
  await boards.getByRole('link', { name: 'SWOT' }).click()
  const spot = await canvasPoint(bob.page, 0.5, 0.5)
  await bob.page.mouse.move(spot.x, spot.y)
  await sidePanel(bob.page).getByRole('button', { name: 'Follow Alice Archer' }).click()
  await waitForFollowing(bob.page)
  await exposeEditor(bob.page)
  await bob.page.evaluate(() => {
    window.testEditor.stopFollowingUser()
  })
  await boards.getByRole('link', { name: 'Action plan' }).click()
  await sidePanel(bob.page).getByRole('button', { name: 'Follow Alice Archer' }).waitFor({ timeout: WAIT_MS })
  expect(new URL(bob.page.url()).pathname).toMatch(/\/actions$/)
  expect(await sidePanel(bob.page).getByRole('button', { name: 'Stop following' }).count()).toBe(0)
})
