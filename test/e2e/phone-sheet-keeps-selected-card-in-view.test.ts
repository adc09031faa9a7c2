/**
 * QA q27b on a 390×844 phone: the side panel is a sheet over the lower part of the board, and the
 * card whose fields it showed was often under it, so one typed into a card one could not see. Now
 * opening the sheet with a card selected, and selecting a card while it is open, bring the card
 * into the part of the board above the sheet.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import type { TLShapeId } from 'tldraw'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { stakeholder } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
const phone = { width: 390, height: 844 }

/** Whether the card is wholly on screen above the sheet's top edge. */
async function aboveSheet(page: Page, id: string): Promise<boolean> {
  const card = await page.locator(`.tl-shape[data-shape-id="${id}"]`).boundingBox()
  const sheet = await page.getByRole('complementary', { name: 'Board details' }).boundingBox()
  const canvas = await page.locator('.tl-canvas').boundingBox()
  if (!card || !sheet || !canvas) return false
  return card.y >= canvas.y && card.y + card.height <= sheet.y
}

it('keeps the selected card above the side panel sheet on a phone', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  await board.write([
    stakeholder('shape:top', { x: 0, y: 0 }, { name: 'Tara Top' }),
    stakeholder('shape:low', { x: 0, y: 1400 }, { name: 'Lou Low' }),
  ])
  board.destroy()
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.team}`, ['Tom Phone'], phone)
  if (!tom) throw new Error('openPeople returned nobody')
  const page = tom.page
  await waitForBoard(page)
  await exposeEditor(page)
  await page.locator('.tl-shape[data-shape-id="shape:low"]').waitFor({ timeout: WAIT_MS })

  // The whole board is framed: the low card sits in the lower part of the screen.
  await page.evaluate(() => {
    window.testEditor.select('shape:low' as TLShapeId)
  })
  await page.getByRole('button', { name: 'Show details panel' }).click()
  await page.getByRole('complementary', { name: 'Board details' }).getByLabel('Name', { exact: true }).waitFor({ timeout: WAIT_MS })
  await expect.poll(() => aboveSheet(page, 'shape:low'), { timeout: WAIT_MS }).toBe(true)

  // With the sheet open, choosing the other card brings it into view above the sheet too.
  await page.evaluate(() => {
    window.testEditor.select('shape:top' as TLShapeId)
  })
  await expect.poll(() => aboveSheet(page, 'shape:top'), { timeout: WAIT_MS }).toBe(true)
  await tom.context.close()
})
