/**
 * An objective card on the board shows its title and its KPI line (measure, baseline → target)
 * whole when they fit in two lines each, not cut to one line with an ellipsis while the card has
 * room below: the target is what the room reads off the card.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { objective } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
let page: Page
let objectives: BoardClient

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  objectives = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  await objectives.write([
    objective('shape:o1', { x: 100, y: 120 }, {
      objective: 'Grow parcel revenue with Northwind by 25%',
      measure: 'Annual revenue',
      unit: 'EUR',
      baseline: 1_200_000,
      target: 1_500_000,
      owner: 'Fiona',
    }),
  ])
  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/objectives`, ['Dana'], { width: 1280, height: 720 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
  await waitForBoard(page)
})

afterAll(() => objectives?.destroy())

it('shows the whole title and the target on the card', async () => {
  const card = shapeWithText(page, 'objective', 'Grow parcel revenue')
  await card.waitFor({ timeout: WAIT_MS })
  for (const selector of ['.kp-card-name', '.kp-card-line']) {
    // Nothing of the text is hidden: it fits the box it is drawn in.
    const hidden = await card.locator(selector).evaluate((element) => element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight)
    expect(hidden, selector).toBe(false)
  }
  expect(await card.locator('.kp-card-line').innerText()).toContain('1,500,000 EUR')
})
