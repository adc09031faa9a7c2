/**
 * QA: at 200 % zoom on a 1366×768 laptop (683×384 CSS px) the workshop header wrapped into four
 * rows and took three fifths of the height: the board showed in a strip under it, behind the
 * canvas's own tools. Now a short window keeps the header to two rows of small type (the account
 * and title on one line, the boards and the board's tools sharing a row), and every header control
 * is still on screen.
 */
import { expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

for (const viewport of [
  { width: 683, height: 384 },
  { width: 640, height: 400 },
]) {
  it(`at ${viewport.width}×${viewport.height} the header takes under a third of the height, every control on screen`, async () => {
    const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
    const context = await e2e.browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'en-US' })
    try {
      const page = await context.newPage()
      await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.facilitator}&name=Fay`)
      await waitForBoard(page)
      await page.getByRole('button', { name: 'Share' }).waitFor({ timeout: WAIT_MS })
      const header = await page.locator('.workshop .app-header').boundingBox()
      const canvas = await page.locator('.tl-canvas').boundingBox()
      if (!header || !canvas) throw new Error('no header or canvas')
      expect(header.y + header.height).toBeLessThanOrEqual(viewport.height / 3)
      expect(canvas.height).toBeGreaterThanOrEqual(viewport.height * 0.6)
      // Nothing in the header runs off the right edge or below it.
      const controls = page.locator('.workshop .app-header').locator('button:visible, a.brand:visible, nav[aria-label="Boards"]')
      const boxes = await controls.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect))
      expect(boxes.length).toBeGreaterThan(5)
      for (const box of boxes) {
        expect(box.right).toBeLessThanOrEqual(viewport.width + 0.5)
        expect(box.bottom).toBeLessThanOrEqual(header.y + header.height + 0.5)
      }
    } finally {
      await context.close()
    }
  })
}
