/**
 * Phone (issue 12), 390×844: the lobby, the workshop header and a board fit the screen (the page
 * never scrolls sideways; nothing sticks out of it unless inside its own scrolling strip), the
 * board gets the width of the screen, its tools and tldraw's toolbar are on screen, and the side
 * panel opens as a sheet with the participants to follow; from it one votes and fills in one's own
 * card.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { TEST_ORG_KEY, workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
const phone = { width: 390, height: 844 }
let workshop: TestWorkshop

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind Logistics International', title: 'FY27 account plan' })
})

/**
 * Elements that stick out of the window sideways. An element inside a clipping or scrolling box
 * (the boards' strip, tldraw's canvas) is judged by that box instead.
 */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const clipped = (el: Element) => {
      for (let parent = el.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true
      }
      return false
    }
    const out: string[] = []
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0 || clipped(el)) continue
      if (r.left < -1 || r.right > window.innerWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`)
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}`)
    return out
  })
}

async function onScreen(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS })
  const box = await locator.boundingBox()
  expect(box, 'a box').not.toBeNull()
  if (!box) return
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(phone.width + 1)
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.y + box.height).toBeLessThanOrEqual(phone.height + 1)
}

it('the lobby fits a 390 px phone', async () => {
  const context = await test.browser.newContext({ viewport: phone })
  const page = await context.newPage()
  await page.goto(test.server.url)
  await page.getByRole('button', { name: 'Use this key' }).waitFor({ timeout: WAIT_MS })
  expect(await overflowing(page)).toEqual([])
  await onScreen(page, page.getByRole('button', { name: 'Use this key' }))
  // QA q27b: with the key in, the portfolio's table made the page 678 px wide.
  await page.getByLabel('Organisation key').fill(TEST_ORG_KEY)
  await page.getByRole('button', { name: 'Use this key' }).click()
  await page.locator('.portfolio-table tr[data-account="Northwind Logistics International"]').waitFor({ timeout: WAIT_MS })
  expect(await overflowing(page)).toEqual([])
  await onScreen(page, page.getByRole('button', { name: 'Create workshop' }))
  await context.close()
})

it('on an 820 px tablet, the header fits and the Share panel opens on screen', async () => {
  // QA q27b: the Share panel, anchored to its button, started at x = −116, and the header's last buttons were cut off.
  const tablet = { width: 820, height: 1180 }
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'], tablet)
  if (!fran) throw new Error('openPeople returned nobody')
  // Closed whatever happens: the next test follows a Fran of its own.
  try {
    await waitForBoard(fran.page)
    expect(await overflowing(fran.page)).toEqual([])
    await fran.page.getByRole('button', { name: 'Share' }).click()
    const panel = fran.page.getByRole('dialog', { name: 'Share this workshop' })
    await panel.waitFor({ timeout: WAIT_MS })
    const box = await panel.boundingBox()
    expect(box?.x).toBeGreaterThanOrEqual(0)
    expect((box?.x ?? 0) + (box?.width ?? Infinity)).toBeLessThanOrEqual(tablet.width)
  } finally {
    await fran.context.close()
  }
})

it('a board fits a 390 px phone: header, tools, canvas, and the side panel as a sheet', async () => {
  const [tom] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'], phone)
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!tom || !fran) throw new Error('openPeople returned nobody')
  const page = tom.page
  await Promise.all([waitForBoard(page), waitForBoard(fran.page)])

  expect(await overflowing(page)).toEqual([])
  await onScreen(page, page.getByRole('button', { name: 'Add action' }))
  await onScreen(page, page.getByRole('navigation', { name: 'Boards' }))
  await onScreen(page, page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }))
  await onScreen(page, page.getByRole('button', { name: 'Share' }).or(page.getByRole('link', { name: 'Snapshots' })).first())
  await onScreen(page, page.locator('.tlui-toolbar').first())
  // The board has the screen's width (not squeezed beside a 300 px panel), and most of its height.
  const canvas = await page.locator('.tl-canvas').boundingBox()
  expect(canvas?.width).toBe(phone.width)
  expect(canvas?.height).toBeGreaterThan(phone.height / 2)
  // The side panel is closed until asked for, then a sheet over the board, with people to follow.
  expect(await page.getByRole('complementary', { name: 'Board details' }).count()).toBe(0)
  await page.getByRole('button', { name: 'Show details panel' }).click()
  const sheet = page.getByRole('complementary', { name: 'Board details' })
  await onScreen(page, sheet)
  await onScreen(page, sheet.getByRole('button', { name: 'Hide details panel' }))
  await sheet.getByRole('button', { name: 'Follow Fran Facilitator' }).scrollIntoViewIfNeeded()
  await onScreen(page, sheet.getByRole('button', { name: 'Follow Fran Facilitator' }))
  expect(await overflowing(page)).toEqual([])
  // Esc on a button of the sheet closes it, and the focus goes back to its toggle (QA q36c).
  await sheet.getByRole('button', { name: 'Follow Fran Facilitator' }).focus()
  await page.keyboard.press('Escape')
  await sheet.waitFor({ state: 'hidden', timeout: WAIT_MS })
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('side-panel')

  // Adding a card from the phone works, and opens the sheet on its fields (QA q36c: nothing showed them).
  await page.getByRole('button', { name: 'Add action' }).click()
  await page.locator('.tl-shape[data-shape-type="action"]').first().waitFor({ timeout: WAIT_MS })
  await onScreen(page, sheet.getByLabel('Title', { exact: true }))
  await sheet.getByRole('button', { name: 'Hide details panel' }).click()
  await sheet.waitFor({ state: 'hidden', timeout: WAIT_MS })
  await fran.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
  await fran.page.locator('.tl-shape[data-shape-type="action"]').first().waitFor({ timeout: WAIT_MS })
  expect(await overflowing(page)).toEqual([])

  // Voting on it and filling in one's own card from the phone, in the sheet.
  await sidePanel(fran.page).getByRole('button', { name: /Vote/ }).click()
  await sidePanel(fran.page).getByLabel('Question').fill('Which first?')
  await sidePanel(fran.page).getByLabel('Votes per person').fill('1')
  await sidePanel(fran.page).getByRole('button', { name: 'Start Vote' }).click()
  await clickShape(page, page.locator('.tl-shape[data-shape-type="action"]').first())
  await page.getByRole('button', { name: 'Show details panel' }).click()
  await sheet.getByText('Which first?').waitFor({ timeout: WAIT_MS })
  const voteForIt = sheet.getByRole('button', { name: 'Vote for this item' })
  await voteForIt.scrollIntoViewIfNeeded()
  await onScreen(page, voteForIt)
  await voteForIt.click()
  await sheet.getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })
  const title = sheet.getByLabel('Title', { exact: true })
  await title.scrollIntoViewIfNeeded()
  await onScreen(page, title)
  await title.fill('Send the TCO proposal')
  await shapeWithText(fran.page, 'action', 'Send the TCO proposal').waitFor({ timeout: WAIT_MS })
  expect(await overflowing(page)).toEqual([])
  await tom.context.close()
  await fran.context.close()
})

it('on a phone, the Share panel has a Close button on screen, also when scrolled', async () => {
  // QA q27b: the panel covers the phone's screen, and without an Esc key nothing closed it.
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Phone'], phone)
  if (!fran) throw new Error('openPeople returned nobody')
  try {
    await waitForBoard(fran.page)
    await fran.page.getByRole('button', { name: 'Share' }).click()
    const panel = fran.page.getByRole('dialog', { name: 'Share this workshop' })
    await panel.waitFor({ timeout: WAIT_MS })
    const close = panel.getByRole('button', { name: 'Close' })
    await onScreen(fran.page, close)
    await panel.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    await onScreen(fran.page, close)
    await close.click()
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS })
  } finally {
    await fran.context.close()
  }
})

it('the snapshots page fits a 390 px phone: the timeline above the snapshot, Save snapshot on screen', async () => {
  // QA q27b: a 264 px timeline left the review a 126 px column, and Save snapshot was off screen.
  const saved = await workshopFetch(`${test.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Phone check"}' })
  expect(saved.status).toBe(201)
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Review'], phone)
  if (!fran) throw new Error('openPeople returned nobody')
  try {
    await waitForBoard(fran.page)
    await fran.page.goto(`${test.server.url}/w/${workshop.id}/snapshots`)
    const timeline = fran.page.getByRole('complementary', { name: 'Snapshot timeline' })
    await timeline.waitFor({ timeout: WAIT_MS })
    await fran.page.getByRole('group', { name: 'Export', exact: true }).waitFor({ timeout: WAIT_MS })
    expect(await overflowing(fran.page)).toEqual([])
    await onScreen(fran.page, fran.page.getByRole('button', { name: 'Save snapshot' }))
    const review = await fran.page.locator('.review-main').boundingBox()
    expect(review?.width).toBeGreaterThan(phone.width - 20)
  } finally {
    await fran.context.close()
  }
})

it('on a phone, the connection badge says Offline in words, not only in a tooltip', async () => {
  // QA q27b: on a phone the badge was a 22 px red dot; "Offline" was only in its title.
  const [tom] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Phone'], phone)
  if (!tom) throw new Error('openPeople returned nobody')
  try {
    await waitForBoard(tom.page)
    const label = tom.page.locator('.connection .connection-label')
    expect((await label.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1)
    await tom.context.setOffline(true)
    await tom.page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
    await expect.poll(async () => (await label.boundingBox())?.width ?? 0, { timeout: WAIT_MS }).toBeGreaterThan(20)
    expect(await label.textContent()).toBe('Offline')
    await onScreen(tom.page, label)
    expect(await overflowing(tom.page)).toEqual([])
  } finally {
    await tom.context.close()
  }
})
