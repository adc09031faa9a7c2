/**
 * Keyboard focus around the workshop header's popovers (WAI-ARIA dialog pattern): opening Share,
 * History, Save snapshot or the timer moves focus into the popover; Escape, a Cancel button or the
 * opening button closes it and focus goes back to the button that opened it, never to the page
 * body. In the lobby, once the organisation key is entered, focus goes to the New workshop form.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { TEST_ORG_KEY } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let page: Page

beforeAll(async () => {
  const workshop = await test.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [fiona] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fiona Facilitator'])
  if (!fiona) throw new Error('openPeople returned no one')
  page = fiona.page
  await waitForBoard(page)
})

/** Where focus is: the focused element's accessible name, and whether it is inside a popover. */
function focus(page: Page): Promise<{ tag: string; name: string; inPopover: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return { tag: 'BODY', name: '', inPopover: false }
    return {
      tag: el.tagName,
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      inPopover: el.closest('[role="dialog"], .timer-popover') !== null,
    }
  })
}

describe('header popovers', () => {
  for (const name of ['Share', 'History', 'Save snapshot', 'Timer']) {
    it(`${name}: focus moves in on open and back to the button on Escape`, async () => {
      const opener = page.getByRole('button', { name, exact: true })
      await opener.focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => focus(page).then((f) => f.inPopover), { timeout: WAIT_MS }).toBe(true)
      await page.keyboard.press('Escape')
      await expect.poll(() => page.locator('[role="dialog"], .timer-popover').count(), { timeout: WAIT_MS }).toBe(0)
      expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true)
    })
  }

  // On a phone a popover covers the screen and there is no Esc key: each has a Close button (QA q29c).
  for (const name of ['Share', 'History', 'Timer']) {
    it(`${name}: its Close button closes it, the focus back on the button`, async () => {
      const opener = page.getByRole('button', { name, exact: true })
      await opener.click()
      const popover = page.locator('[role="dialog"], .timer-popover')
      // Opening puts the focus on a control of the popover's own, not on its Close (review).
      await expect.poll(() => focus(page).then((f) => f.inPopover), { timeout: WAIT_MS }).toBe(true)
      expect((await focus(page)).name).not.toBe('Close')
      const close = popover.getByRole('button', { name: 'Close', exact: true })
      // Shown at the top right, above the popover's first control.
      const [box, panel] = [await close.boundingBox(), await popover.boundingBox()]
      if (!box || !panel) throw new Error(`${name}: no Close button shown`)
      expect(box.y - panel.y).toBeLessThan(40)
      expect(panel.x + panel.width - (box.x + box.width)).toBeLessThan(40)
      await close.click({ timeout: WAIT_MS })
      await expect.poll(() => popover.count(), { timeout: WAIT_MS }).toBe(0)
      expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true)
    })
  }

  it('Share: focus inside a loaded control goes back to Share on Escape', async () => {
    const opener = page.getByRole('button', { name: 'Share', exact: true })
    await opener.click()
    const link = page.getByRole('dialog', { name: 'Share this workshop' }).getByRole('textbox', { name: 'Viewer link' })
    await link.focus({ timeout: WAIT_MS })
    await page.keyboard.press('Escape')
    await expect.poll(() => focus(page), { timeout: WAIT_MS }).toMatchObject({ tag: 'BUTTON', name: 'Share' })
  })

  it('Save snapshot: Cancel returns focus to the button', async () => {
    await page.getByRole('button', { name: 'Save snapshot', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Save snapshot' })
    await expect.poll(() => focus(page), { timeout: WAIT_MS }).toMatchObject({ tag: 'INPUT', inPopover: true })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => focus(page), { timeout: WAIT_MS }).toMatchObject({ tag: 'BUTTON', name: 'Save snapshot' })
  })
})

describe('the lobby', () => {
  it('moves focus to the New workshop form once the organisation key is in', async () => {
    const context = await test.browser.newContext({ viewport: { width: 1400, height: 900 } })
    const lobby = await context.newPage()
    await lobby.goto(test.server.url)
    const key = lobby.getByLabel('Organisation key')
    await key.fill(TEST_ORG_KEY, { timeout: WAIT_MS })
    await key.press('Enter')
    await lobby.getByRole('heading', { name: 'Portfolio' }).waitFor({ timeout: WAIT_MS })
    expect(await focus(lobby)).toMatchObject({ tag: 'INPUT' })
    expect(await lobby.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('account') // an INPUT, checked above
    await context.close()
  })
})
