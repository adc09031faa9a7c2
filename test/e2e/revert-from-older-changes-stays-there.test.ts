/**
 * QA q28b: reverting a change listed under "Older changes" folded the list back to its first 20
 * entries, said the result at the top (out of view) and left the keyboard nowhere. The list keeps
 * what was shown, the result is said under the change reverted, and the focus stays on its button.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { ChangeListSchema } from '../../shared/historyApi.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('a revert from the older changes keeps the list as it was and says the result beside the change', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  // 25 changes, each its own: reading the history closes the one open, once it holds the write.
  const newest = async () => ChangeListSchema.parse(await (await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/boards/swot/changes?limit=1`)).json()).changes[0]
  for (let i = 0; i < 25; i++) {
    await board.write([noteIn('strengths', `shape:n${i}`, `Note ${i}`)])
    await waitUntil(async () => (await newest())?.records.some((record) => record.id === `shape:n${i}`) === true, `note ${i} in the history`)
  }
  board.destroy()
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!fran) throw new Error('no page')
  await waitForBoard(fran.page)
  await fran.page.getByRole('button', { name: 'History' }).click()
  const panel = fran.page.getByRole('dialog', { name: 'History of the SWOT board' })
  const entries = panel.locator('.history-change')
  await expect.poll(() => entries.count(), { timeout: WAIT_MS }).toBe(20)
  await panel.getByRole('button', { name: 'Older changes' }).click()
  await expect.poll(() => entries.count(), { timeout: WAIT_MS }).toBe(25)

  // The oldest: "added 1 note 'Note 0'".
  const revert = panel.getByRole('button', { name: "Revert: Ada added 1 note 'Note 0'", exact: true })
  const oldest = entries.filter({ has: fran.page.getByRole('button', { name: "Revert: Ada added 1 note 'Note 0'", exact: true }) })
  await revert.click()
  await oldest.getByRole('status').filter({ hasText: 'Reverted 1 item.' }).waitFor({ timeout: WAIT_MS })
  // The list holds what it held, and the revert on top of it.
  await expect.poll(() => entries.count(), { timeout: WAIT_MS }).toBe(26)
  await oldest.getByRole('status').filter({ hasText: 'Reverted 1 item.' }).waitFor({ timeout: WAIT_MS })
  expect(await revert.evaluate((element) => element === document.activeElement)).toBe(true)
  await fran.context.close()
})
