/**
 * QA pass q29c: on the SWOT (and the objectives board and the action plan) every item sits inside
 * one of the facilitator's frames, so a team member or a guest at the keyboard could select
 * nothing: Enter on the canvas selected nothing and Tab left it. Enter now selects the board's
 * first item in reading order, and Tab / Shift+Tab step through the items whatever frame holds them.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { note } from '../helpers/planBoards.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

/** A new workshop whose SWOT holds `notes`, open for Tom (team) at 1400×900 with the canvas focused. */
async function swotWithNotes(notes: Parameters<Awaited<ReturnType<typeof openBoard>>['write']>[0]) {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'swot', 'Seeder')
  await board.write(notes)
  board.destroy()
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  await exposeEditor(page)
  // The template's frames and the notes.
  await expect.poll(() => page.evaluate(() => window.testEditor.getCurrentPageShapeIds().size), { timeout: WAIT_MS }).toBeGreaterThanOrEqual(4 + notes.length)
  await page.locator('.tl-container').focus()
  return { page, context }
}

it('a team member selects the notes inside the quadrants with Enter, Tab and Shift+Tab', async () => {
  const { page, context } = await swotWithNotes([
    note('shape:strength', { x: 100, y: 100, parentId: 'shape:swot-strengths' }, 'Strong brand'),
    note('shape:weakness', { x: 100, y: 100, parentId: 'shape:swot-weaknesses' }, 'Slow support'),
    note('shape:threat', { x: 100, y: 100, parentId: 'shape:swot-threats' }, 'New competitor'),
  ])
  const selected = () => page.evaluate(() => window.testEditor.getSelectedShapeIds())
  await page.keyboard.press('Enter')
  expect(await selected()).toEqual(['shape:strength'])
  await page.keyboard.press('Tab')
  expect(await selected()).toEqual(['shape:weakness'])
  await page.keyboard.press('Tab')
  expect(await selected()).toEqual(['shape:threat'])
  await page.keyboard.press('Shift+Tab')
  expect(await selected()).toEqual(['shape:weakness'])
  await context.close()
})

it('steps one item at a time through notes that share a quadrant (QA q36c: tldraw stepped again on the key’s release)', async () => {
  const { page, context } = await swotWithNotes([
    note('shape:s1', { x: 40, y: 80, parentId: 'shape:swot-strengths' }, 'Strong brand'),
    note('shape:s2', { x: 300, y: 80, parentId: 'shape:swot-strengths' }, 'Loyal users'),
    note('shape:s3', { x: 40, y: 320, parentId: 'shape:swot-strengths' }, 'Fast delivery'),
    note('shape:s4', { x: 300, y: 320, parentId: 'shape:swot-strengths' }, 'Good margins'),
  ])
  const selected = async () => (await page.evaluate(() => window.testEditor.getSelectedShapeIds()))[0]
  await page.keyboard.press('Enter')
  const reached = [await selected()]
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab')
    reached.push(await selected())
  }
  expect(reached).toEqual(['shape:s1', 'shape:s2', 'shape:s3', 'shape:s4', 'shape:s1'])
  await page.keyboard.press('Shift+Tab')
  expect(await selected()).toBe('shape:s4')
  await context.close()
})
