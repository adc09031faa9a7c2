/**
 * [S44] Edits made offline on a board the person then left, or in a tab that was then closed, reach
 * the server once the browser is back online, while the page is on another board: no one has to
 * open that board again (QA: an action added offline on the action plan, then the SWOT tab clicked,
 * was missing from the snapshot saved after the person was back online). Meanwhile the board's tab
 * says its edits are not sent yet.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { editOfflineAndClose } from '../helpers/offlineCopy.ts'

const two = setUpTwoPeopleOnBoard('actions')
/** The Action plan's tab while it has edits not sent yet. */
const UNSENT_ACTION_PLAN = /^Action plan\W+not sent yet$/

function boardTab(page: Page, name: string | RegExp) {
  return page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name })
}

async function addAction(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(page).getByLabel('Title').fill(title)
  await shapeWithText(page, 'action', title).waitFor({ timeout: WAIT_MS })
}

describe('offline edits of a board no page shows', () => {
  it('sends an action added offline once back online, with the page on another board', async () => {
    const { alice, bob } = two
    const { page, context } = alice
    await context.setOffline(true)
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
    await addAction(page, 'Book the CFO review')
    await boardTab(page, 'SWOT').click()
    await page.waitForURL(/\/swot/, { timeout: WAIT_MS })
    await boardTab(page, UNSENT_ACTION_PLAN).waitFor({ timeout: WAIT_MS })

    await context.setOffline(false)
    await expect.poll(() => shapeWithText(bob.page, 'action', 'Book the CFO review').count(), { timeout: WAIT_MS }).toBe(1)
    await expect.poll(() => page.locator('.board-tab-unsent').count(), { timeout: WAIT_MS }).toBe(0)
    expect(new URL(page.url()).pathname).toMatch(/\/swot$/)
  })

  it('sends what a tab closed offline left, from another tab of the browser once online', async () => {
    const { alice, bob, boardUrl, workshop } = two
    // Alice's first tab is on the SWOT now; a second tab opens the action plan.
    const { page: onSwot, context } = alice
    await context.setOffline(false)
    await waitForBoard(onSwot)
    const tab = await context.newPage()
    await tab.goto(`${boardUrl}?name=${encodeURIComponent(alice.name)}`)
    await waitForBoard(tab)
    // The context's network goes for both tabs; the edit waits in IndexedDB as the tab closes.
    await editOfflineAndClose(tab, `${workshop.id}/actions`, () => addAction(tab, 'Send the renewal quote'))
    await boardTab(onSwot, UNSENT_ACTION_PLAN).waitFor({ timeout: WAIT_MS })

    await context.setOffline(false)
    await expect.poll(() => shapeWithText(bob.page, 'action', 'Send the renewal quote').count(), { timeout: WAIT_MS }).toBe(1)
    await expect.poll(() => onSwot.locator('.board-tab-unsent').count(), { timeout: WAIT_MS }).toBe(0)
    expect(new URL(onSwot.url()).pathname).toMatch(/\/swot$/)
  })

  it('opens the board it shows once, not also in the background while a team page reads the sensitivity (review)', async () => {
    const { alice, bob, boardUrl, workshop } = two
    const { context } = alice
    await context.setOffline(false)
    // Only the tab made here is left of Alice's workshop pages, and it closes with an offline edit.
    await alice.page.goto('about:blank')
    const tab = await context.newPage()
    await tab.goto(`${boardUrl}?name=${encodeURIComponent(alice.name)}`)
    await waitForBoard(tab)
    await editOfflineAndClose(tab, `${workshop.id}/actions`, () => addAction(tab, 'Plan the QBR'))

    // Back online, she opens the action plan itself; its page reads the sensitivity slowly.
    await context.route('**/sensitivity', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      await route.continue()
    })
    await context.setOffline(false)
    const page = await context.newPage()
    const sockets: string[] = []
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname))
    await page.goto(`${boardUrl}?name=${encodeURIComponent(alice.name)}`)
    await waitForBoard(page)
    await shapeWithText(page, 'action', 'Plan the QBR').waitFor({ timeout: WAIT_MS })
    await expect.poll(() => shapeWithText(bob.page, 'action', 'Plan the QBR').count(), { timeout: WAIT_MS }).toBe(1)
    await expect.poll(() => page.locator('.board-tab-unsent').count(), { timeout: WAIT_MS }).toBe(0)
    expect(sockets.filter((path) => path === `/sync/${workshop.id}/actions`)).toHaveLength(1)
    await context.unroute('**/sensitivity')
  })
})
