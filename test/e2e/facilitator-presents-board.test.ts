/**
 * Present mode (issue 12) at 1280×720: the facilitator presents; the header, the side panel and
 * tldraw's controls hide, the board is fitted to the screen, everyone else's page comes to the
 * presenter's board and follows their viewport; Esc leaves and the chrome comes back. Outside
 * present mode the SWOT's labels stay clear of tldraw's controls, and a hidden side panel stays
 * hidden after a reload.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, waitForFollowing, waitUntil, WAIT_MS, type Person } from '../helpers/browser.ts'
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
  // From the keyboard: the focus goes on to Stop presenting (it dropped to the page).
  await fran.page.getByRole('button', { name: 'Present' }).focus()
  await fran.page.keyboard.press('Enter')

  const stop = fran.page.getByRole('button', { name: /Stop presenting/ })
  await stop.waitFor({ timeout: WAIT_MS })
  await waitUntil(() => stop.evaluate((element) => element === document.activeElement), 'the focus on Stop presenting')
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
  await waitForFollowing(tom.page)
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })

  await fran.page.keyboard.press('Escape')
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  await sidePanel(fran.page).waitFor({ state: 'visible', timeout: WAIT_MS })
  expect(await fran.page.getByRole('button', { name: /Stop presenting/ }).count()).toBe(0)
  expect(await fran.page.evaluate(() => document.fullscreenElement)).toBeNull()
  const presentButton = fran.page.getByRole('button', { name: 'Present' })
  await waitUntil(() => presentButton.evaluate((element) => element === document.activeElement), 'the focus back on Present')
})

/** Boxes of tldraw's controls over the canvas: the menu, the toolbar, the zoom menu, the style panel. */
function controlBoxes(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.tlui-menu-zone, .tlui-main-toolbar__inner, .tlui-navigation-panel, .tlui-style-panel')]
      .map((element) => element.getBoundingClientRect())
      .filter((box) => box.width > 0 && box.height > 0)
      .map(({ x, y, width, height }) => ({ x, y, width, height })),
  )
}

/** Every quadrant's label is on screen and clear of tldraw's controls. */
async function labelsClearOfControls(page: Page): Promise<void> {
  for (const label of ['Strengths', 'Weaknesses', 'Opportunities', 'Threats']) {
    await expect
      .poll(async () => {
        const box = await page.getByText(label, { exact: true }).first().boundingBox()
        if (!box || box.x < 0 || box.y < 0 || box.x + box.width > viewport.width || box.y + box.height > viewport.height) return `${label} off screen`
        const under = (await controlBoxes(page)).find((c) => box.x < c.x + c.width && c.x < box.x + box.width && box.y < c.y + c.height && c.y < box.y + box.height)
        return under ? `${label} under a control at ${JSON.stringify(under)}` : 'clear'
      }, { timeout: WAIT_MS })
      .toBe('clear')
  }
}

it('keeps the SWOT’s labels clear of tldraw’s controls at 1280×720, and the side panel hidden once hidden, after a reload too', async () => {
  // A fresh visit frames the board anew (presenting above moved the camera).
  await fran.page.reload()
  await waitForBoard(fran.page)
  await labelsClearOfControls(fran.page)
  await fran.page.locator('.app-header').getByRole('button', { name: 'Hide details panel' }).click()
  await fran.page.locator('.side-panel').waitFor({ state: 'hidden', timeout: WAIT_MS })
  await fran.page.reload()
  await waitForBoard(fran.page)
  await fran.page.locator('.app-header').getByRole('button', { name: 'Show details panel' }).waitFor({ timeout: WAIT_MS })
  expect(await fran.page.locator('.side-panel').isHidden()).toBe(true)
  expect((await fran.page.locator('.tl-canvas').boundingBox())?.width).toBe(viewport.width)
  await labelsClearOfControls(fran.page)
  // Another browser (Tom's) has its own choice: the panel is open there.
  await sidePanel(tom.page).waitFor({ state: 'visible', timeout: WAIT_MS })
})

it('gives the presenter Pause, Resume and +1 min on the overlay, where the header is hidden', async () => {
  // (QA pass of 2026-12-06: the overlay showed the countdown with only a mute button.)
  await fran.page.locator('.app-header').getByRole('button', { name: 'Timer' }).click()
  await fran.page.getByRole('group', { name: 'Timer controls' }).getByRole('button', { name: 'Start 5 min' }).click()
  await fran.page.keyboard.press('Escape') // closes the timer's controls
  await fran.page.getByRole('button', { name: 'Present' }).click()
  const overlay = fran.page.locator('.present-overlay')
  await overlay.getByRole('button', { name: 'Pause' }).click()
  const display = overlay.getByRole('timer')
  await display.filter({ hasText: '(paused)' }).waitFor({ timeout: WAIT_MS })
  const tomsDisplay = tom.page.locator('.app-header').getByRole('timer')
  await tomsDisplay.filter({ hasText: '(paused)' }).waitFor({ timeout: WAIT_MS })
  // Paused, the remaining time stands still: +1 min adds exactly a minute.
  const seconds = (text: string | null) => {
    const match = /(\d+):(\d\d)/.exec(text ?? '')
    if (!match) throw new Error(`no time in "${text}"`)
    return Number(match[1]) * 60 + Number(match[2])
  }
  const before = seconds(await display.textContent())
  await overlay.getByRole('button', { name: '+1 min' }).click()
  await expect.poll(async () => seconds(await display.textContent()), { timeout: WAIT_MS }).toBe(before + 60)
  await expect.poll(async () => seconds(await tomsDisplay.textContent()), { timeout: WAIT_MS }).toBe(before + 60)
  // One button turns from Pause to Resume and back, keeping the focus.
  const resume = overlay.getByRole('button', { name: 'Resume' })
  await resume.click()
  await overlay.getByRole('button', { name: 'Pause' }).waitFor({ timeout: WAIT_MS })
  await tomsDisplay.filter({ hasNotText: '(paused)' }).waitFor({ timeout: WAIT_MS })
  expect(await overlay.getByRole('button', { name: 'Pause' }).evaluate((element) => element === document.activeElement)).toBe(true)
  // Tom (not presenting, not the facilitator) has the display and his mute, no controls.
  expect(await tom.page.getByRole('button', { name: '+1 min' }).count()).toBe(0)
  await fran.page.keyboard.press('Escape')
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
})
