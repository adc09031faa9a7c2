/**
 * QA q32a: a teammate whose cursor was still in a side-panel field they had typed into seconds
 * before undid a restore or a revert of that field: their page took the new value for a peer's
 * write racing theirs and wrote their text back, 40 ms later, as their own edit; the restore had
 * answered that it restored everything. A value written well after the person's last key now
 * stands, and their hold of the field ends.
 */
import { expect, it } from 'vitest'
import type { ActionCardShape } from '../../shared/shapes.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()

it('keeps a value written while the person holding the field had paused, and shows it to them', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'actions')
  const alpha = action('shape:alpha', { x: 20, y: 40, parentId: ACTION_COLUMNS.open.id }, { title: 'Alpha', owner: 'Ann' })
  await board.write([alpha])
  const stored = () => {
    const record = board.records().get('shape:alpha')
    return record ? (record['props'] as unknown as ActionCardShape['props']) : null // an action record
  }
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  const { page } = tom
  await waitForBoard(page)

  // Tom adds to the Owner and leaves the cursor in the field while he talks.
  await clickShape(page, shapeWithText(page, 'action', 'Alpha'))
  const owner = sidePanel(page).getByLabel(/^Owner/)
  await owner.click()
  await page.keyboard.press('End')
  await page.keyboard.type(' Bee')
  await expect.poll(() => stored()?.owner, { timeout: WAIT_MS }).toBe('Ann Bee')
  await page.waitForTimeout(3_500)

  // The Owner is set back (as a restore or a revert writes it).
  await board.write([alpha])
  await expect.poll(() => owner.inputValue(), { timeout: WAIT_MS }).toBe('Ann')
  // Once a later edit of Tom's page arrived (one socket, in order), any write-back would have too.
  const title = sidePanel(page).getByLabel(/^Title/)
  await title.click()
  await page.keyboard.press('End')
  await page.keyboard.type(' call')
  await expect.poll(() => stored()?.title, { timeout: WAIT_MS }).toBe('Alpha call')
  expect(stored()?.owner).toBe('Ann')
  board.destroy()
})
