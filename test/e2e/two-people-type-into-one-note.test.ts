/**
 * Two people typing into one sticky note (issue 12, docs/decisions/006-concurrent-text.md, "Notes
 * on the canvas"), in real Chromium: while A edits the note's text, B's page says A is typing
 * there and B cannot enter edit mode on it, so when both type at once the note ends with A's text
 * alone, never interleaved; once A is done, B can edit it. When both started at once (B offline),
 * the note ends with the first one's text, whole, and B's page keeps B's text aside to put in later.
 */
import type { Page } from 'playwright-core'
import type { TLNoteShape } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { addNoteWithKeyboard, caretToEnd, clickShape, shapeWithText, WAIT_MS, waitForTextEditing, waitUntil } from '../helpers/browser.ts'
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
    await caretToEnd(alice.page)
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
    await waitForTextEditing(bob.page)
    await caretToEnd(bob.page)
    await bob.page.keyboard.type('!')
    await waitUntil(async () => (await noteText(bob.page, 'Kickoff')) === 'Kickoff agenda for Monday!', 'B’s page has B’s edit')
    await bob.page.keyboard.press('Escape')
    await waitUntil(async () => (await noteText(alice.page, 'Kickoff')) === 'Kickoff agenda for Monday!', 'A sees B’s edit')
  })

  it('keeps the text of the one who started later aside, the note whole with the first one’s, and lets them put it in', async () => {
    const { alice, bob } = two
    const start = 'Kickoff agenda for Monday!'
    await waitUntil(async () => (await noteText(bob.page, 'Kickoff')) === start, 'B has the note')
    // B's claim from the first test has ended on A's page (a claim stays until its page says so).
    await alice.page.getByRole('status').filter({ hasText: 'Bob Baker is typing here…' }).waitFor({ state: 'detached', timeout: WAIT_MS })
    // B's network drops, so neither sees the other start: the widest "at the same time" there is.
    await bob.context.setOffline(true)
    await bob.page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
    await clickShape(alice.page, shapeWithText(alice.page, 'note', 'Kickoff'), { double: true })
    await waitForTextEditing(alice.page)
    await caretToEnd(alice.page)
    await alice.page.keyboard.type(' Room 4.')
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Kickoff'), { double: true })
    await waitForTextEditing(bob.page)
    await caretToEnd(bob.page)
    await bob.page.keyboard.type(' Bring slides.')
    await bob.context.setOffline(false)
    await bob.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })

    const kept = bob.page.getByRole('alert').filter({ hasText: 'Alice Archer started typing into this text just before you' })
    await kept.waitFor({ timeout: WAIT_MS })
    expect(await kept.locator('blockquote').textContent()).toBe(`${start} Bring slides.`)
    await waitUntil(async () => (await editingOn(bob.page)) === null, 'B’s page left the note')
    await waitUntil(async () => (await noteText(alice.page, 'Kickoff')) === `${start} Room 4.`, 'A’s page has A’s text')
    // A is still in the note and goes on typing.
    await alice.page.keyboard.type(' 10:00.')
    const aliceFinal = `${start} Room 4. 10:00.`
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await noteText(person.page, 'Kickoff')) === aliceFinal, `${person.name} has A’s text, whole`)
    }

    await alice.page.keyboard.press('Escape')
    const useMine = kept.getByRole('button', { name: 'Use my text' })
    await waitUntil(() => useMine.isEnabled(), 'B may put their text in once A is done')
    await useMine.click()
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await noteText(person.page, 'Kickoff')) === `${start} Bring slides.`, `${person.name} has B’s text, whole`)
    }
  })
})
