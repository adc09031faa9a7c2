/**
 * A teammate's move of many shapes re-derives nothing in the team's canvas layers that draw over
 * some shapes only (issue 14): the internal markers (issue 13) and the objective connectors (issue
 * 15) read the shapes they draw from tldraw's query of the shapes they pick, not from every shape
 * of the page, which re-derived them (and had tldraw rebuild its list of every shape) on each
 * change of any shape. The markers still follow the shapes they mark. Behaviour only: nothing here
 * is timed.
 */
import type { Page } from 'playwright-core'
import type { TLShapeId } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { geo } from '../helpers/planBoards.ts'

declare global {
  interface Window {
    /** Calls of the editor's `getCurrentPageShapes` since the test started counting. */
    pageShapeReads: number
  }
}

const e2e = setUpBrowserTest()
let page: Page
let teammate: BoardClient

const SECRET: string = 'shape:e2esecret'
const boxes = (dx: number) => Array.from({ length: 200 }, (_, i) => geo(`shape:e2emoved${i}`, { x: 3_000 + (i % 20) * 220 + dx, y: 3_000 + Math.floor(i / 20) * 170 }, 200, 150, `Box ${i}`))
const marker = () => page.locator(`.keyplan-internal-marker[data-shape-id="${SECRET}"]`)

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  // The objectives board: the team's page there draws both layers.
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/objectives`, ['Vera Viewer'])
  if (!person) throw new Error('openPeople opened no page')
  page = person.page
  await waitForBoard(page)
  await exposeEditor(page)
  teammate = await openBoard(e2e.server, workshop.id, 'objectives', 'Tom Teammate')
})

afterAll(() => {
  teammate?.destroy()
})

describe('a teammate moving many shapes', () => {
  it('does not re-derive the internal markers or objective connectors from every shape', async () => {
    await page.evaluate(
      ({ id, key }) => {
        const meta: Record<string, boolean> = { [key]: true }
        window.testEditor.createShape({ id: id as TLShapeId, type: 'geo', x: 200, y: 200, props: { w: 160, h: 100 }, meta })
      },
      { id: SECRET, key: INTERNAL_META_KEY },
    )
    await marker().waitFor({ timeout: WAIT_MS })
    const placed = boxes(0)
    await teammate.write(placed)
    await page.waitForFunction((ids) => ids.every((id) => window.testEditor.store.has(id as TLShapeId)), placed.map((s): string => s.id), { timeout: WAIT_MS })

    await page.evaluate(() => {
      const editor = window.testEditor
      const read = editor.getCurrentPageShapes.bind(editor)
      window.pageShapeReads = 0
      editor.getCurrentPageShapes = () => {
        window.pageShapeReads++
        return read()
      }
    })
    const moved = boxes(15)
    await teammate.write(moved)
    await page.waitForFunction(
      (xs) => xs.every(([id, x]) => (window.testEditor.store.get(id as TLShapeId) as { x?: number } | undefined)?.x === x),
      moved.map((s): [string, number] => [s.id, s.x]),
      { timeout: WAIT_MS },
    )
    // Two frames: whatever reacts to the move has run.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    expect(await page.evaluate(() => window.pageShapeReads)).toBe(0)

    // The marker still follows the shape it marks.
    const before = await marker().getAttribute('style')
    await page.evaluate((id) => {
      window.testEditor.updateShape({ id: id as TLShapeId, type: 'geo', x: 500, y: 260 })
    }, SECRET)
    await page.waitForFunction((style) => document.querySelector('.keyplan-internal-marker')?.getAttribute('style') !== style, before, { timeout: WAIT_MS })
    expect(await marker().getAttribute('style')).toContain('translate(496px, 256px)')
  })
})
