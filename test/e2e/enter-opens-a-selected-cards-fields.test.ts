/**
 * QA pass q29c: a keyboard user could reach a card on the canvas (it was selected and announced,
 * its fields shown in the side panel) but not its fields: Enter, Tab and F2 did nothing useful,
 * so a card already on the board could not be edited, nor a note voted on, without a pointer.
 * Enter on a selected card now moves the focus into its first field; Shift+Enter on a selected
 * note into its panel's first button ("Vote for this item"); Esc goes back to the canvas.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { addNoteWithKeyboard, clickShape, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it('Enter on a selected card edits its first field; Shift+Enter on a note reaches its vote button', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Weber', jobTitle: 'CFO' })])
  board.destroy()
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.facilitator}&name=Fiona`)
  await waitForBoard(page)
  await exposeEditor(page)
  await clickShape(page, shapeWithText(page, 'stakeholder', 'Anna Weber'))
  await page.keyboard.press('Enter')
  await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? null), { timeout: WAIT_MS }).toBe('Anna Weber')
  await page.keyboard.press('End')
  await page.keyboard.type(' Jr')
  await expect
    .poll(() => page.evaluate(() => (window.testEditor.getShape('shape:anna' as never)?.props as { name: string } | undefined)?.name), { timeout: WAIT_MS })
    .toBe('Anna Weber Jr')
  // Esc goes back to the canvas with the card still selected.
  await page.keyboard.press('Escape')
  expect(await page.evaluate(() => window.testEditor.getSelectedShapeIds())).toEqual(['shape:anna'])

  // A note, during a vote: Shift+Enter reaches "Vote for this item", Enter casts.
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.facilitator}&name=Fiona`)
  await waitForBoard(page)
  await exposeEditor(page)
  await addNoteWithKeyboard(page, 0.3, 0.3, 'Pilot in Lyon')
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  const panel = sidePanel(page)
  await panel.getByRole('button', { name: 'New Vote…' }).click()
  await panel.getByLabel('Question').fill('Which idea first?')
  await panel.getByLabel('Votes per person').fill('1')
  await panel.getByRole('button', { name: 'Start Vote' }).click()
  // The vote runs once the server says so; until then the panel's first button is still "New Vote…".
  await panel.getByText('1 of 1 vote left').waitFor({ timeout: WAIT_MS })
  await clickShape(page, shapeWithText(page, 'note', 'Pilot in Lyon'))
  expect(await page.evaluate(() => window.testEditor.getEditingShapeId())).toBeNull()
  await page.keyboard.press('Shift+Enter')
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''), { timeout: WAIT_MS }).toContain('Vote for this item')
  await page.keyboard.press('Enter')
  await panel.getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })
  // The last vote leaves the focus where it was, beside "Remove my vote" (QA q36c: it fell to the page).
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-vote-for') ?? document.activeElement?.tagName)).toMatch(/^shape:/)
  await page.keyboard.press('Enter') // nothing left to cast
  await panel.getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })
  // No vote left: Shift+Enter takes the focus to no other button of the vote (review: "Close vote").
  await page.locator('.tl-container').focus()
  expect(await page.evaluate(() => window.testEditor.getSelectedShapeIds().length)).toBe(1)
  await page.keyboard.press('Shift+Enter')
  expect(await page.evaluate(() => document.activeElement?.closest('.panel-section') === null)).toBe(true)
  await context.close()
})
