/**
 * A whitespace cell whose business unit and offering are typed in the side panel goes to that row
 * and column of the board's matrix once the person leaves those fields, in Chromium (QA q36b,
 * finding 2: it stayed where "Add cell" put it, so the board and its image showed the Warehousing
 * row empty while the plan and every export filed the cells under it). Names match as extraction
 * matches them (case and spaces ignored); a name no header bears moves nothing.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { renameHeader, shapeWithText, sidePanel, WAIT_MS, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('whitespace')

/** The row and column header bands that hold each cell's centre on `page`, by the cell's typed names. */
function drawnIn(page: Page): Promise<{ named: string; row: string | undefined; column: string | undefined }[]> {
  return page.evaluate(() => {
    const editor = window.testEditor
    const text = (shape: { props: unknown }) =>
      JSON.stringify((shape.props as { richText?: unknown }).richText ?? '').match(/"text":"([^"]*)"/)?.[1] ?? '' // a header's one line of text
    const headers = editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'geo' && (shape.meta.whitespaceAxis === 'row' || shape.meta.whitespaceAxis === 'column'))
      .map((shape) => ({ axis: shape.meta.whitespaceAxis, label: text(shape), box: editor.getShapePageBounds(shape) }))
    return editor
      .getCurrentPageShapesSorted()
      .filter((shape) => shape.type === 'whitespace')
      .map((shape) => {
        const { row, column } = shape.props as { row: string; column: string } // a whitespace cell's props
        const centre = editor.getShapePageBounds(shape)?.center
        const inRow = headers.find((h) => h.axis === 'row' && h.box && centre && centre.y >= h.box.y && centre.y < h.box.maxY && centre.x >= h.box.x)
        const inColumn = headers.find((h) => h.axis === 'column' && h.box && centre && centre.x >= h.box.x && centre.x < h.box.maxX && centre.y >= h.box.y)
        return { named: `${row} × ${column}`, row: inRow?.label, column: inColumn?.label }
      })
  })
}

it('moves a cell to the row and column typed in its side panel, for everyone, and leaves one naming no header', async () => {
  const { alice, bob } = two
  const page = alice.page
  const toolbar = page.getByRole('toolbar', { name: 'Board tools' })
  for (const unit of ['Road freight', 'Warehousing']) {
    await toolbar.getByRole('button', { name: 'Add business unit' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Business unit'), unit)
  }
  for (const offering of ['Transport', 'Analytics']) {
    await toolbar.getByRole('button', { name: 'Add offering' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Offering'), offering)
  }
  await exposeEditor(page)
  await exposeEditor(bob.page)

  const panel = sidePanel(page)
  const cells = [
    ['warehousing ', 'Analytics'],
    ['Warehousing', 'Transport'],
    ['Customs', 'Transport'],
  ] as const
  for (const [index, [unit, offering]] of cells.entries()) {
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    await page.locator('.tl-shape[data-shape-type="whitespace"]').nth(index).waitFor({ timeout: WAIT_MS })
    await panel.getByRole('textbox', { name: /^Business unit/ }).fill(unit)
    await panel.getByRole('textbox', { name: /^Offering/ }).fill(offering)
    // Leaving the two fields (for the notes) places the cell.
    await panel.getByRole('textbox', { name: /^Notes/ }).click()
  }

  const expected = [
    { named: 'warehousing  × Analytics', row: 'Warehousing', column: 'Analytics' },
    { named: 'Warehousing × Transport', row: 'Warehousing', column: 'Transport' },
    // No header is called Customs: the cell stays in the Transport column, wherever "Add cell" put it.
    { named: 'Customs × Transport', row: expect.anything(), column: 'Transport' },
  ]
  for (const person of [page, bob.page]) {
    await waitUntil(async () => {
      const drawn = await drawnIn(person)
      return drawn.length === 3 && drawn[0]?.row === 'Warehousing' && drawn[1]?.row === 'Warehousing'
    }, 'the cells drawn in the Warehousing row')
    const drawn = await drawnIn(person)
    expect(drawn.slice(0, 2)).toEqual(expected.slice(0, 2))
    expect(drawn[2]?.column).toBe('Transport')
    expect(drawn[2]?.row).not.toBe('Warehousing')
  }
})
