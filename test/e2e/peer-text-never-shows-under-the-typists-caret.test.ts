/**
 * A peer's write to a note's text that arrives while someone holds that text (decision 006,
 * "Notes on the canvas": typed at the same moment, or offline and sent on reconnecting) never
 * shows in the holder's editor, in real Chromium against the real server: the holder's text stays
 * on screen and under their caret, and their page writes it back, so every page ends with it.
 *
 * Before, the peer's text went into the holder's store and editor, and the holder's page put its
 * own text back a frame later: a key typed in that frame went into the peer's text, and the note
 * ended with the peer's text plus that key, the holder's words gone (the CI failure of
 * `two-people-type-into-one-note`, second case). The page here types at that very moment: the
 * instant its editor shows the peer's text.
 */
import type { JsonObject } from '@tldraw/utils'
import { toRichText } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { richTextToPlainText } from '../../shared/richText.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { waitFor } from '../helpers/clients.ts'
import { addNoteWithKeyboard, caretToEnd, clickShape, openPeople, shapeWithText, waitForBoard, waitForTextEditing, waitUntil, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let alice: Person
let peer: BoardClient

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Alice Archer'])
  if (!person) throw new Error('openPeople returned no person')
  alice = person
  await waitForBoard(alice.page)
  peer = await openBoard(e2e.server, workshop.id, 'swot', 'Bob')
})

afterAll(() => peer?.destroy())

/** The note whose text starts with `start`, as the raw client sees it. */
function peersNote(start: string): JsonObject | undefined {
  return [...peer.records().values()].find((record) => record.type === 'note' && richTextToPlainText((record.props as JsonObject).richText).startsWith(start))
}

const peersText = (start: string) => {
  const note = peersNote(start)
  return note ? richTextToPlainText((note.props as JsonObject).richText) : null
}

declare global {
  interface Window {
    /** Set by the test: the texts the holder's editor showed that were not the holder's. */
    peerTextsShown: string[]
  }
}

describe('a peer’s text arriving while someone types into a note', () => {
  it('never shows in the holder’s editor; the holder’s text, with the key typed then, ends on every page', async () => {
    await addNoteWithKeyboard(alice.page, 0.3, 0.45, 'Agenda')
    await waitFor(() => peersText('Agenda') === 'Agenda', 'the raw client to have the note')
    await clickShape(alice.page, shapeWithText(alice.page, 'note', 'Agenda'), { double: true })
    await waitForTextEditing(alice.page)
    await caretToEnd(alice.page)
    await alice.page.keyboard.type(' Room 4.')
    await waitFor(() => peersText('Agenda') === 'Agenda Room 4.', 'the raw client to have A’s text')

    // The instant A's editor shows a text with the peer's words, A types a key there.
    await alice.page.evaluate(() => {
      window.peerTextsShown = []
      const textEditor = window.testEditor.getRichTextEditor()
      if (!textEditor) throw new Error('A is not editing a text')
      textEditor.on('update', ({ editor }) => {
        const text = editor.getText()
        if (!text.includes('Bring slides') || window.peerTextsShown.includes(text)) return
        window.peerTextsShown.push(text)
        queueMicrotask(() => editor.commands.insertContent(' 10:00.'))
      })
    })

    // The peer's keystrokes, sent before they saw A's claim.
    const note = peersNote('Agenda')
    if (!note) throw new Error('the raw client lost the note')
    await peer.write([{ ...note, props: { ...(note.props as JsonObject), richText: toRichText('Agenda Bring slides.') as unknown as JsonObject } }])
    await waitFor(() => peersText('Agenda') === 'Agenda Room 4.', 'A’s page to write A’s text back', 20_000)
    expect(await alice.page.evaluate(() => window.peerTextsShown)).toEqual([])
    expect(await alice.page.evaluate(() => window.testEditor.getRichTextEditor()?.getText())).toBe('Agenda Room 4.')

    // A types on, and leaves the note: every page has A's text, whole.
    await alice.page.keyboard.type(' 10:00.')
    await alice.page.keyboard.press('Escape')
    await waitFor(() => peersText('Agenda') === 'Agenda Room 4. 10:00.', 'the raw client to have A’s whole text')
    await waitUntil(async () => (await shapeWithText(alice.page, 'note', 'Agenda Room 4. 10:00.').count()) === 1, 'A’s page to show A’s whole text')
  })
})
