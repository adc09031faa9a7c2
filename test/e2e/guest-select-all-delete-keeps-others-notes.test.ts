/**
 * Issue 11 in real Chromium: a customer guest presses Ctrl+A, Delete on the shared action plan.
 * Only the guest's own notes go, on both pages; the team's notes and the status columns stay. A
 * team member who clicks a column's label and presses Delete, or Ctrl+A, Delete, or "Unlock all"
 * (Shift+L on the label) never removes a column
 * (`docs/server-rules.md` [R4], [R7]: the page follows the rules the server enforces, so the
 * guest's connection stays open).
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { addNoteWithKeyboard, canvasPoint, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()
let team: Page
let guest: Page

/** Opens the action plan with an invite link (links name the workshop; the board is in the path). */
async function openLink(link: string, name: string): Promise<Page> {
  const url = new URL(link)
  url.pathname += '/actions'
  const [person] = await openPeople(e2e.browser, url.toString(), [name]) // the link's own token is kept
  if (!person) throw new Error('openPeople returned no page')
  return person.page
}

const notes = (page: Page) => page.locator('.tl-shape[data-shape-type="note"]')
const columns = (page: Page) => page.locator('.tl-shape[data-shape-type="frame"]')

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint planning session' })
  team = await openLink(workshop.links.team, 'Tom Team')
  guest = await openLink(workshop.links.guest, 'Carla Customer')
  await Promise.all([waitForBoard(team), waitForBoard(guest)])
})

it("removes only the guest's own notes when the guest selects all and deletes", async () => {
  await addNoteWithKeyboard(team, 0.3, 0.45, 'Team: renewal risk')
  await addNoteWithKeyboard(team, 0.55, 0.6, 'Team: pricing review')
  await addNoteWithKeyboard(guest, 0.4, 0.7, 'Customer: pilot in Q3')
  await addNoteWithKeyboard(guest, 0.7, 0.5, 'Customer: single sign-on')
  for (const page of [team, guest]) {
    await expect.poll(() => notes(page).count(), { timeout: WAIT_MS }).toBe(4)
  }
  const columnCount = await columns(guest).count()
  expect(columnCount).toBe(4)

  // The canvas has focus since the guest's last note (written with the keyboard, then Escape).
  await guest.keyboard.press('Escape')
  await guest.keyboard.press('ControlOrMeta+a')
  await guest.keyboard.press('Delete')

  for (const page of [guest, team]) {
    await shapeWithText(page, 'note', 'Customer: pilot in Q3').waitFor({ state: 'detached', timeout: WAIT_MS })
    await shapeWithText(page, 'note', 'Customer: single sign-on').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await shapeWithText(page, 'note', 'Team: renewal risk').count()).toBe(1)
    expect(await shapeWithText(page, 'note', 'Team: pricing review').count()).toBe(1)
    expect(await columns(page).count()).toBe(columnCount)
  }
  await guest.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
})

it('keeps the columns when a team member deletes a column by its label, or everything', async () => {
  const heading = team.locator('.tl-shape[data-shape-type="frame"] .tl-frame-heading').first()
  const box = await heading.boundingBox()
  if (!box) throw new Error('The column label is not visible')
  await team.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  await team.keyboard.press('Shift+L')
  await team.keyboard.press('Delete')
  await team.keyboard.press('ControlOrMeta+a')
  await team.keyboard.press('Delete')
  for (const page of [team, guest]) {
    await expect.poll(() => notes(page).count(), { timeout: WAIT_MS }).toBe(0)
    expect(await columns(page).count()).toBe(4)
  }
  await team.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
})

it('deletes the guest\'s own notes after the guest reloaded the page: its key, not its user id, proves them its own [R7]', async () => {
  await addNoteWithKeyboard(guest, 0.45, 0.55, 'Customer: before reload')
  await addNoteWithKeyboard(team, 0.3, 0.45, 'Team: stays')
  await expect.poll(() => notes(team).count(), { timeout: WAIT_MS }).toBe(2)
  await guest.reload()
  await waitForBoard(guest)
  await expect.poll(() => notes(guest).count(), { timeout: WAIT_MS }).toBe(2)
  // Focus on the canvas, nothing selected (a click on an empty corner).
  const corner = await canvasPoint(guest, 0.98, 0.98)
  await guest.mouse.click(corner.x, corner.y)
  await guest.keyboard.press('Escape')
  await guest.keyboard.press('ControlOrMeta+a')
  await guest.keyboard.press('Delete')
  for (const page of [guest, team]) {
    await shapeWithText(page, 'note', 'Customer: before reload').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await shapeWithText(page, 'note', 'Team: stays').count()).toBe(1)
  }
  await guest.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
})

it("asks a guest about a large delete by what the guest's delete removes, not by the whole selection", async () => {
  // QA pass q26a: "Delete 10 shapes? They disappear for everyone…" when only the guest's 3 went.
  for (const [i, text] of ['Team: one', 'Team: two', 'Team: three', 'Team: four', 'Team: five', 'Team: six'].entries()) {
    await addNoteWithKeyboard(team, 0.2 + (i % 3) * 0.2, 0.4 + Math.floor(i / 3) * 0.2, text)
  }
  await addNoteWithKeyboard(guest, 0.85, 0.85, 'Customer: only mine')
  await expect.poll(() => notes(guest).count(), { timeout: WAIT_MS }).toBeGreaterThanOrEqual(7)
  const asked: string[] = []
  const onDialog = (dialog: { message(): string; accept(): Promise<void> }) => {
    asked.push(dialog.message())
    void dialog.accept()
  }
  guest.on('dialog', onDialog)
  try {
    await guest.keyboard.press('Escape')
    await guest.keyboard.press('ControlOrMeta+a')
    await guest.keyboard.press('Delete')
    await shapeWithText(team, 'note', 'Customer: only mine').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(asked).toEqual([])
    expect(await shapeWithText(guest, 'note', 'Team: six').count()).toBe(1)
  } finally {
    guest.off('dialog', onDialog)
  }
})
