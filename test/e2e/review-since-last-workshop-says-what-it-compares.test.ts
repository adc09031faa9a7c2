/**
 * "What changed since the last workshop" in the review (QA pass of 2026-12-06, docs/accounts.md
 * [K6]): the items gone since then are listed under "Removed since the last workshop" (it said
 * "since the previous snapshot"); the comparison is with the earlier workshop's snapshot taken
 * before the one viewed, not one saved there afterwards; and where the account has no earlier
 * workshop with a snapshot the page says so plainly, not as a failure.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action } from '../helpers/planBoards.ts'
import { takeSnapshot } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('names the last workshop in its marks, compares with what came before, and says when there is nothing to compare', async () => {
  const q1 = await e2e.server.createWorkshop({ account: 'Harbor Co', title: 'Q1 planning' })
  const q1Actions = await openBoard(e2e.server, q1.id, 'actions', 'Ada')
  await q1Actions.write([action('shape:a-depot', { x: 100, y: 100 }, { title: 'Survey the old depot', owner: 'Ada' })])
  await takeSnapshot(e2e.server, q1.id, 'Q1 close')
  const q2 = await e2e.server.createWorkshop({ account: 'Harbor Co', title: 'Q2 review' })
  await takeSnapshot(e2e.server, q2.id, 'Q2 start')
  // Saved in Q1 after Q2's snapshot: not what Q2 start is compared with.
  await q1Actions.write([action('shape:a-later', { x: 500, y: 100 }, { title: 'Written after Q2 began', owner: 'Ada' })])
  await takeSnapshot(e2e.server, q1.id, 'Q1 saved later')
  q1Actions.destroy()

  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${q2.id}/snapshots`, ['Fiona Facilitator'])
  if (!person) throw new Error('openPeople returned no person')
  const { page } = person
  await page.getByRole('button', { name: 'What changed since the last workshop' }).click()
  await page.locator('.change-summary', { hasText: 'Changes since the last workshop, Q1 planning' }).waitFor({ timeout: WAIT_MS })
  await page.getByRole('tab', { name: /Action plan/ }).click()
  const removed = page.locator('.removed-list')
  await removed.getByRole('heading', { name: 'Removed since the last workshop' }).waitFor({ timeout: WAIT_MS })
  expect(await removed.getByRole('listitem').allTextContents()).toEqual(['Survey the old depot'])

  // Q1's snapshots: no earlier workshop of the account has one.
  await page.goto(`${e2e.server.url}/w/${q1.id}/snapshots?token=${q1.tokens.facilitator}`)
  await page.getByRole('button', { name: 'What changed since the last workshop' }).click()
  await page.locator('.change-summary', { hasText: 'No earlier workshop of this account has a snapshot to compare with.' }).waitFor({ timeout: WAIT_MS })
  expect(await page.locator('.change-summary.form-error').count()).toBe(0)
})
