/**
 * Issue 11 in real Chromium ([H1]–[H4]): a team member selects six notes and presses Delete; the
 * page asks first (more than five shapes), and declining keeps them; so do Ctrl+X and an eraser
 * stroke across them (QA q28b). Confirmed, they vanish for
 * the facilitator too, whose History panel then names the team member and what they deleted;
 * Revert brings the notes back on the team member's page.
 */
import type { Page } from 'playwright-core'
import type { TLShapeId } from 'tldraw'
import { beforeAll, describe, expect, it } from 'vitest'
import { SWOT_FRAMES } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { arrow, arrowBinding, note } from '../helpers/planBoards.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let team: Page
let facilitator: Page
const TEXTS = ['Brand trust', 'Service team', 'Local presence', 'Fast onboarding', 'Price stability', 'Data quality']

/** How many of the six notes the page shows. */
function shownNotes(page: Page): Promise<number> {
  return page.locator('.tl-shape[data-shape-type="note"]', { hasText: /Brand trust|Service team|Local presence|Fast onboarding|Price stability|Data quality/ }).count()
}

async function waitForNotes(page: Page, count: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while ((await shownNotes(page)) !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} notes, the page shows ${await shownNotes(page)}`)
    await page.waitForTimeout(100)
  }
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  // Six notes in the Strengths quadrant, written by another participant before the pages open.
  const parentId = SWOT_FRAMES.strengths.id
  const seeder = await openBoard(e2e.server, workshop.id, 'swot', 'Sam Seeder')
  await seeder.write(TEXTS.map((text, i) => note(`shape:e2e-${i}`, { x: 50 + (i % 3) * 300, y: 100 + Math.floor(i / 3) * 300, parentId }, text)))
  // A line from the first note to the fourth (below it), off the eraser's path: bound at both ends.
  await seeder.write([arrow('shape:e2e-line', { x: 150, y: 310, parentId }), arrowBinding('shape:e2e-line', 'shape:e2e-0', 'start'), arrowBinding('shape:e2e-line', 'shape:e2e-3', 'end')])
  seeder.destroy()
  const boardUrl = `${e2e.server.url}/w/${workshop.id}/swot`
  const [tom] = await openPeople(e2e.browser, `${boardUrl}?token=${workshop.tokens.team}`, ['Tom Weber'])
  const [fiona] = await openPeople(e2e.browser, boardUrl, ['Fiona Facilitator'])
  if (!tom || !fiona) throw new Error('openPeople returned no page')
  team = tom.page
  facilitator = fiona.page
  await Promise.all([waitForBoard(team), waitForBoard(facilitator)])
  await Promise.all([waitForNotes(team, 6), waitForNotes(facilitator, 6)])
})

describe('a team member wipes notes; the facilitator reverts it from History', () => {
  it('asks before deleting more than five shapes, and keeps them when declined', async () => {
    await team.keyboard.down('Shift')
    for (const text of TEXTS) await clickShape(team, shapeWithText(team, 'note', text))
    await team.keyboard.up('Shift')
    const asked: string[] = []
    team.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await team.keyboard.press('Delete')
    expect(asked).toHaveLength(1)
    expect(asked[0]).toContain('Delete 6 shapes?')
    expect(await shownNotes(team)).toBe(6)

    // QA q28b: Ctrl+X (the browser's own cut event) and an eraser stroke went without a question.
    team.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await team.keyboard.press('Control+x')
    await expect.poll(() => asked.length, { timeout: WAIT_MS }).toBe(2)
    expect(asked[1]).toContain('Cut 6 shapes?')
    expect(await shownNotes(team)).toBe(6)

    await exposeEditor(team)
    const path = await team.evaluate(() =>
      [
        { x: 150, y: 200 },
        { x: 750, y: 200 },
        { x: 750, y: 500 },
        { x: 150, y: 500 },
      ].map((point) => window.testEditor.pageToScreen(point)),
    )
    team.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await team.keyboard.press('e') // the eraser
    const [start, ...rest] = path
    if (!start) throw new Error('no path')
    await team.mouse.move(start.x, start.y)
    await team.mouse.down()
    for (const point of rest) await team.mouse.move(point.x, point.y, { steps: 10 })
    await team.mouse.up()
    await expect.poll(() => asked.length, { timeout: WAIT_MS }).toBe(3)
    expect(asked[2]).toContain('Erase 6 shapes?')
    await team.keyboard.press('v')
    expect(await shownNotes(team)).toBe(6)
    expect(await shownNotes(facilitator)).toBe(6)
    // Declined, nothing of the stroke happened: the line to the erased notes is still bound at both ends (review).
    expect(await team.evaluate(() => window.testEditor.getBindingsFromShape('shape:e2e-line' as TLShapeId, 'arrow').length)).toBe(2)
    // The line goes (the facilitator's change, apart from Tom's), so the next cases concern notes alone.
    await exposeEditor(facilitator)
    await facilitator.evaluate(() => {
      window.testEditor.deleteShapes(['shape:e2e-line' as TLShapeId])
    })
    await team.waitForFunction(() => window.testEditor.getShape('shape:e2e-line' as TLShapeId) === undefined, undefined, { timeout: WAIT_MS })
    // Selected again for the next case (the eraser left nothing selected).
    await team.evaluate((count) => {
      window.testEditor.select(...Array.from({ length: count }, (_, i) => `shape:e2e-${i}` as TLShapeId))
    }, TEXTS.length)
  })

  it('deletes them for everyone once confirmed', async () => {
    team.once('dialog', (dialog) => void dialog.accept())
    await team.keyboard.press('Delete')
    await waitForNotes(team, 0)
    await waitForNotes(facilitator, 0)
  })

  it('shows the wipe in the facilitator\'s History, and Revert brings the notes back on the team member\'s page', async () => {
    await facilitator.getByRole('button', { name: 'History' }).click()
    const panel = facilitator.getByRole('dialog', { name: 'History of the SWOT board' })
    const revert = panel.getByRole('button', { name: 'Revert: Tom Weber deleted 6 notes' })
    await revert.waitFor({ timeout: WAIT_MS })
    await revert.click()
    await panel.getByRole('status').filter({ hasText: 'Reverted 6 items.' }).waitFor({ timeout: WAIT_MS })
    // The button keeps the focus through the revert (disabled meanwhile, it dropped it to the page).
    expect(await revert.evaluate((element) => element === document.activeElement)).toBe(true)
    await waitForNotes(team, 6)
    await waitForNotes(facilitator, 6)
    // The revert is itself a change in the list, newest first, credited to who asked ([H3]).
    await panel.getByRole('button', { name: /^Revert: Fiona Facilitator reverted a change \(added 6 notes\)/ }).waitFor({ timeout: WAIT_MS })
  })
})
