/**
 * The whitespace board in Chromium, as QA drove it: cells placed by naming their business unit,
 * offering and competitor in the side panel follow a rename of that header or competitor card
 * ([P13], [P15] in docs/plan-extraction.md), in the same undo step; "Add competitor" puts the card
 * in the Competitors frame; a probability over 100 is refused with a message, not silently.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { WHITESPACE_FRAMES } from '../../shared/templates.ts'
import { clickShape, renameHeader, saveSnapshotInPage, shapeWithText, sidePanel, WAIT_MS, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const two = setUpTwoPeopleOnBoard('whitespace')

/** The props of the whitespace cells on the page's board, in creation order. */
function cellsOn(page: Page): Promise<{ row: string; column: string; competitor: string }[]> {
  return page.evaluate(() =>
    window.testEditor
      .getCurrentPageShapesSorted()
      .filter((shape) => shape.type === 'whitespace')
      .map((shape) => {
        const { row, column, competitor } = shape.props as { row: string; column: string; competitor: string } // a whitespace cell's props
        return { row, column, competitor }
      }),
  )
}

async function savedPlan(page: Page, label: string) {
  const { server, workshop } = two
  await saveSnapshotInPage(page, label)
  const { snapshots } = SnapshotListSchema.parse(await (await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`)).json())
  const saved = snapshots.find((s) => s.label === label)
  if (!saved) throw new Error('the snapshot is not listed')
  return (await (await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${saved.id}`)).json()) as {
    whitespace: { rows: string[]; columns: string[]; cells: { id: string; row: string; column: string; competitor: string }[] }
    competitors: { name: string; cells: string[] }[]
  }
}

describe('renaming a business unit, an offering or a competitor carries the cells that name it', () => {
  it('rewrites the cells in the same change, for the plan and the other person, and one undo puts both back', async () => {
    const { alice, bob } = two
    const page = alice.page
    const toolbar = page.getByRole('toolbar', { name: 'Board tools' })
    await toolbar.getByRole('button', { name: 'Add business unit' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Business unit'), 'Parcel services')
    await toolbar.getByRole('button', { name: 'Add offering' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Offering'), 'Fleet telematics')

    // A cell placed by naming its unit, offering and competitor, wherever it lies.
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    await page.locator('.tl-shape[data-shape-type="whitespace"]').first().waitFor({ timeout: WAIT_MS })
    const panel = sidePanel(page)
    await panel.getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'Competitor supplies' })
    await panel.getByRole('textbox', { name: /^Competitor/ }).fill('Globex')
    await panel.getByRole('textbox', { name: /^Business unit/ }).fill('parcel services ')
    await panel.getByRole('textbox', { name: /^Offering/ }).fill('Fleet telematics')

    // A cell naming a unit no header has, "P": the unit's rename passes through "P" and must not take it.
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    await page.locator('.tl-shape[data-shape-type="whitespace"]').nth(1).waitFor({ timeout: WAIT_MS })
    await panel.getByRole('textbox', { name: /^Business unit/ }).fill('P')
    await panel.getByRole('textbox', { name: /^Offering/ }).fill('Fleet telematics')

    // "Add competitor" puts the card in the Competitors frame, not on the matrix.
    await toolbar.getByRole('button', { name: 'Add competitor' }).click()
    await exposeEditor(page)
    await waitUntil(
      () => page.evaluate(() => window.testEditor.getCurrentPageShapes().some((shape) => shape.type === 'competitor')),
      'the competitor card is on the board',
    )
    const parent = await page.evaluate(() => window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'competitor')?.parentId)
    expect(parent).toBe(WHITESPACE_FRAMES.competitors.id)
    await panel.getByRole('textbox', { name: /^Name/ }).fill('Globex')
    await shapeWithText(bob.page, 'competitor', 'Globex').waitFor({ timeout: WAIT_MS })

    await renameHeader(page, shapeWithText(page, 'geo', 'Parcel services'), 'Parcel & express')
    await renameHeader(page, shapeWithText(page, 'geo', 'Fleet telematics'), 'Telematics')
    expect((await cellsOn(page)).map((cell) => cell.column)).toEqual(['Telematics', 'Telematics'])
    // One undo step: the header's rename and its cells' together.
    await page.evaluate(() => {
      window.testEditor.undo()
    })
    await shapeWithText(page, 'geo', 'Fleet telematics').waitFor({ timeout: WAIT_MS })
    expect((await cellsOn(page)).map((cell) => cell.column)).toEqual(['Fleet telematics', 'Fleet telematics'])
    await page.evaluate(() => {
      window.testEditor.redo()
    })
    await shapeWithText(page, 'geo', 'Telematics').waitFor({ timeout: WAIT_MS })
    expect((await cellsOn(page))[0]?.column).toBe('Telematics')
    // The competitor renamed key by key in its side panel, through an empty name on the way.
    await clickShape(page, shapeWithText(page, 'competitor', 'Globex'))
    const name = panel.getByRole('textbox', { name: /^Name/ })
    await name.click()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Backspace')
    await page.keyboard.type('Globex AG')
    await shapeWithText(bob.page, 'competitor', 'Globex AG').waitFor({ timeout: WAIT_MS })

    expect(await cellsOn(page)).toEqual([
      { row: 'Parcel & express', column: 'Telematics', competitor: 'Globex AG' },
      { row: 'P', column: 'Telematics', competitor: '' },
    ])
    await exposeEditor(bob.page)
    await waitUntil(async () => (await cellsOn(bob.page))[0]?.row === 'Parcel & express', 'Bob’s page has the rewritten cell')

    const plan = await savedPlan(page, 'After the renames')
    expect(plan.whitespace.rows).toEqual(['Parcel & express', 'P'])
    expect(plan.whitespace.columns).toEqual(['Telematics'])
    const cell = plan.whitespace.cells.find((c) => c.competitor !== '')
    expect(cell).toMatchObject({ row: 'Parcel & express', column: 'Telematics', competitor: 'Globex AG' })
    expect(plan.competitors).toEqual([expect.objectContaining({ name: 'Globex AG', cells: [cell?.id] })])

  })

  it('refuses a probability over 100 with a message instead of emptying the field', async () => {
    const page = two.alice.page
    await page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add cell' }).click()
    const panel = sidePanel(page)
    await panel.getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'Open opportunity' })
    const probability = panel.getByRole('textbox', { name: /^Probability/ })
    await probability.click()
    await page.keyboard.type('150')
    await expect.poll(() => panel.getByRole('alert').filter({ hasText: 'Probability (%) must be a number from 0 to 100' }).count(), { timeout: WAIT_MS }).toBe(1)
    expect(await probability.inputValue()).toBe('150')
    expect(await probability.getAttribute('aria-invalid')).toBe('true')
    // Corrected, it is taken and the message goes.
    await page.keyboard.press('Backspace')
    await expect.poll(() => panel.getByRole('alert').count(), { timeout: WAIT_MS }).toBe(0)
    expect(await probability.inputValue()).toBe('15')
  })
})
