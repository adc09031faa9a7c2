/**
 * QA pass q27a: with two action cards selected in different status columns, dragging one of them
 * down inside its own column moved the other into that column too, with its status, for
 * everyone: tldraw puts every dragged shape into the frame under the pointer. In real Chromium,
 * with two people: cards dragged together each land in the column their centre is over, and a
 * card whose centre is over no column goes back to its own.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ActionCardShape } from '../../shared/shapes.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { action } from '../helpers/planBoards.ts'

const two = setUpTwoPeopleOnBoard('actions')
const W = 300

beforeAll(async () => {
  await Promise.all([exposeEditor(two.alice.page), exposeEditor(two.bob.page)])
  const board = await openBoard(two.server, two.workshop.id, 'actions', 'Ada')
  const x = (ACTION_COLUMNS.open.bounds.w - W) / 2
  await board.write([
    action('shape:arch', { x, y: 40, parentId: ACTION_COLUMNS.open.id }, { w: W, title: 'Architecture workshop', status: 'open' }),
    action('shape:usage', { x, y: 40, parentId: ACTION_COLUMNS.in_progress.id }, { w: W, title: 'Customer: share usage data', status: 'in_progress' }),
  ])
  board.destroy()
  await waitUntil(async () => (await where(two.alice.page, 'shape:usage')) !== null, 'Alice has both cards')
})

/** The card's column and status on `page`. */
function where(page: Page, id: string): Promise<{ parentId: string; status: string } | null> {
  return page.evaluate((cardId) => {
    const card = window.testEditor.getShape(cardId as ActionCardShape['id']) as ActionCardShape | undefined
    return card ? { parentId: String(card.parentId), status: card.props.status } : null
  }, id)
}

/** Drags both cards by their first's middle, `by` page units. */
async function dragBoth(page: Page, by: { x: number; y: number }): Promise<void> {
  const { from, to } = await page.evaluate((offset) => {
    const editor = window.testEditor
    editor.select('shape:arch' as ActionCardShape['id'], 'shape:usage' as ActionCardShape['id'])
    const centre = editor.getShapePageBounds('shape:arch' as ActionCardShape['id'])?.center
    if (!centre) throw new Error('no card')
    return { from: editor.pageToScreen(centre), to: editor.pageToScreen({ x: centre.x + offset.x, y: centre.y + offset.y }) }
  }, by)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(to.x, to.y, { steps: 12 })
  await page.mouse.move(to.x + 1, to.y + 1, { steps: 2 })
  await page.mouse.up()
}

describe('action cards dragged together', () => {
  it('moved down inside their columns, keep each its own column and status', async () => {
    const { alice, bob } = two
    await dragBoth(alice.page, { x: 0, y: 120 })
    for (const page of [alice.page, bob.page]) {
      await waitUntil(async () => (await where(page, 'shape:arch'))?.parentId === ACTION_COLUMNS.open.id, 'the dragged card stays in Open')
      expect(await where(page, 'shape:usage')).toEqual({ parentId: ACTION_COLUMNS.in_progress.id, status: 'in_progress' })
      expect(await where(page, 'shape:arch')).toEqual({ parentId: ACTION_COLUMNS.open.id, status: 'open' })
    }
  })

  it('moved one column to the right, each lands in the column its centre is over', async () => {
    const { alice, bob } = two
    const step = ACTION_COLUMNS.in_progress.bounds.x - ACTION_COLUMNS.open.bounds.x
    await dragBoth(alice.page, { x: step, y: 0 })
    // The columns read Open, In progress, Done, Blocked from left to right.
    for (const page of [alice.page, bob.page]) {
      await waitUntil(async () => (await where(page, 'shape:usage'))?.status === 'done', 'the second card lands in Done')
      expect(await where(page, 'shape:arch')).toEqual({ parentId: ACTION_COLUMNS.in_progress.id, status: 'in_progress' })
      expect(await where(page, 'shape:usage')).toEqual({ parentId: ACTION_COLUMNS.done.id, status: 'done' })
    }
  })
})
