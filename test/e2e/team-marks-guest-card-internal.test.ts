/**
 * QA qa2 s9 in Chromium ([A35], [R5]): a guest adds a stakeholder card on a customer-facing map, a
 * team member selects it and presses Alt+I. The card becomes internal on the team's page (the lock
 * and hatched edge), leaves the guest's page, and is still there, internal, after the team reloads.
 * Before the fix, the internal write was refused ("names another creator") and the card was gone
 * for everyone.
 *
 * A guest typing into such a card's field when it goes is told the card was removed (it cannot
 * tell a delete from the team making it internal), not that it was deleted, and keeps the text.
 */
import { expect, it } from 'vitest'
import type { TLShapeId } from 'tldraw'
import { canvasPoint, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpGuestAndTeamOnBoard('stakeholders')
const NAME = 'Gus Guestmade'

it("a team member's Alt+I on a guest's card makes it internal, gone only for the guest [A35] [R5]", async () => {
  const { guest, team } = e2e
  await guest.getByRole('button', { name: 'Add stakeholder' }).click()
  await guest.getByRole('complementary', { name: 'Board details' }).getByLabel('Name', { exact: true }).fill(NAME)
  await guest.keyboard.press('Escape')
  const card = shapeWithText(team, 'stakeholder', NAME)
  await card.waitFor({ timeout: WAIT_MS })
  const id = await card.getAttribute('data-shape-id')
  const box = await card.boundingBox()
  if (!box) throw new Error('the card has no box')
  await team.mouse.click(box.x + box.width / 2, box.y + 15)
  await team.keyboard.press('Alt+i')

  await team.locator(`.keyplan-internal-marker[data-shape-id="${id}"]`).waitFor({ timeout: WAIT_MS })
  await shapeWithText(guest, 'stakeholder', NAME).waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await team.getByText('was not allowed').count()).toBe(0)

  await team.reload()
  await waitForBoard(team)
  await team.locator(`.keyplan-internal-marker[data-shape-id="${id}"]`).waitFor({ timeout: WAIT_MS })
  expect(await shapeWithText(team, 'stakeholder', NAME).count()).toBe(1)
})

it('tells a guest typing into the card that Tina removed it (not deleted), and keeps the text typed', async () => {
  const { guest, team } = e2e
  await guest.getByRole('button', { name: 'Add stakeholder' }).click()
  const name = sidePanel(guest).getByLabel('Name', { exact: true })
  await name.fill('Gia Typing') // the focus stays in the field
  const card = shapeWithText(team, 'stakeholder', 'Gia Typing')
  await card.waitFor({ timeout: WAIT_MS })
  const id = await card.getAttribute('data-shape-id')
  // Selected by id: the guest's page, without the first case's internal card, put this one on the
  // same spot, so a click on the team's page may take either.
  const empty = await canvasPoint(team, 0.1, 0.9)
  await team.mouse.click(empty.x, empty.y) // the canvas has the keyboard
  await exposeEditor(team)
  await team.evaluate((shapeId) => {
    window.testEditor.select(shapeId as TLShapeId)
  }, id)
  // The guest's page names who removed the card from the peers it saw selecting it.
  await exposeEditor(guest)
  await guest.waitForFunction(
    (shapeId) => window.testEditor.store.query.records('instance_presence').get().some((presence) => presence.selectedShapeIds.includes(shapeId as TLShapeId)),
    id,
    { timeout: WAIT_MS },
  )
  await team.keyboard.press('Alt+i')
  await team.locator(`.keyplan-internal-marker[data-shape-id="${id}"]`).waitFor({ timeout: WAIT_MS })

  const notice = sidePanel(guest).getByRole('alert').filter({ hasText: 'Tina Team removed this card while you were typing' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.textContent()).not.toContain('deleted')
  expect(await notice.getByRole('textbox', { name: 'Your text in Name' }).inputValue()).toBe('Gia Typing')
})

it("the guest's legend lists only the line kinds the guest receives; the team's lists them all (QA q27a)", async () => {
  const { guest, team } = e2e
  // Conflict and ally lines are internal by default: naming them told the customer the team tracks them.
  const legend = (page: typeof guest) => page.getByRole('region', { name: 'Relationships' }).getByRole('listitem')
  await legend(team).first().waitFor({ timeout: WAIT_MS })
  expect(await legend(team).allTextContents()).toEqual(['Reports to', 'Influences', 'Conflict', 'Ally'])
  expect(await legend(guest).allTextContents()).toEqual(['Reports to'])
  await team.getByRole('button', { name: 'View as customer' }).click()
  await expect.poll(() => legend(team).allTextContents(), { timeout: WAIT_MS }).toEqual(['Reports to'])
  await team.getByRole('button', { name: 'Back to the team view' }).click()
})
