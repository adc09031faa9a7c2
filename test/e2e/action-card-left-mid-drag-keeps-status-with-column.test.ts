/**
 * A page that goes away in the middle of dragging an action card (reloaded, closed, its connection
 * lost) never leaves the card in one status column with another column's status: everyone, that
 * page after its reload included, sees the card's status agree with the column it sits in. The
 * drag's moves reach the others as they happen, so each of them must already be whole: a card
 * that enters a column takes that column's status in the same change.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { ActionCardShape, ActionStatus } from '../../shared/shapes.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { sidePanel, waitForBoard, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('actions')
const TITLE = 'Book the steering committee'

/** The action card titled {@link TITLE} as `page`'s store holds it. */
function card(page: Page): Promise<ActionCardShape | null> {
  return page.evaluate((title) => {
    const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
    return (found ?? null) as ActionCardShape | null
  }, TITLE)
}

/** The status of the column the card sits in on `page`, or null when it is in none. */
async function columnStatus(page: Page): Promise<ActionStatus | null> {
  const shape = await card(page)
  const entry = Object.entries(ACTION_COLUMNS).find(([, column]) => column.id === shape?.parentId)
  return (entry?.[0] ?? null) as ActionStatus | null // keys of ACTION_COLUMNS are statuses
}

describe('a page that goes away in the middle of dragging an action card', () => {
  it('leaves the card with the status of the column it sits in, for everyone', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    const { page } = alice
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill(TITLE)
    await waitUntil(async () => (await card(bob.page))?.props.title === TITLE, 'B sees the new card')
    expect(await columnStatus(bob.page)).toBe('open')

    const start = await page.evaluate((title) => {
      const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
      const bounds = found && window.testEditor.getShapePageBounds(found)
      return bounds ? window.testEditor.pageToScreen(bounds.center) : null
    }, TITLE)
    if (!start) throw new Error('the card is not on the page')
    const { x, y, w, h } = ACTION_COLUMNS.done.bounds
    const overDone = await page.evaluate((p) => window.testEditor.pageToScreen(p), { x: x + w / 2, y: y + h / 2 })
    await page.mouse.move(start.x, start.y)
    await page.mouse.down()
    await page.mouse.move(overDone.x, overDone.y, { steps: 12 })
    await page.mouse.move(overDone.x + 5, overDone.y + 5, { steps: 2 })
    await waitUntil(async () => (await columnStatus(bob.page)) === 'done', 'B sees the dragged card inside Done')

    // No mouse up: the page reloads in the middle of the drag.
    await page.reload()
    await waitForBoard(page)
    await exposeEditor(page)
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await card(person.page)) !== null, `${person.name} has the card`)
      const shape = await card(person.page)
      expect({ who: person.name, column: await columnStatus(person.page) }).toEqual({ who: person.name, column: shape?.props.status })
    }
  })
})
