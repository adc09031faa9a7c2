/**
 * The arrow keys move a note or card into another SWOT quadrant or status column as a drag does,
 * in Chromium (QA q36c, finding 1: a note nudged from Strengths into Weaknesses left its frame
 * without entering the other, lay under the next frame's fill and was seen by nobody, while the
 * plan read it in Weaknesses; an action card nudged into In progress kept its status "open").
 * Once the last arrow is released, the shape joins the frame its centre is over, for everyone.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { ACTION_COLUMNS, SWOT_FRAMES } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action, note } from '../helpers/planBoards.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

/** Opens `board` for a team member, with the editor exposed, the canvas focused and `id` selected. */
async function openWithSelected(workshop: { id: string; tokens: { team: string } }, board: string, id: string): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/${board}?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  await exposeEditor(page)
  await expect.poll(() => page.evaluate((shapeId) => window.testEditor.getShape(shapeId as never) !== undefined, id), { timeout: WAIT_MS }).toBe(true)
  await page.locator('.tl-container').focus()
  await page.evaluate((shapeId) => {
    window.testEditor.setSelectedShapes([shapeId as never])
  }, id)
  return page
}

/** Presses Shift+→ until the centre of `id` is right of `x` (a bounded number of times). */
async function nudgeRightPast(page: Page, id: string, x: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const centre = await page.evaluate((shapeId) => window.testEditor.getShapePageBounds(shapeId as never)?.center.x ?? 0, id)
    if (centre > x) return
    await page.keyboard.press('Shift+ArrowRight')
  }
  throw new Error('the shape did not move past the line')
}

it('a SWOT note nudged into the next quadrant joins it, on the board the server keeps', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const seeder = await openBoard(e2e.server, workshop.id, 'swot', 'Seeder')
  await seeder.write([note('shape:moved', { x: 700, y: 200, parentId: SWOT_FRAMES.strengths.id }, 'Moved by keys')])
  const page = await openWithSelected(workshop, 'swot', 'shape:moved')
  const weaknesses = SWOT_FRAMES.weaknesses.bounds
  await nudgeRightPast(page, 'shape:moved', weaknesses.x + 20)
  await waitUntil(() => page.evaluate(() => window.testEditor.getShape('shape:moved' as never)?.parentId === 'shape:swot-weaknesses'), 'the note in Weaknesses on the page')
  await waitUntil(async () => seeder.records().get('shape:moved')?.parentId === SWOT_FRAMES.weaknesses.id, 'the note in Weaknesses on the server')
  // Where it was on the board: its page position kept, inside the new frame.
  const bounds = await page.evaluate(() => window.testEditor.getShapePageBounds('shape:moved' as never)?.center.toJson())
  expect(bounds?.x).toBeGreaterThan(weaknesses.x)
  seeder.destroy()
  await page.context().close()
})

it('an action card nudged across the gap into the next column takes its status', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const seeder = await openBoard(e2e.server, workshop.id, 'actions', 'Seeder')
  await seeder.write([action('shape:card', { x: 20, y: 100, parentId: ACTION_COLUMNS.open.id }, { title: 'Send proposal', status: 'open' })])
  const page = await openWithSelected(workshop, 'actions', 'shape:card')
  const inProgress = ACTION_COLUMNS.in_progress.bounds
  await nudgeRightPast(page, 'shape:card', inProgress.x + 20)
  await waitUntil(async () => {
    const card = seeder.records().get('shape:card') as { parentId?: string; props?: { status?: string } } | undefined // a record the server keeps
    return card?.parentId === ACTION_COLUMNS.in_progress.id && card.props?.status === 'in_progress'
  }, 'the card in In progress with its status, on the server')
  seeder.destroy()
  await page.context().close()
})
