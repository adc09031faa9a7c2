/**
 * QA pass q26a (twenty-sixth session): someone typing into a sticky note that a colleague deletes,
 * or that the team makes internal while a guest types in it, lost the text typed, and the focus
 * fell to the page, so every key typed next was a canvas shortcut ('h' the hand tool, 'e' the
 * eraser). Now the page says who took the note, keeps its text in a box that has the focus and the
 * keys, and the tool stays as it was. A guest's page cannot tell a delete from the team making the
 * note internal: it says "removed".
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { addNoteWithKeyboard, caretToEnd, clickShape, openPeople, pressOnNote, shapeWithText, waitForBoard, waitForTextEditing, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpGuestAndTeamOnBoard('swot')
/** Tom Team, a second team member on the SWOT. */
let tom: Page

beforeAll(async () => {
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${e2e.workshop.id}/swot?token=${e2e.workshop.tokens.team}`, ['Tom Team'])
  if (!person) throw new Error('no page')
  tom = person.page
  await waitForBoard(tom)
})

/** Tina selects the note `text` (by id: her page has the keyboard) and presses `key`. */
async function tinaPresses(text: string, key: string): Promise<void> {
  await pressOnNote(e2e.team, text, key)
}

/** `page` types `typed` at the end of the note `text`, and waits until Tina's page has it. */
async function typeInto(page: Page, text: string, typed: string): Promise<void> {
  await clickShape(page, shapeWithText(page, 'note', text), { double: true })
  await waitForTextEditing(page)
  await caretToEnd(page)
  await page.keyboard.type(typed)
  await shapeWithText(e2e.team, 'note', `${text}${typed}`).waitFor({ timeout: WAIT_MS })
}

/** After the notice: keys typed go into its box, not to the canvas as shortcuts. */
async function keysStayInTheNotice(page: Page, kept: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Your text' })
  await expect.poll(() => box.evaluate((element) => element === document.activeElement), { timeout: WAIT_MS }).toBe(true)
  expect(await box.inputValue()).toBe(kept)
  await page.keyboard.type(' he')
  await exposeEditor(page)
  expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  expect(await box.inputValue()).toBe(kept)
}

it("a team member typing in a note a colleague deletes is told who deleted it and keeps the text; the keys stay off the canvas", async () => {
  await addNoteWithKeyboard(e2e.team, 0.25, 0.3, 'Legal review slow')
  await shapeWithText(tom, 'note', 'Legal review slow').waitFor({ timeout: WAIT_MS })
  await typeInto(tom, 'Legal review slow', ' - 6 weeks avg')
  await tinaPresses('Legal review slow - 6 weeks avg', 'Delete')

  const notice = tom.getByRole('alert').filter({ hasText: 'Tina Team deleted this note while you were typing.' })
  await notice.waitFor({ timeout: WAIT_MS })
  await keysStayInTheNotice(tom, 'Legal review slow - 6 weeks avg')
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
})

it('a guest typing in a note the team makes internal is told it was removed, and keeps the text', async () => {
  const { guest } = e2e
  await addNoteWithKeyboard(e2e.team, 0.25, 0.6, 'CFO sponsor')
  await shapeWithText(guest, 'note', 'CFO sponsor').waitFor({ timeout: WAIT_MS })
  await typeInto(guest, 'CFO sponsor', ' wants quarterly reviews')
  await tinaPresses('CFO sponsor wants quarterly reviews', 'Alt+i')

  const notice = guest.getByRole('alert').filter({ hasText: 'Tina Team removed this note while you were typing.' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.textContent()).not.toContain('deleted')
  await keysStayInTheNotice(guest, 'CFO sponsor wants quarterly reviews')
})
