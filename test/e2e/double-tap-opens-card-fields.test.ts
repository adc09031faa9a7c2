/**
 * QA: on a phone, tapping a card opened nothing. The side panel is a sheet there, closed until
 * asked for, and the card's fields were a tap on "Show details panel" away, which nothing said.
 * Now a double tap on a card (a double click with a mouse) opens its fields with the focus in the
 * first one, as Enter does: on a touch phone, and on a laptop whose panel was hidden. Before, a
 * double tap or double click on a card started an empty text box on it (tldraw's answer to a double
 * click on a shape it cannot edit).
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { stakeholder } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()

/** Whether the side panel's Name field has the focus. */
function nameFocused(page: Page): Promise<boolean> {
  return page
    .getByRole('complementary', { name: 'Board details' })
    .getByLabel('Name', { exact: true })
    .evaluate((field) => field === document.activeElement)
    .catch(() => false)
}

async function workshopWithCard(): Promise<string> {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  await board.write([stakeholder('shape:tara', { x: 0, y: 0 }, { name: 'Tara Top' })])
  board.destroy()
  return `${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.team}`
}

it('a double tap on a card on a touch phone opens the sheet with its fields, the focus in the first', async () => {
  const url = await workshopWithCard()
  const context = await e2e.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'en-US' })
  try {
    const page = await context.newPage()
    await page.goto(`${url}&name=Tom`)
    await waitForBoard(page)
    await exposeEditor(page)
    const card = page.locator('.tl-shape[data-shape-id="shape:tara"]')
    await card.waitFor({ timeout: WAIT_MS })
    const sheet = page.getByRole('complementary', { name: 'Board details' })
    await expect.poll(() => sheet.isVisible()).toBe(false)

    const box = await card.boundingBox()
    if (!box) throw new Error('the card has no box')
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    // One tap selects the card and leaves the board in view.
    await page.touchscreen.tap(at.x, at.y)
    await page.waitForTimeout(600) // past tldraw's double-click interval: this tap is alone
    expect(await sheet.isVisible()).toBe(false)
    // A double tap opens its fields.
    await page.touchscreen.tap(at.x, at.y)
    await page.touchscreen.tap(at.x, at.y)
    await sheet.getByLabel('Name', { exact: true }).waitFor({ timeout: WAIT_MS })
    await expect.poll(() => sheet.getByLabel('Name', { exact: true }).inputValue(), { timeout: WAIT_MS }).toBe('Tara Top')
    await expect.poll(() => nameFocused(page), { timeout: WAIT_MS }).toBe(true)
    // And no text box was started on the card (tldraw's answer to a double click on a shape it cannot edit).
    expect(await page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'text').length)).toBe(0)
  } finally {
    await context.close()
  }
})

it('a double click on a card opens a hidden side panel with its fields, the focus in the first', async () => {
  const url = await workshopWithCard()
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
  try {
    const page = await context.newPage()
    await page.goto(`${url}&name=Tina`)
    await waitForBoard(page)
    await exposeEditor(page)
    const card = page.locator('.tl-shape[data-shape-id="shape:tara"]')
    await card.waitFor({ timeout: WAIT_MS })
    await page.getByRole('button', { name: 'Hide details panel' }).click()
    const panel = page.getByRole('complementary', { name: 'Board details' })
    await expect.poll(() => panel.isVisible(), { timeout: WAIT_MS }).toBe(false)

    const box = await card.boundingBox()
    if (!box) throw new Error('the card has no box')
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2)
    await panel.getByLabel('Name', { exact: true }).waitFor({ timeout: WAIT_MS })
    await expect.poll(() => nameFocused(page), { timeout: WAIT_MS }).toBe(true)
    expect(await page.evaluate(() => window.testEditor.getEditingShapeId())).toBe(null)
    expect(await page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'text').length)).toBe(0)
  } finally {
    await context.close()
  }
})
