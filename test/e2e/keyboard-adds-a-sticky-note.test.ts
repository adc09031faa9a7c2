/**
 * QA pass q27b: a keyboard-only facilitator could not add a sticky note: Enter on "Add sticky
 * note" only chose the note tool, which waits for a click on the canvas. In real Chromium, with
 * two people: from the keyboard the button adds an empty note in a free spot of the view, inside
 * the quadrant that spot is in, open for typing, and the text typed reaches the other page; a
 * click on the button still chooses the tool, to place the note where the next click is.
 */
import { describe, expect, it } from 'vitest'
import { shapeWithText, waitForTextEditing, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { SWOT_FRAMES } from '../../shared/templates.ts'

const two = setUpTwoPeopleOnBoard('swot')

describe('Add sticky note', () => {
  it('from the keyboard adds a note in a quadrant, open for typing', async () => {
    const { alice, bob } = two
    const page = alice.page
    await exposeEditor(page)
    const button = page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add sticky note' })
    await button.focus()
    await page.keyboard.press('Enter')
    await waitForTextEditing(page)
    await page.keyboard.type('Keyboard idea')
    await page.keyboard.press('Escape')
    await shapeWithText(bob.page, 'note', 'Keyboard idea').waitFor({ timeout: WAIT_MS })
    const parent = await page.evaluate(() => {
      const note = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'note')
      return note ? String(note.parentId) : null
    })
    expect(Object.values(SWOT_FRAMES).map((frame) => String(frame.id))).toContain(parent)
    expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  })

  it('from the keyboard, with the view near a quadrant\'s edge, puts the note wholly inside the quadrant (QA q28b)', async () => {
    const page = two.alice.page
    // The view's middle 60 units from the right edge of Strengths: a note centred there stuck out.
    await page.evaluate(() => {
      window.testEditor.centerOnPoint({ x: 900, y: 320 })
    })
    const button = page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add sticky note' })
    for (const text of ['Edge one', 'Edge two']) {
      await button.focus()
      await page.keyboard.press('Enter')
      await waitForTextEditing(page)
      await page.keyboard.type(text)
      await page.keyboard.press('Escape')
      await shapeWithText(page, 'note', text).waitFor({ timeout: WAIT_MS })
    }
    const placed = await page.evaluate(() =>
      window.testEditor
        .getCurrentPageShapes()
        .filter((shape) => shape.type === 'note')
        .map((note) => {
          const box = window.testEditor.getShapePageBounds(note)
          const frame = window.testEditor.getShapePageBounds(note.parentId as never)
          return box && frame ? box.minX >= frame.minX && box.maxX <= frame.maxX && box.minY >= frame.minY && box.maxY <= frame.maxY : false
        }),
    )
    expect(placed.length).toBeGreaterThanOrEqual(2)
    expect(placed.every(Boolean)).toBe(true)
  })

  it('clicked, chooses the note tool and adds nothing yet', async () => {
    const page = two.alice.page
    const before = await page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'note').length)
    await page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add sticky note' }).click()
    expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('note')
    expect(await page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'note').length)).toBe(before)
  })
})
