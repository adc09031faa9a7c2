/**
 * Issue 15 in real Chromium: on the objectives board, an action linked to an objective on the
 * action plan is drawn as a chip beside the objective card with an arrow to it; the chip follows
 * the card when someone moves it, and connectors come and go as links change on the action plan.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action, objective } from '../helpers/planBoards.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let page: Page
let objectives: BoardClient
let actions: BoardClient

const grow = (x: number) => objective('shape:o1', { x, y: 120 }, { objective: 'Grow tracking revenue', owner: 'Ada' })
const chip = (actionId: string) => page.locator(`.objective-connector[data-objective="shape:o1"][data-action="${actionId}"]`)

async function left(locator: ReturnType<typeof chip>): Promise<number> {
  const box = await locator.boundingBox()
  if (!box) throw new Error('the connector is not visible')
  return box.x
}

/** How many pixels of the connectors' colour (#1d3557) a screenshot of `locator`'s box shows. */
async function inkPixels(locator: ReturnType<typeof chip>): Promise<number> {
  const box = await locator.boundingBox()
  if (!box) throw new Error('the connector is not visible')
  const shot = await page.screenshot({ clip: box })
  return page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }))
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
    const context = canvas.getContext('2d')
    if (!context) return 0
    context.drawImage(bitmap, 0, 0)
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data
    let ink = 0
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs((data[i] ?? 0) - 0x1d) < 70 && Math.abs((data[i + 1] ?? 0) - 0x35) < 70 && Math.abs((data[i + 2] ?? 0) - 0x57) < 70) ink++
    }
    return ink
  }, [...shot])
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  objectives = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  actions = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await objectives.write([grow(100)])
  await actions.write([
    action('shape:a1', { x: 20, y: 100 }, { title: 'Pilot with Ops', objectives: ['shape:o1'] }),
    action('shape:a2', { x: 20, y: 400 }, { title: 'Book the QBR' }),
  ])
  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/objectives`, ['Dana'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
  await waitForBoard(page)
  await shapeWithText(page, 'objective', 'Grow tracking revenue').waitFor({ timeout: WAIT_MS })
})

afterAll(() => {
  objectives?.destroy()
  actions?.destroy()
})

describe('objective connectors on the objectives board', () => {
  it('draws the linked action beside its objective, with an arrow, and not the unlinked one', async () => {
    await chip('shape:a1').waitFor({ timeout: WAIT_MS })
    expect(await chip('shape:a1').textContent()).toBe('Pilot with Ops')
    expect(await page.locator('.objective-connectors line').count()).toBe(1)
    expect(await chip('shape:a2').count()).toBe(0)
    const card = await shapeWithText(page, 'objective', 'Grow tracking revenue').boundingBox()
    expect(await left(chip('shape:a1'))).toBeGreaterThan((card?.x ?? 0) + (card?.width ?? 0))
    // Seen, not only laid out: the chip's ink (#1d3557) is on the screen, not covered by the template's frame.
    expect(await inkPixels(chip('shape:a1'))).toBeGreaterThan(5)
  })

  it('follows the objective card when someone else moves it', async () => {
    const before = await left(chip('shape:a1'))
    await objectives.write([grow(700)])
    await expect.poll(() => left(chip('shape:a1')), { timeout: WAIT_MS }).toBeGreaterThan(before + 100)
  })

  it('adds and removes connectors as links change on the action plan', async () => {
    await actions.write([action('shape:a2', { x: 20, y: 400 }, { title: 'Book the QBR', objectives: ['shape:o1'] })])
    await chip('shape:a2').waitFor({ timeout: WAIT_MS })
    await actions.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Pilot with Ops', objectives: [] })])
    await chip('shape:a1').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await page.locator('.objective-connectors line').count()).toBe(1)
  })
})
