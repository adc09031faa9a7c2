/**
 * [P17] In the review page, in real Chromium: the notes the team wrote on the stakeholder map beside
 * the cards are listed under the board's section, and a second snapshot marks the one added and the
 * one whose text changed since (QA q36b: such notes were in no view or export).
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import { takeSnapshot } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('lists the notes of the stakeholder map under it, with what changed since the last snapshot', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  try {
    await board.write([stakeholder('shape:cfo', { x: 0, y: 0 }, { name: 'Dana Ortiz' }), note('shape:budget', { x: 400, y: 0 }, 'Budget frozen until Q3')])
    await takeSnapshot(e2e.server, workshop.id, 'Kick-off')
    await board.write([note('shape:budget', { x: 400, y: 0 }, 'Budget released in May'), note('shape:reorg', { x: 400, y: 400 }, 'Reorg announced in June')])
    await takeSnapshot(e2e.server, workshop.id, 'Review')
  } finally {
    board.destroy()
  }
  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots?board=stakeholders`, ['Dana'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  const section = dana.page.getByRole('region', { name: /Notes on the board/ })
  await section.waitFor({ timeout: WAIT_MS })
  const items = section.getByRole('listitem')
  await expect.poll(() => items.count(), { timeout: WAIT_MS }).toBe(2)
  const budget = items.filter({ hasText: 'Budget released in May' })
  expect(await budget.locator('del').textContent()).toBe('Budget frozen until Q3')
  expect(await items.filter({ hasText: 'Reorg announced in June' }).getAttribute('class')).toContain('is-added')
  await dana.context.close()
})
