/**
 * A teammate's change of a shape this page does not show (off screen, so tldraw culls it) does not
 * re-place its hidden element; the element is placed where the shape is once it is shown, by the
 * camera or by a move into view (issue 14: the `culledShapesPlacedWhenShown` build plugin,
 * `client/board/culledShapePlacement.ts`; placing 1,000 hidden elements was about half of tldraw's
 * reaction to a remote move of 1,000 shapes). A shape in view is placed at once, as before.
 * Behaviour only: nothing here is timed.
 */
import type { TLShapeId } from 'tldraw'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('swot')
const HIDDEN = 'shape:e2ehidden1'
const HIDDEN_TOO = 'shape:e2ehidden2'
const SHOWN = 'shape:e2eshown1'

/** The shape's element on `page`: its inline transform and display. */
const element = (page: Page, id: string) =>
  page.evaluate((shapeId) => {
    const el = document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${shapeId}"]`)
    return { transform: el?.style.transform ?? null, display: el?.style.display ?? null }
  }, id)

/** Alice moves `id` to (x, y); returns once Bob's store has it there. */
async function aliceMoves(id: string, x: number, y: number): Promise<void> {
  await two.alice.page.evaluate(({ id: shapeId, x: toX, y: toY }) => {
    window.testEditor.updateShape({ id: shapeId as TLShapeId, type: 'geo', x: toX, y: toY })
  }, { id, x, y })
  await two.bob.page.waitForFunction(
    ({ id: shapeId, x: toX }) => window.testEditor.store.get(shapeId as TLShapeId)?.x === toX,
    { id, x },
    { timeout: WAIT_MS },
  )
}

describe('remote moves of shapes off screen', () => {
  it('leave the hidden element alone and place it once the shape is shown', async () => {
    const { alice, bob } = two
    await exposeEditor(alice.page)
    await exposeEditor(bob.page)
    await bob.page.evaluate(() => {
      window.testEditor.setCamera({ x: 0, y: 0, z: 1 }) // returns the editor, which cannot come back to Node
    })
    await alice.page.evaluate(
      ({ hidden, hiddenToo, shown }) => {
        window.testEditor.createShapes([
          { id: hidden as TLShapeId, type: 'geo', x: 6_000, y: 6_000, props: { w: 200, h: 120 } },
          { id: hiddenToo as TLShapeId, type: 'geo', x: 6_000, y: 6_400, props: { w: 200, h: 120 } },
          { id: shown as TLShapeId, type: 'geo', x: 100, y: 100, props: { w: 200, h: 120 } },
        ])
      },
      { hidden: HIDDEN, hiddenToo: HIDDEN_TOO, shown: SHOWN },
    )
    await bob.page.waitForFunction(
      (ids) => ids.every((id) => document.querySelector(`.tl-shape[data-shape-id="${id}"]`) !== null),
      [HIDDEN, HIDDEN_TOO, SHOWN],
      { timeout: WAIT_MS },
    )
    const hiddenBefore = await element(bob.page, HIDDEN)
    expect(hiddenBefore.display).toBe('none')

    // Moved while hidden: Bob's element keeps what it had.
    await aliceMoves(HIDDEN, 6_300, 6_100)
    await aliceMoves(SHOWN, 150, 130)
    expect(await element(bob.page, HIDDEN)).toEqual(hiddenBefore)
    // A shape in view is placed at once.
    expect((await element(bob.page, SHOWN)).transform).toBe('matrix(1, 0, 0, 1, 150, 130)')

    // Shown by the camera: placed where the shape is now.
    await bob.page.evaluate(() => {
      window.testEditor.setCamera({ x: -6_000, y: -5_900, z: 1 })
    })
    await bob.page.waitForFunction((id) => document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${id}"]`)?.style.display === 'block', HIDDEN, { timeout: WAIT_MS })
    expect(await element(bob.page, HIDDEN)).toEqual({ transform: 'matrix(1, 0, 0, 1, 6300, 6100)', display: 'block' })

    // Shown by a teammate's move into view: placed there.
    await bob.page.evaluate(() => {
      window.testEditor.setCamera({ x: 0, y: 0, z: 1 })
    })
    await aliceMoves(HIDDEN_TOO, 400, 300)
    expect(await element(bob.page, HIDDEN_TOO)).toEqual({ transform: 'matrix(1, 0, 0, 1, 400, 300)', display: 'block' })
  })
})
