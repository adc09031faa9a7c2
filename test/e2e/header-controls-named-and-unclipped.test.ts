/**
 * The workshop header (issue 12): at common widths every header control is inside the window,
 * none overlaps another, each has an accessible name, and each icon-only one a tooltip; the Share
 * panel's invite links are wide enough to read, cut visibly, with the full link in the tooltip and
 * a Copy button.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind Logistics International', title: 'FY27 account plan and growth' })
})

type Control = { name: string; text: string; title: string; box: { left: number; right: number; top: number; bottom: number } }

/** The header's buttons, links and badges that are shown, with what a screen reader and a mouse user get. */
function headerControls(page: Page): Promise<Control[]> {
  return page.evaluate(() => {
    const header = document.querySelector('.app-header')
    if (!header) throw new Error('no header')
    return [...header.querySelectorAll<HTMLElement>('button, a, [role="status"], [role="timer"]')]
      .filter((el) => el.getClientRects().length > 0 && !el.parentElement?.closest('button, a'))
      .map((el) => {
        const r = el.getBoundingClientRect()
        return {
          name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
          text: el.innerText.trim(),
          title: el.getAttribute('title') ?? '',
          box: { left: r.left, right: r.right, top: r.top, bottom: r.bottom },
        }
      })
  })
}

const overlaps = (a: Control['box'], b: Control['box']) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5

it.each([1920, 1440, 1366, 1280, 1024])('at %i px every header control is named, inside the window and clear of the others', async (width) => {
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'], { width, height: 720 })
  if (!fran) throw new Error('nobody opened')
  await waitForBoard(fran.page)
  const controls = await headerControls(fran.page)
  // Every control of the facilitator's header is there.
  for (const name of ['Timer', 'Save snapshot', 'Snapshots', 'History', 'Share', 'Present', 'Hide details panel', 'Connected', 'SWOT', 'Whitespace & competitors']) {
    expect(controls.map((c) => c.name).some((n) => n.startsWith(name)), `${name} at ${width}`).toBe(true)
  }
  for (const control of controls) {
    expect(control.name, `accessible name at ${width}`).not.toBe('')
    if (control.text === '') expect(control.title, `tooltip of the icon button ${control.name} at ${width}`).not.toBe('')
    expect(control.box.left, `${control.name} at ${width}`).toBeGreaterThanOrEqual(0)
    expect(control.box.right, `${control.name} at ${width}`).toBeLessThanOrEqual(width)
  }
  for (const [i, a] of controls.entries()) {
    for (const b of controls.slice(i + 1)) expect(overlaps(a.box, b.box), `${a.name} overlaps ${b.name} at ${width}`).toBe(false)
  }
  // No board tab is cut off: the switcher shows them all without scrolling.
  expect(await fran.page.getByRole('navigation', { name: 'Boards' }).evaluate((nav) => nav.scrollWidth <= nav.clientWidth + 1)).toBe(true)
  await fran.context.close()
})

it('shows the invite links readably in the Share panel at 1280 px, cut visibly, full link in the tooltip, with Copy', async () => {
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'], { width: 1280, height: 720 })
  if (!fran) throw new Error('nobody opened')
  await waitForBoard(fran.page)
  await fran.page.getByRole('button', { name: 'Share' }).click()
  const panel = fran.page.getByRole('dialog', { name: 'Share this workshop' })
  for (const role of ['Facilitator', 'Account team', 'Viewer', 'Customer guest']) {
    const input = panel.getByRole('textbox', { name: `${role} link` })
    await input.waitFor({ timeout: WAIT_MS })
    const shown = await input.evaluate((el: HTMLInputElement) => ({
      width: el.clientWidth,
      value: el.value,
      title: el.title,
      ellipsis: getComputedStyle(el).textOverflow,
    }))
    expect(shown.value).toMatch(new RegExp(`^${test.server.url}/w/${workshop.id}\\?`))
    expect(shown.title).toBe(shown.value)
    expect(shown.ellipsis).toBe('ellipsis')
    // The origin and the workshop's path fit (about 7 px a character in the monospace font).
    expect(shown.width).toBeGreaterThan(`${test.server.url}/w/${workshop.id}?token=`.length * 7.5)
    const row = input.locator('xpath=..')
    await row.getByRole('button', { name: 'Copy' }).waitFor({ timeout: WAIT_MS })
  }
  await fran.context.close()
})
