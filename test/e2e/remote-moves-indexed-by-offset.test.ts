/**
 * A teammate's move of shapes this page does not show is taken into tldraw's spatial index by
 * shifting each shape's indexed bounds (issue 14: the `movedShapesIndexedByOffset` build plugin,
 * `client/board/movedShapeBounds.ts`): no page bounds are derived for the hidden shapes, the index
 * has each at its new place (a point only the new bounds hold finds it, one only the old bounds
 * held does not), and a shape moved into view is shown there. Behaviour only: nothing here is timed.
 */
import type { Page } from 'playwright-core'
import type { TLShapeId } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { geo } from '../helpers/planBoards.ts'

declare global {
  interface Window {
    /** Ids whose page bounds were asked for since the test started counting. */
    boundsAskedFor: string[]
  }
}

const e2e = setUpBrowserTest()
let page: Page
let teammate: BoardClient

const boxes = (dx: number, dy: number) => Array.from({ length: 100 }, (_, i) => geo(`shape:e2eoffset${i}`, { x: 4_000 + (i % 10) * 220 + dx, y: 4_000 + Math.floor(i / 10) * 170 + dy }, 200, 150, `Box ${i}`))

/** Waits until the page's store has every shape of `shapes` where they are. */
const arrived = (shapes: ReturnType<typeof boxes>) =>
  page.waitForFunction(
    (xs) => xs.every(([id, x]) => (window.testEditor.store.get(id as TLShapeId) as { x?: number } | undefined)?.x === x),
    shapes.map((s): [string, number] => [s.id, s.x]),
    { timeout: WAIT_MS },
  )

/** The ids the spatial index finds at page point (x, y). */
const indexedAt = (x: number, y: number) =>
  page.evaluate(({ px, py }) => [...window.testEditor.getShapeIdsInsideBounds({ minX: px, minY: py, maxX: px + 1, maxY: py + 1 } as never)].map(String), { px: x, py: y }) // the search reads a Box's min and max only

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Vera Viewer'])
  if (!person) throw new Error('openPeople opened no page')
  page = person.page
  await waitForBoard(page)
  await exposeEditor(page)
  await page.evaluate(() => {
    window.testEditor.setCamera({ x: 0, y: 0, z: 1 }) // returns the editor, which cannot come back to Node
  })
  teammate = await openBoard(e2e.server, workshop.id, 'swot', 'Tom Teammate')
})

afterAll(() => {
  teammate?.destroy()
})

describe('a teammate moving shapes off screen', () => {
  it('shifts them in the spatial index without deriving their page bounds', async () => {
    await teammate.write(boxes(0, 0))
    await arrived(boxes(0, 0))
    await page.evaluate(() => {
      const editor = window.testEditor
      const ask = editor.getShapePageBounds.bind(editor)
      window.boundsAskedFor = []
      editor.getShapePageBounds = (shape) => {
        window.boundsAskedFor.push(String(typeof shape === 'string' ? shape : shape.id))
        return ask(shape)
      }
    })

    await teammate.write(boxes(15, 10))
    await arrived(boxes(15, 10))
    // Two frames: whatever reacts to the move has run.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    const asked = await page.evaluate(() => window.boundsAskedFor.filter((id) => id.startsWith('shape:e2eoffset')))
    expect(asked).toEqual([])

    // Box 0 was at (4000, 4000)–(4200, 4150), now at (4015, 4010)–(4215, 4160).
    expect(await indexedAt(4_210, 4_155)).toContain('shape:e2eoffset0')
    expect(await indexedAt(4_005, 4_005)).not.toContain('shape:e2eoffset0')
    // Indexed where tldraw derives it to be.
    const bounds = await page.evaluate(() => {
      const b = window.testEditor.getShapePageBounds('shape:e2eoffset0' as TLShapeId)
      return b && [b.minX, b.minY, b.maxX, b.maxY]
    })
    expect(bounds).toEqual([4_015, 4_010, 4_215, 4_160])

    // Moved into view: shown there.
    const inView = boxes(-3_800, -3_800)
    await teammate.write(inView)
    await arrived(inView)
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.tl-shape[data-shape-id="shape:e2eoffset0"]')?.style.display === 'block', undefined, { timeout: WAIT_MS })
    expect(await indexedAt(205, 205)).toContain('shape:e2eoffset0')
  })
})
