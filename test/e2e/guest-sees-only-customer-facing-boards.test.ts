/**
 * A joint session in real Chromium (issue 5, docs/security.md [A5]–[A7], [A11]): the customer
 * opens the guest invite link, the token leaves the address bar, the guest banner shows and the
 * switcher lists only the customer-facing action plan, where the guest adds and edits an action.
 * An internal board opened by URL shows a notice and no canvas. The facilitator shares the
 * stakeholder map from the Share panel and the guest's open page gets it without a reload; made internal again, the guest on it
 * is told so at once, as when the facilitator revokes the guest links. The facilitator also sets the
 * workshop's time zone there. A viewer link opens the board read-only, with a badge and no add tools.
 */
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { newClaims, signToken, singleKey } from '../../server/auth/tokens.ts'
import { BOARD_IDS, BOARD_TITLES } from '../../shared/boards.ts'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let facilitator: Page
let guest: Page
/** Every sync websocket the guest's page opened. */
const guestSockets: string[] = []

/** Opens an invite link in a fresh browser context (own storage, like another laptop) as `name`. */
async function openLink(link: string, name: string): Promise<Page> {
  const [person] = await openPeople(e2e.browser, link, [name]) // the link's own token is kept
  if (!person) throw new Error('openPeople returned no page')
  return person.page
}

/**
 * Invite links name the workshop; a team-side role lands on its first board, the SWOT (issue 12).
 * Checks that, then goes to the action plan through the switcher.
 */
async function toActionPlan(page: Page): Promise<void> {
  await waitForBoard(page)
  expect(new URL(page.url()).pathname).toBe(`/w/${workshop.id}/swot`)
  await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: BOARD_TITLES.actions }).click()
  await page.waitForURL((url) => url.pathname === `/w/${workshop.id}/actions`, { timeout: WAIT_MS })
  await waitForBoard(page)
}

/** The board names in the page's switcher, in order. */
async function switcherBoards(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Boards' }).getByRole('link').allTextContents()
}

async function waitForSwitcher(page: Page, expected: string[]): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  let shown: string[] = []
  while (Date.now() < deadline) {
    shown = await switcherBoards(page)
    if (JSON.stringify(shown) === JSON.stringify(expected)) return
    await page.waitForTimeout(100)
  }
  throw new Error(`the switcher lists ${JSON.stringify(shown)}, expected ${JSON.stringify(expected)}`)
}

/** Opens the facilitator's Share panel (if closed) and sets one board's customer-facing switch. */
async function setCustomerFacing(board: keyof typeof BOARD_TITLES, on: boolean): Promise<void> {
  const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
  if (!(await panel.isVisible())) await facilitator.getByRole('button', { name: 'Share' }).click()
  const toggle = panel.getByRole('switch', { name: BOARD_TITLES[board] })
  await toggle.waitFor({ timeout: WAIT_MS })
  const saved = facilitator.waitForResponse((r) => r.url().endsWith('/settings') && r.request().method() === 'PUT')
  await toggle.setChecked(on)
  expect((await saved).status()).toBe(200)
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint planning session' })
  facilitator = await openLink(workshop.links.facilitator, 'Fiona Facilitator')
  guest = await openLink(workshop.links.guest, 'Carla Customer')
  guest.on('websocket', (socket) => guestSockets.push(socket.url()))
  await Promise.all([toActionPlan(facilitator), waitForBoard(guest)])
})

describe('a customer guest in a joint session', () => {
  it('takes the token out of the address bar, keeps the name, and shows the guest banner', async () => {
    const shown = new URL(guest.url())
    expect(shown.pathname).toBe(`/w/${workshop.id}/actions`)
    expect(shown.searchParams.has('token')).toBe(false)
    expect(shown.searchParams.get('name')).toBe('Carla Customer')
    await guest.getByText('You are joining as a guest of the account team').waitFor({ timeout: WAIT_MS })
  })

  it('lists only the action plan in the switcher', async () => {
    expect(await switcherBoards(guest)).toEqual([BOARD_TITLES.actions])
    // The facilitator sees every board, and the Save snapshot and Share buttons the guest lacks.
    expect(await switcherBoards(facilitator)).toEqual(BOARD_IDS.map((board) => BOARD_TITLES[board]))
    await facilitator.getByRole('button', { name: 'Share' }).waitFor({ timeout: WAIT_MS })
    expect(await guest.getByRole('button', { name: 'Share' }).count()).toBe(0)
    expect(await guest.getByRole('button', { name: 'Save snapshot' }).count()).toBe(0)
  })

  it('the Keyplan mark takes the guest back to the workshop, not to the lobby that asks for a key (QA q30b)', async () => {
    await guest.getByRole('link', { name: 'Back to the workshop' }).click()
    await guest.waitForURL((url) => url.pathname === `/w/${workshop.id}/actions`, { timeout: WAIT_MS })
    await waitForBoard(guest)
    expect(await guest.locator('.lobby-key').count()).toBe(0)
  })

  it('adds an action and edits it; the facilitator sees both', async () => {
    await guest.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(guest).getByLabel('Title').fill('Share the security questionnaire')
    await sidePanel(guest).getByLabel('Owner').fill('Carla')
    await shapeWithText(facilitator, 'action', 'Share the security questionnaire').waitFor({ timeout: WAIT_MS })
    await shapeWithText(facilitator, 'action', 'Carla').waitFor({ timeout: WAIT_MS })
  })

  it('shows a notice and no canvas on an internal board opened by its URL', async () => {
    await guest.goto(`${e2e.server.url}/w/${workshop.id}/swot`)
    await guest.getByRole('heading', { name: 'This board is not available to you' }).waitFor({ timeout: WAIT_MS })
    expect(await guest.locator('.tl-canvas').count()).toBe(0)
    expect(await switcherBoards(guest)).toEqual([BOARD_TITLES.actions])
    // The page never even asked for the board.
    expect(guestSockets.filter((url) => new URL(url).pathname.endsWith('/swot'))).toEqual([])
  })

  it('gets the stakeholder map in its open page once the facilitator makes it customer-facing', async () => {
    await guest.goto(`${e2e.server.url}/w/${workshop.id}/actions`)
    await waitForBoard(guest)
    const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
    await facilitator.getByRole('button', { name: 'Share' }).click()
    // The four invite links, each with its token.
    for (const label of ['Facilitator', 'Account team', 'Viewer', 'Customer guest']) {
      const link = await panel.getByRole('textbox', { name: `${label} link` }).inputValue()
      expect(new URL(link).searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    }
    await setCustomerFacing('stakeholders', true)

    // No reload: the guest's page checks again when it regains focus (and every 15 s).
    await guest.evaluate(() => window.dispatchEvent(new Event('focus')))
    await waitForSwitcher(guest, [BOARD_TITLES.stakeholders, BOARD_TITLES.actions])
    await guest.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: BOARD_TITLES.stakeholders }).click()
    await waitForBoard(guest)
  })

  it('is told at once when the facilitator makes the board internal again', async () => {
    await setCustomerFacing('stakeholders', false)
    await guest.getByRole('heading', { name: 'This board is no longer available to guests' }).waitFor({ timeout: WAIT_MS })
    expect(await guest.locator('.tl-canvas').count()).toBe(0)
    await waitForSwitcher(guest, [BOARD_TITLES.actions])
  })

  it('is told a damaged link is damaged, not revoked or expired', async () => {
    const context = await e2e.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${e2e.server.url}/w/${workshop.id}?token=eyJhbGciOiJIUzI1NiJ9.cut-short`)
      await page.getByRole('heading', { name: 'This invite link is incomplete or damaged' }).waitFor({ timeout: WAIT_MS })
      expect(await page.getByRole('link', { name: 'Back to workshops' }).count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('is told a link signed with a retired key no longer works, and why, not that it is damaged [A9]', async () => {
    const context = await e2e.browser.newContext()
    try {
      const page = await context.newPage()
      const retired = await signToken(singleKey(randomBytes(32), 'retired-2025'), newClaims({ workshopId: workshop.id, role: 'guest', gen: 0, ttlSeconds: 3600 }))
      await page.goto(`${e2e.server.url}/w/${workshop.id}?token=${retired}`)
      await page.getByRole('heading', { name: 'This invite link no longer works' }).waitFor({ timeout: WAIT_MS })
      await page.getByText(/made with a signing key the server no longer uses/).waitFor({ timeout: WAIT_MS })
    } finally {
      await context.close()
    }
  })

  it('is told the link was revoked when the facilitator revokes the guest links', async () => {
    await guest.goto(`${e2e.server.url}/w/${workshop.id}/actions`)
    await waitForBoard(guest)
    const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
    if (!(await panel.isVisible())) await facilitator.getByRole('button', { name: 'Share' }).click()
    const guestLink = panel.getByRole('textbox', { name: 'Customer guest link' })
    const oldLink = await guestLink.inputValue()
    facilitator.once('dialog', (dialog) => void dialog.accept())
    await panel.getByRole('button', { name: 'Revoke customer guest links' }).click()

    await guest.getByRole('heading', { name: 'This invite link was revoked' }).waitFor({ timeout: WAIT_MS })
    expect(await guest.locator('.tl-canvas').count()).toBe(0)
    // The lobby would ask a guest for the organisation key: no way there is offered.
    expect(await guest.getByRole('link', { name: 'Back to workshops' }).count()).toBe(0)
    const deadline = Date.now() + WAIT_MS
    while ((await guestLink.inputValue()) === oldLink && Date.now() < deadline) await facilitator.waitForTimeout(100)
    expect(await guestLink.inputValue()).not.toBe(oldLink)
  })
})

describe('the facilitator', () => {
  it('changes the workshop time zone in the Share panel; the server keeps it', async () => {
    const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
    if (!(await panel.isVisible())) await facilitator.getByRole('button', { name: 'Share' }).click()
    const zone = panel.getByRole('combobox', { name: 'Time zone' })
    await zone.waitFor({ timeout: WAIT_MS })
    expect(await zone.inputValue()).toBe('UTC')
    const saved = facilitator.waitForResponse((r) => r.url().endsWith(`/api/workshops/${workshop.id}`) && r.request().method() === 'PATCH')
    await zone.selectOption('Asia/Tokyo')
    expect((await saved).status()).toBe(200)
    expect((await e2e.server.store.getWorkshop(workshop.id))?.timeZone).toBe('Asia/Tokyo')
    expect(await zone.inputValue()).toBe('Asia/Tokyo')
  })

  it('sees the select go back, with the reason, when the server refuses a zone', async () => {
    const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
    const zone = panel.getByRole('combobox', { name: 'Time zone' })
    // The server would take any listed zone; a refusal is what a revoked facilitator link gets.
    const path = `**/api/workshops/${workshop.id}`
    await facilitator.route(path, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'this link may not change the workshop' } }) })
        : route.continue(),
    )
    try {
      await zone.selectOption('Europe/Lisbon')
      await panel.getByText('this link may not change the workshop').waitFor({ timeout: WAIT_MS })
      expect(await zone.inputValue()).toBe('Asia/Tokyo')
      expect((await e2e.server.store.getWorkshop(workshop.id))?.timeZone).toBe('Asia/Tokyo')
    } finally {
      await facilitator.unroute(path)
    }
  })
})

describe('a viewer', () => {
  it('opens the board read-only, with a badge and no add tools', async () => {
    const viewer = await openLink(workshop.links.viewer, 'Vic Viewer')
    await toActionPlan(viewer)
    await viewer.getByText('Read-only', { exact: true }).waitFor({ timeout: WAIT_MS })
    expect(await viewer.getByRole('button', { name: 'Add action' }).count()).toBe(0)
    expect(await switcherBoards(viewer)).toEqual(BOARD_IDS.map((board) => BOARD_TITLES[board]))
    expect(await viewer.getByRole('button', { name: 'Share' }).count()).toBe(0)
    // The guest's action is there, and its fields in the panel cannot be changed.
    await clickShape(viewer, shapeWithText(viewer, 'action', 'Share the security questionnaire'))
    const title = sidePanel(viewer).getByLabel('Title')
    await title.waitFor({ timeout: WAIT_MS })
    expect(await title.isDisabled()).toBe(true)
  })
})
