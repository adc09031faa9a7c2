/**
 * Two people on one SWOT board in real Chromium against the real server: sticky notes and their
 * edits reach the other page, cursors carry names, and notes survive a reload.
 */
import { describe, it } from 'vitest'
import { addNoteWithKeyboard, clickShape, shapeWithText, waitForBoard, waitForTextEditing, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('swot')

describe('two people on one SWOT board', () => {
  it('shows A’s new sticky note with its text on B’s page', async () => {
    const { alice, bob } = two
    await addNoteWithKeyboard(alice.page, 0.3, 0.35, 'Strong service team in the DACH region')

    await shapeWithText(bob.page, 'note', 'Strong service team in the DACH region').waitFor({ timeout: WAIT_MS })
  })

  it('shows B’s edit of the note on A’s page', async () => {
    const { alice, bob } = two
    const { page } = bob
    // A's claim on the note's text (decision 006) has ended on B's page: presence travels apart
    // from the document, so B may see A's text a moment before A's leaving the note.
    await page.locator('.text-typing').waitFor({ state: 'detached', timeout: WAIT_MS })
    await clickShape(page, shapeWithText(page, 'note', 'Strong service team in the DACH region'), { double: true })
    await waitForTextEditing(page)
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('Strong service team in DACH and the Nordics')
    await page.keyboard.press('Escape')
    await shapeWithText(page, 'note', 'Strong service team in DACH and the Nordics').waitFor({ timeout: WAIT_MS })

    await shapeWithText(alice.page, 'note', 'Strong service team in DACH and the Nordics').waitFor({ timeout: WAIT_MS })
  })

  it('shows A’s cursor with A’s name on B’s page', async () => {
    const { alice, bob } = two
    // Point at the note, which both pages show, so the cursor is in B's view whatever the zoom.
    const note = await shapeWithText(alice.page, 'note', 'DACH and the Nordics').boundingBox()
    if (!note) throw new Error('The note is not visible on A’s page')
    await alice.page.mouse.move(note.x + note.width / 2, note.y + note.height / 2)
    await alice.page.mouse.move(note.x + note.width * 0.6, note.y + note.height * 0.6, { steps: 5 })

    await bob.page.locator('.tl-collaborators', { hasText: 'Alice Archer' }).waitFor({ timeout: WAIT_MS })
  })

  it('still shows the note after a reload', async () => {
    const { bob } = two
    await bob.page.reload()
    await waitForBoard(bob.page)
    await shapeWithText(bob.page, 'note', 'Strong service team in DACH and the Nordics').waitFor({ timeout: WAIT_MS })
  })
})
