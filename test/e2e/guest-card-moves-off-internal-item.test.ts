/**
 * QA q27a in Chromium: a guest's page never holds the team's internal items, so the guest's new
 * action went right under the last card the guest could see, which was where the team's internal
 * action sat: on the team's page the guest's card covered it. A team page now moves a guest's new
 * card off an internal item (to the bottom of its column), and the guest's page follows.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import type { ActionCardShape } from '../../shared/shapes.ts'
import { sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpGuestAndTeamOnBoard('actions')

/** The page bounds of the action titled `title` on `page`, with its parent and whether it is internal. */
function actionBox(page: Page, title: string) {
  return page.evaluate((wanted) => {
    const editor = window.testEditor
    const shape = editor.getCurrentPageShapes().find((s) => s.type === 'action' && (s as ActionCardShape).props.title === wanted)
    const box = shape && editor.getShapePageBounds(shape)
    return shape && box ? { x: box.x, y: box.y, w: box.w, h: box.h, parentId: shape.parentId, internal: shape.meta.keyplanInternal === true } : null
  }, title)
}

type Box = NonNullable<Awaited<ReturnType<typeof actionBox>>>

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

it("moves a guest's new action off the team's internal one, on both pages (QA q27a)", async () => {
  const { guest, team } = e2e
  await Promise.all([exposeEditor(guest), exposeEditor(team)])
  await team.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(team).getByLabel('Title').fill('Our margin floor')
  await team.keyboard.press('Escape') // to the canvas, the card still selected
  await team.keyboard.press('Alt+i')
  await expect.poll(async () => (await actionBox(team, 'Our margin floor'))?.internal, { timeout: WAIT_MS }).toBe(true)
  // An internal action from earlier: not one this page has just added (two new cards on one spot
  // have their own rule, and there this page might move its own).
  await team.reload()
  await waitForBoard(team)
  await exposeEditor(team)

  await guest.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(guest).getByLabel('Title').fill('Pilot in the Rotterdam hub')
  await guest.keyboard.press('Escape')

  const theirs = async () => {
    const [mine, guests] = await Promise.all([actionBox(team, 'Our margin floor'), actionBox(team, 'Pilot in the Rotterdam hub')])
    return mine && guests ? { covered: overlap(mine, guests), sameColumn: mine.parentId === guests.parentId, below: guests.y > mine.y } : null
  }
  await expect.poll(theirs, { timeout: WAIT_MS }).toEqual({ covered: false, sameColumn: true, below: true })
  // The guest's page has the card where the team's page put it.
  const onTeam = await actionBox(team, 'Pilot in the Rotterdam hub')
  await expect.poll(async () => (await actionBox(guest, 'Pilot in the Rotterdam hub'))?.y, { timeout: WAIT_MS }).toBe(onTeam?.y)
  expect(await actionBox(guest, 'Our margin floor')).toBeNull()
})
