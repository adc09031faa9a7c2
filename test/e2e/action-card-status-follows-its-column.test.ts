/**
 * Dragging action cards across the status columns (issue 12), with two people in real Chromium: a
 * card's status is always that of the column it sits in, also while a drag passes over one (the
 * other page sees the card there as the drag goes); dragged out of every column it has its status
 * from before the drag again; dropped into a column it snaps into that column's stack; dropped
 * outside every column, it goes back to its column with its status unchanged. The other page sees
 * the same.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { ActionCardShape, ActionStatus } from '../../shared/shapes.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { sidePanel, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('actions')
const TITLE = 'Renew the frame contract'

/** The action card titled {@link TITLE} as `page`'s store holds it. */
function card(page: Page): Promise<ActionCardShape | null> {
  return page.evaluate((title) => {
    const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
    return (found ?? null) as ActionCardShape | null
  }, TITLE)
}

/** Where a page point is on the screen of `page`. */
function toScreen(page: Page, point: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate((p) => window.testEditor.pageToScreen(p), point)
}

/** The middle of the card on the screen of `page`. */
async function cardMiddle(page: Page): Promise<{ x: number; y: number }> {
  const middle = await page.evaluate((title) => {
    const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
    const bounds = found && window.testEditor.getShapePageBounds(found)
    return bounds ? window.testEditor.pageToScreen(bounds.center) : null
  }, TITLE)
  if (!middle) throw new Error('the card is not on the page')
  return middle
}

/** The middle of a status column, on the screen of `page`. */
function columnMiddle(page: Page, status: ActionStatus) {
  const { x, y, w, h } = ACTION_COLUMNS[status].bounds
  return toScreen(page, { x: x + w / 2, y: y + h / 2 })
}

/** Whether the card sits centred in `status`'s column on `page`. */
async function isStackedIn(page: Page, status: ActionStatus): Promise<boolean> {
  const shape = await card(page)
  const column = ACTION_COLUMNS[status]
  return shape?.parentId === column.id && shape.props.status === status && Math.abs(shape.x - (column.bounds.w - shape.props.w) / 2) < 1
}

describe('dragging an action card across the status columns', () => {
  it('gives a Blocked card the status Done only while it is over Done, and Blocked again when dropped outside every column', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    const { page } = alice
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill(TITLE)
    await sidePanel(page).getByLabel('Status').selectOption({ label: 'Blocked' })
    await waitUntil(() => isStackedIn(bob.page, 'blocked'), 'B sees the card in Blocked')

    const start = await cardMiddle(page)
    const overDone = await columnMiddle(page, 'done')
    const doneBounds = ACTION_COLUMNS.done.bounds
    const belowDone = await toScreen(page, { x: doneBounds.x + doneBounds.w / 2, y: doneBounds.y + doneBounds.h + 30 })
    await page.mouse.move(start.x, start.y)
    await page.mouse.down()
    await page.mouse.move(overDone.x, overDone.y, { steps: 12 })
    await page.mouse.move(overDone.x + 5, overDone.y + 5, { steps: 2 })
    await waitUntil(async () => (await card(bob.page))?.parentId === ACTION_COLUMNS.done.id, 'B sees the card inside Done')
    expect((await card(page))?.props.status).toBe('done')
    expect((await card(bob.page))?.props.status).toBe('done')
    await page.mouse.move(belowDone.x, belowDone.y, { steps: 8 })
    // tldraw applies pointer moves on its next frame: wait for the last one to land.
    const pageId = await page.evaluate(() => window.testEditor.getCurrentPageId())
    await waitUntil(async () => (await card(page))?.parentId === pageId, 'the card out of every column')
    expect((await card(page))?.props.status).toBe('blocked')
    await page.mouse.up()

    for (const person of [alice, bob]) {
      await waitUntil(() => isStackedIn(person.page, 'blocked'), `${person.name} sees the card back in Blocked`)
    }
  })

  it('sets the status of the column the card is dropped into, and snaps it into the stack', async () => {
    const { alice, bob } = two
    const { page } = bob
    const start = await cardMiddle(page)
    const overDone = await columnMiddle(page, 'done')
    const overOpen = await columnMiddle(page, 'open')
    await page.mouse.move(start.x, start.y)
    await page.mouse.down()
    await page.mouse.move(overDone.x, overDone.y, { steps: 10 })
    await page.mouse.move(overDone.x - 5, overDone.y, { steps: 2 })
    await waitUntil(async () => (await card(page))?.parentId === ACTION_COLUMNS.done.id, 'the card over Done')
    expect((await card(page))?.props.status).toBe('done')
    // Dropped off-centre, low in the Open column.
    await page.mouse.move(overOpen.x + 37, overOpen.y + 120, { steps: 10 })
    await page.mouse.up()

    for (const person of [alice, bob]) {
      await waitUntil(() => isStackedIn(person.page, 'open'), `${person.name} sees the card stacked in Open`)
    }
    // Snapped to the top of the otherwise empty column.
    expect((await card(alice.page))?.y).toBe(16)
  })
})
