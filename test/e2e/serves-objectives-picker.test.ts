/**
 * The action card's "Serves objectives" picker in real Chromium ([P11]): each objective is one
 * line, its box beside its label (not a full-width box on a line of its own above a detached
 * label), and ticking it links the action for everyone.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { action, objective } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
let page: Page
let objectives: BoardClient
let actions: BoardClient

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  objectives = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  actions = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await objectives.write([
    objective('shape:o1', { x: 100, y: 120 }, { objective: 'Raise NPS', owner: 'Ada' }),
    objective('shape:o2', { x: 500, y: 120 }, { objective: 'Grow parcel revenue with Northwind by 25% across every region', owner: 'Ada' }),
  ])
  await actions.write([action('shape:a1', { x: 20, y: 20, parentId: ACTION_COLUMNS.open.id }, { title: 'Pilot with Ops' })])
  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions`, ['Dana'], { width: 1280, height: 720 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
  await waitForBoard(page)
})

afterAll(() => {
  objectives?.destroy()
  actions?.destroy()
})

describe('the Serves objectives picker', () => {
  it('puts each box beside its label, one objective per line', async () => {
    await clickShape(page, shapeWithText(page, 'action', 'Pilot with Ops'))
    const picker = page.getByRole('group', { name: 'Serves objectives' })
    await picker.waitFor({ timeout: WAIT_MS })
    for (const name of ['Raise NPS', 'Grow parcel revenue with Northwind by 25% across every region']) {
      const box = await picker.getByRole('checkbox', { name }).boundingBox()
      const label = await picker.locator('label', { hasText: name }).locator('span').boundingBox()
      if (!box || !label) throw new Error(`"${name}" is not shown`)
      // A box the size of a box, left of its label's text, on the label's first line.
      expect(box.width).toBeLessThan(30)
      expect(box.x + box.width).toBeLessThanOrEqual(label.x)
      expect(box.y).toBeLessThan(label.y + 20)
      expect(box.y + box.height).toBeGreaterThan(label.y)
    }
  })

  it('links the action when its label is clicked', async () => {
    await page.getByRole('group', { name: 'Serves objectives' }).locator('label', { hasText: 'Raise NPS' }).click()
    await expect
      .poll(() => (actions.records().get('shape:a1')?.props as { objectives?: string[] } | undefined)?.objectives, { timeout: WAIT_MS })
      .toEqual(['shape:o1'])
  })
})
