/**
 * Present mode (issue 12) at 1280×720: the facilitator presents; the header, the side panel and
 * tldraw's controls hide, the board is fitted to the screen, everyone else's page comes to the
 * presenter's board and follows their viewport; Esc leaves and the chrome comes back.
 */
import { beforeAll, expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop
let fran: Person
let tom: Person

const viewport = { width: 1280, height: 720 }

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [facilitator] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'], viewport)
  const [team] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'], viewport)
  if (!facilitator || !team) throw new Error('openPeople returned nobody')
  fran = facilitator
  tom = team
  await Promise.all([waitForBoard(fran.page), waitForBoard(tom.page)])
  await sidePanel(fran.page).getByRole('listitem').filter({ hasText: 'Tom Team' }).waitFor({ timeout: WAIT_MS })
})

it('presents full screen with everyone following, and Esc brings the chrome back', async () => {
  // Only the facilitator may present.
  expect(await tom.page.getByRole('button', { name: 'Present' }).count()).toBe(0)
  await fran.page.getByRole('button', { name: 'Present' }).click()

  await fran.page.getByRole('button', { name: /Stop presenting/ }).waitFor({ timeout: WAIT_MS })
  await fran.page.locator('.app-header').waitFor({ state: 'hidden', timeout: WAIT_MS })
  await fran.page.locator('.side-panel').waitFor({ state: 'hidden', timeout: WAIT_MS })
  await fran.page.locator('.tlui-toolbar').first().waitFor({ state: 'hidden', timeout: WAIT_MS })
  // The canvas fills the window, and the whole board (its four quadrants, labels included) is on it.
  const canvas = await fran.page.locator('.tl-canvas').boundingBox()
  expect(canvas).toMatchObject({ x: 0, y: 0, width: viewport.width, height: viewport.height })
  for (const label of ['Strengths', 'Weaknesses', 'Opportunities', 'Threats']) {
    await expect
      .poll(async () => {
        const box = await fran.page.getByText(label, { exact: true }).first().boundingBox()
        return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height
      }, { timeout: WAIT_MS })
      .toBe(true)
  }

  // Tom's page comes to the presenter's board and follows the presenter's viewport.
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  await waitForBoard(tom.page)
  await tom.page.locator('.tlui-following-indicator').waitFor({ timeout: WAIT_MS })
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })

  await fran.page.keyboard.press('Escape')
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  await sidePanel(fran.page).waitFor({ state: 'visible', timeout: WAIT_MS })
  expect(await fran.page.getByRole('button', { name: /Stop presenting/ }).count()).toBe(0)
  expect(await fran.page.evaluate(() => document.fullscreenElement)).toBeNull()
})
