/**
 * The Snapshots page stays in the room, in Chromium (QA q35a, finding 6): a follower whose leader
 * opened the Snapshots page read "… has left the workshop" and stopped following for good after a
 * few seconds. Now the leader is "not on a board", the following holds, and the follower goes
 * along when the leader opens a board again. A person reading snapshots is offered, not forced,
 * the facilitator's "Bring everyone here" and presentation.
 */
import { expect, it } from 'vitest'
import { LEADER_GONE_MS } from '../../client/control/useFollow.ts'
import { sidePanel, waitForFollowing, WAIT_MS } from '../helpers/browser.ts'
import { setUpFacilitatorAndColleague } from '../helpers/browserTest.ts'

const e2e = setUpFacilitatorAndColleague()

const boardLink = (page: import('playwright-core').Page, title: string) => page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: title })

it('keeps following a leader who reads the snapshots, and offers a summons on the Snapshots page', async () => {
  const { fran, tom } = e2e
  await sidePanel(tom.page).getByRole('button', { name: 'Follow Fran Facilitator' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })

  await fran.page.getByRole('link', { name: 'Snapshots' }).click()
  await fran.page.waitForURL((url) => url.pathname.endsWith('/snapshots'), { timeout: WAIT_MS })
  const notice = sidePanel(tom.page).locator('.follow-notice')
  await notice.filter({ hasText: 'Fran Facilitator is not on a board right now.' }).waitFor({ timeout: WAIT_MS })
  // Longer than someone who left is waited for: she has not left.
  await tom.page.waitForTimeout(LEADER_GONE_MS + 1500)
  expect(await notice.textContent()).toContain('is not on a board right now')

  // She opens the action plan from the Snapshots page: Tom goes along.
  await boardLink(fran.page, 'Action plan').click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/actions'), { timeout: WAIT_MS })
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).click()

  // Tom reads the snapshots; Fran brings everyone to the SWOT: he is asked, not moved.
  await tom.page.getByRole('link', { name: 'Snapshots' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/snapshots'), { timeout: WAIT_MS })
  await boardLink(fran.page, 'SWOT').click()
  await fran.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  // Tom's Snapshots page is in the room: Fran's list shows him, not on a board.
  await sidePanel(fran.page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: 'Tom Team' }).filter({ hasText: 'not on a board' }).waitFor({ timeout: WAIT_MS })
  await sidePanel(fran.page).getByRole('button', { name: /Bring everyone/ }).click()
  const call = tom.page.locator('.room-call')
  await call.filter({ hasText: 'Fran Facilitator brought everyone to SWOT.' }).waitFor({ timeout: WAIT_MS })
  expect(new URL(tom.page.url()).pathname).toMatch(/\/snapshots$/)
  await call.getByRole('link', { name: 'Go to SWOT' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })

  // Back on the Snapshots page when Fran presents: he is offered to join, and follows once he does.
  await tom.page.getByRole('link', { name: 'Snapshots' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/snapshots'), { timeout: WAIT_MS })
  await sidePanel(fran.page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: 'Tom Team' }).filter({ hasText: 'not on a board' }).waitFor({ timeout: WAIT_MS })
  await fran.page.getByRole('button', { name: 'Present' }).click()
  await call.filter({ hasText: 'Fran Facilitator is presenting SWOT.' }).waitFor({ timeout: WAIT_MS })
  expect(new URL(tom.page.url()).pathname).toMatch(/\/snapshots$/)
  await call.getByRole('link', { name: 'Join the presentation' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  await waitForFollowing(tom.page)
  // The presentation over, the offer is gone from a Snapshots page.
  await fran.page.keyboard.press('Escape')
  await tom.page.getByRole('link', { name: 'Snapshots' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/snapshots'), { timeout: WAIT_MS })
  await sidePanel(fran.page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: 'Tom Team' }).filter({ hasText: 'not on a board' }).waitFor({ timeout: WAIT_MS })
  expect(await call.count()).toBe(0)
})
