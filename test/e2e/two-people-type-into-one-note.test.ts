/**
 * Two people typing into one sticky note (issue 12, docs/decisions/006-concurrent-text.md, "Notes
 * on the canvas"), in real Chromium: while A edits the note's text, B's page says A is typing
 * there and B cannot enter edit mode on it, so when both type at once the note ends with A's text
 * alone, never interleaved; once A is done, B can edit it.
 */
import type { Page } from 'playwright-core'
import type { TLNoteShape } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { addNoteWithKeyboard, clickShape, shapeWithText, WAIT_MS, waitForTextEditing, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('swot')

/** The plain text of the only note on `page` whose text starts with `start`. */
function noteText(page: Page, start: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const editor = window.testEditor
    for (const shape of editor.getCurrentPageShapes()) {
      if (shape.type !== 'note') continue
      const text = editor.getShapeUtil(shape).getText(shape) ?? ''
      if (text.startsWith(wanted)) return text
    }
    return null
  }, start)
}

function noteId(page: Page, start: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const editor = window.testEditor
    const note = editor.getCurrentPageShapes().find((shape) => shape.type === 'note' && (editor.getShapeUtil(shape).getText(shape) ?? '').startsWith(wanted))
    return (note as TLNoteShape | undefined)?.id ?? null
  }, start)
}

const editingOn = (page: Page) => page.evaluate(() => window.testEditor.getEditingShapeId())

describe('two people typing into one sticky note', () => {
  it('lets one type at a time, names them to the other, and never interleaves their characters', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    await addNoteWithKeyboard(alice.page, 0.3, 0.45, 'Kickoff')
    await shapeWithText(bob.page, 'note', 'Kickoff').waitFor({ timeout: WAIT_MS })
    const id = await noteId(bob.page, 'Kickoff')

    // A edits the note: B's page names A over it.
    await clickShape(alice.page, shapeWithText(alice.page, 'note', 'Kickoff'), { double: true })
    await waitForTextEditing(alice.page)
    await alice.page.keyboard.press('Control+End')
    await alice.page.keyboard.type(' agenda')
    const typing = bob.page.getByRole('status').filter({ hasText: 'Alice Archer is typing here…' })
    await typing.waitFor({ timeout: WAIT_MS })

    // B tries every way into the note's text: double-click, Enter on the selected note.
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Kickoff'), { double: true })
    expect(await editingOn(bob.page)).toBeNull()
    await bob.page.keyboard.press('Enter')
    expect(await editingOn(bob.page)).toBeNull()

    // Both type at once: only A's characters reach the note.
    await Promise.all([alice.page.keyboard.type(' for Monday'), bob.page.keyboard.type('Bravo')])
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await noteText(person.page, 'Kickoff')) === 'Kickoff agenda for Monday', `${person.name} has A’s text, whole`)
    }

    // A is done: the label goes, and B may edit the note.
    await alice.page.keyboard.press('Escape')
    await typing.waitFor({ state: 'detached', timeout: WAIT_MS })
    // B's keys went to the canvas as tool shortcuts: back to the select tool.
    await bob.page.evaluate(() => {
      window.testEditor.setCurrentTool('select')
    })
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Kickoff'), { double: true })
    await waitUntil(async () => (await editingOn(bob.page)) === id, 'B edits the note')
    await bob.page.keyboard.press('Control+End')
    await bob.page.keyboard.type('!')
    await bob.page.keyboard.press('Escape')
    await waitUntil(async () => (await noteText(alice.page, 'Kickoff')) === 'Kickoff agenda for Monday!', 'A sees B’s edit')
  })
})
