/**
 * A follower who is typing when the leader opens another board is not carried off mid-word, in
 * Chromium (QA q35a, finding 1: the rest of the word was lost and its letters ran the new board's
 * tool shortcuts). The page holds the move while they type and says so in the participant list;
 * once they pause it follows, and a notice on the new board takes the keys that would have gone
 * to its canvas. Everything typed is in the note.
 */
import { expect, it } from 'vitest'
import { canvasPoint, sidePanel, waitForFollowing, waitForTextEditing, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { takeSnapshot } from '../helpers/startServer.ts'

const two = setUpTwoPeopleOnBoard('swot')

it('holds the move to the leader’s board while the follower types, and follows once they pause', async () => {
  const { alice, bob, server, workshop } = two
  for (const { page } of [alice, bob]) {
    const spot = await canvasPoint(page, 0.5, 0.5)
    await page.mouse.move(spot.x, spot.y)
  }
  await sidePanel(bob.page).getByRole('button', { name: 'Follow Alice Archer' }).click()
  await waitForFollowing(bob.page)

  // Bob writes a sticky note with the keyboard's note tool.
  const spot = await canvasPoint(bob.page, 0.35, 0.6)
  await bob.page.mouse.click(spot.x, spot.y)
  await bob.page.keyboard.press('Escape')
  await bob.page.keyboard.press('n')
  await bob.page.mouse.click(spot.x, spot.y)
  await waitForTextEditing(bob.page)
  let typed = 'Legal review takes'
  await bob.page.keyboard.type(typed)

  // Alice opens another board while Bob goes on typing, a key every 50 ms (well within the pause),
  // paced by Playwright on its own, not by round trips to the page.
  await alice.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Stakeholder map' }).click()
  const held = sidePanel(bob.page).getByText('Alice Archer went to Stakeholder map: you follow them there once you stop typing.')
  const more = 'x'.repeat(120)
  const typing = bob.page.keyboard.type(more, { delay: 50 })
  const seen = held.waitFor({ timeout: WAIT_MS }).then(
    () => true,
    () => false,
  )
  await typing
  typed += more
  if (!(await seen)) {
    const panel = (await sidePanel(bob.page).innerText().catch(() => '')).replace(/\s+/g, ' ').slice(-300)
    throw new Error(`the page never said it holds the move while Bob types: at ${new URL(bob.page.url()).pathname}, side panel ends "${panel}"`)
  }
  expect(new URL(bob.page.url()).pathname).toMatch(/\/swot$/)
  await bob.page.keyboard.type(' six weeks')
  typed += ' six weeks'

  // Once he pauses, he follows; the keys he types next go to a notice, not the canvas's tools.
  await bob.page.waitForURL((url) => url.pathname.endsWith('/stakeholders'), { timeout: WAIT_MS })
  await bob.page.getByRole('alert').filter({ hasText: 'You followed Alice Archer to Stakeholder map.' }).waitFor({ timeout: WAIT_MS })

  const plan = await takeSnapshot(server, workshop.id)
  const notes = Object.values(plan.swot).flatMap((items) => items.map((item) => item.text))
  expect(notes).toContain(typed)
})
