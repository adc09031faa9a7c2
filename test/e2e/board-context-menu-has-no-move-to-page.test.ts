/**
 * QA pass q29d: tldraw's context menu offered "Move to page › New page". The board is one page (its
 * page menu is hidden), so the card went to a hidden page nobody could reach, its relationship
 * lines were deleted, and the plan still listed it. The board now runs tldraw in single-page mode:
 * the right-click menu of a note offers no "Move to page" (and the server refuses a second page, [R4]).
 */
import { expect, it } from 'vitest'
import { addNoteWithKeyboard, shapeWithText, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'

const e2e = setUpGuestAndTeamOnBoard('swot')

it("a note's right-click menu offers its actions but no 'Move to page'", async () => {
  const { team } = e2e
  await addNoteWithKeyboard(team, 0.3, 0.3, 'Digital twin pilot')
  await team.keyboard.press('Escape')
  const note = shapeWithText(team, 'note', 'Digital twin pilot')
  const box = await note.boundingBox()
  if (!box) throw new Error('no note')
  await team.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' })
  const menu = team.locator('.tlui-menu')
  // The menu is the one with the note's own actions (the menu shows, and "Mark internal" is in it).
  await menu.getByRole('menuitem', { name: /internal/i }).first().waitFor({ timeout: WAIT_MS })
  expect(await menu.getByText('Move to page').count()).toBe(0)
  expect(await team.evaluate(() => document.querySelectorAll('[data-testid="context-menu-sub-trigger.move-to-page"]').length)).toBe(0)
})
