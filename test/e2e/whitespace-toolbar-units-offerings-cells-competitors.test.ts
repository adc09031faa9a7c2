/**
 * Issue 15 in Chromium: the whitespace & competitors board's toolbar. A team member adds a
 * business unit and an offering, renames both on the canvas, puts a cell in their band and marks
 * it as supplied by a competitor, values another cell as an open opportunity, and adds that
 * competitor's card; a snapshot's plan holds exactly that ([P13] in docs/plan-extraction.md: a
 * cell's row and column are the header bands that hold its centre), and the other person's page
 * shows the new unit live. "Add cell" puts a cell where a unit's row crosses an offering's column
 * that has none yet.
 */
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { renameHeader, saveSnapshotInPage, shapeWithText, sidePanel, WAIT_MS, waitForTextEditing } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const two = setUpTwoPeopleOnBoard('whitespace')

async function centre(shape: Locator): Promise<{ x: number; y: number }> {
  const box = await shape.boundingBox()
  if (!box) throw new Error('The shape is not visible')
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

describe('the whitespace toolbar: units, offerings, cells and competitors', () => {
  it('puts what a person enters through the toolbar and side panel into the snapshot’s plan', async () => {
    const { alice, bob, server, workshop } = two
    const page = alice.page
    const toolbar = page.getByRole('toolbar', { name: 'Board tools' })

    await toolbar.getByRole('button', { name: 'Add business unit' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Business unit'), 'Parcel services')
    await toolbar.getByRole('button', { name: 'Add offering' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Offering'), 'Fleet telematics')
    await shapeWithText(bob.page, 'geo', 'Parcel services').waitFor({ timeout: WAIT_MS })

    // A cell added lands where the unit's row band crosses the offering's column band.
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    const cells = page.locator('.tl-shape[data-shape-type="whitespace"]')
    await cells.first().waitFor({ timeout: WAIT_MS })
    await sidePanel(page).getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'Competitor supplies' })
    await sidePanel(page).getByRole('textbox', { name: /^Competitor/ }).fill('Globex')

    // An open opportunity placed by naming its unit and offering in the side panel.
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    await cells.nth(1).waitFor({ timeout: WAIT_MS })
    await sidePanel(page).getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'Open opportunity' })
    await sidePanel(page).getByRole('textbox', { name: /^Estimated value/ }).fill('250000')
    await sidePanel(page).getByRole('textbox', { name: /^Probability/ }).fill('40')
    await sidePanel(page).getByRole('textbox', { name: /^Business unit/ }).fill('Parcel services')
    await sidePanel(page).getByRole('textbox', { name: /^Offering/ }).fill('Fleet telematics')

    await toolbar.getByRole('button', { name: 'Add competitor' }).click()
    await sidePanel(page).getByRole('textbox', { name: /^Name/ }).fill('Globex')
    await sidePanel(page).getByRole('combobox', { name: /^Position in the account/ }).selectOption({ label: 'Incumbent' })
    await shapeWithText(bob.page, 'competitor', 'Globex').waitFor({ timeout: WAIT_MS })

    // Saved from Alice's page: her last edits (the position) may still be on their way ([S42]).
    await saveSnapshotInPage(page, 'Whitespace from the toolbar')
    const { snapshots } = SnapshotListSchema.parse(await (await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`)).json())
    const saved = snapshots.find((s) => s.label === 'Whitespace from the toolbar')
    if (!saved) throw new Error('the snapshot is not listed')
    const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${saved.id}`)
    expect(response.status).toBe(200)
    const plan = (await response.json()) as {
      whitespace: { rows: string[]; columns: string[]; cells: { id: string; row: string; column: string; kind: string; competitor: string; value: number | null; probability: number | null }[] }
      competitors: { id: string; name: string; position: string; cells: string[] }[]
    }
    expect(plan.whitespace.rows).toEqual(['Parcel services'])
    expect(plan.whitespace.columns).toEqual(['Fleet telematics'])
    const byKind = Object.fromEntries(plan.whitespace.cells.map((cell) => [cell.kind, cell]))
    expect(plan.whitespace.cells).toHaveLength(2)
    expect(byKind.competitor).toMatchObject({ row: 'Parcel services', column: 'Fleet telematics', competitor: 'Globex' })
    expect(byKind.opportunity).toMatchObject({ row: 'Parcel services', column: 'Fleet telematics', value: 250000, probability: 40 })
    expect(plan.competitors.map(({ name, position, cells }) => ({ name, position, cells }))).toEqual([
      { name: 'Globex', position: 'incumbent', cells: [byKind.competitor?.id] },
    ])
  })

  it('puts a new cell where a unit’s row crosses an offering’s column that has none yet (QA: it landed in no row and no column)', async () => {
    const page = two.alice.page
    const toolbar = page.getByRole('toolbar', { name: 'Board tools' })
    await toolbar.getByRole('button', { name: 'Add offering' }).click()
    await renameHeader(page, shapeWithText(page, 'geo', 'Offering'), 'Route planning')
    const unit = await centre(shapeWithText(page, 'geo', 'Parcel services'))
    const offering = await centre(shapeWithText(page, 'geo', 'Route planning'))
    const cells = page.locator('.tl-shape[data-shape-type="whitespace"]')
    const ids = async () => Promise.all((await cells.all()).map((cell) => cell.getAttribute('data-shape-id')))
    const before = await ids()
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    await cells.nth(before.length).waitFor({ timeout: WAIT_MS })
    const id = (await ids()).find((cellId) => !before.includes(cellId))
    const added = await centre(page.locator(`.tl-shape[data-shape-id="${id}"]`))
    expect(Math.abs(added.x - offering.x)).toBeLessThan(2)
    expect(Math.abs(added.y - unit.y)).toBeLessThan(2)
  })

  it('a unit added from the keyboard opens with its label selected: the name typed replaces it (QA: typing ran the canvas shortcuts)', async () => {
    const page = two.alice.page
    await exposeEditor(page)
    const button = page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add business unit' })
    await button.focus()
    await page.keyboard.press('Enter')
    await waitForTextEditing(page)
    const labelSelected = () => page.waitForFunction(() => window.getSelection()?.toString() === 'Business unit', undefined, { timeout: WAIT_MS })
    await labelSelected()
    // tldraw puts the caret at the end of a label a moment after its editor mounts: still selected after that.
    await page.waitForTimeout(300)
    await labelSelected()
    await page.keyboard.type('Retail banking')
    await page.keyboard.press('Escape')
    await shapeWithText(page, 'geo', 'Retail banking').waitFor({ timeout: WAIT_MS })
    expect(await shapeWithText(page, 'geo', 'Business unit').count()).toBe(0)
    // The letters went into the label, not to the tools ("l" is the line tool).
    expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  })
})
