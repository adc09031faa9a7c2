/**
 * Ctrl+D on an action card (QA pass of 2026-12-06): tldraw put each copy at an offset, the first
 * half outside its status column, the second wholly outside and hidden by the column's clipping,
 * though it kept the column's status. A copy made in a column lands in the column's stack: inside
 * it, covering no other card, with the column's status.
 */
import { expect, it } from 'vitest'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it('puts each copy of an action card inside its column, clear of the other cards', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions`, ['Fiona Facilitator'])
  if (!person) throw new Error('openPeople returned no person')
  const { page } = person
  await waitForBoard(page)
  await page.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(page).getByLabel('Title').fill('Send the pilot proposal')
  await page.keyboard.press('Escape')
  const card = shapeWithText(page, 'action', 'Send the pilot proposal')
  await clickShape(page, card)
  await page.keyboard.press('Control+d')
  await page.keyboard.press('Control+d')
  await exposeEditor(page)
  await waitUntil(async () => (await card.count()) === 3, 'two copies of the card')

  // Every card: a child of the Open column, wholly inside it, and no two overlapping.
  const layout = await page.evaluate(() => {
    const editor = window.testEditor
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'action')
      .map((shape) => {
        const parent = editor.getShape(shape.parentId as never)
        const box = editor.getShapePageBounds(shape)
        const columnBox = parent ? editor.getShapePageBounds(parent) : undefined
        return {
          column: parent && parent.type === 'frame' ? (parent.props as { name: string }).name : null,
          status: (shape.props as { status: string }).status,
          box: box && { x: box.x, y: box.y, maxX: box.maxX, maxY: box.maxY },
          columnBox: columnBox && { x: columnBox.x, y: columnBox.y, maxX: columnBox.maxX, maxY: columnBox.maxY },
        }
      })
  })
  expect(layout).toHaveLength(3)
  for (const { column, status, box, columnBox } of layout) {
    expect(column).toBe('Open')
    expect(status).toBe('open')
    if (!box || !columnBox) throw new Error('no bounds')
    expect(box.x).toBeGreaterThanOrEqual(columnBox.x)
    expect(box.maxX).toBeLessThanOrEqual(columnBox.maxX)
    expect(box.y).toBeGreaterThanOrEqual(columnBox.y)
    expect(box.maxY).toBeLessThanOrEqual(columnBox.maxY)
  }
  for (const [i, a] of layout.entries()) {
    for (const b of layout.slice(i + 1)) {
      if (!a.box || !b.box) continue
      const overlap = a.box.x < b.box.maxX && b.box.x < a.box.maxX && a.box.y < b.box.maxY && b.box.y < a.box.maxY
      expect(overlap).toBe(false)
    }
  }
  await card.nth(2).waitFor({ state: 'visible', timeout: WAIT_MS })
})
