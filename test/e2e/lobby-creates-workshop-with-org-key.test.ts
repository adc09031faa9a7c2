/**
 * The lobby in real Chromium (issue 5, docs/security.md [A8], [A11]; issue 12): it asks for the
 * organisation key first (before the New workshop form, which waits for it), keeps it, lists and
 * creates workshops with it, and opens a new workshop at its facilitator link, on the SWOT, with
 * the Share panel showing the four invite links (which name the workshop, not a board); the
 * facilitator renames the workshop there and the header follows.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { TEST_ORG_KEY } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let page: Page

beforeAll(async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  page = await context.newPage()
  page.on('pageerror', (error) => console.error('[lobby] page error:', error))
})

describe('the lobby', () => {
  it('asks for the organisation key, then lists workshops with it', async () => {
    await e2e.server.createWorkshop({ account: 'Contoso', title: 'Existing plan' })
    // Without a key the page asks for one; it does not try the list first and log a 401.
    const refused: string[] = []
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(response.url())
    })
    await page.goto(e2e.server.url)
    const key = page.getByLabel('Organisation key')
    await key.waitFor({ timeout: WAIT_MS })
    expect(refused).toEqual([])
    // The key box comes first, and creating waits for it.
    expect(await page.locator('main h2').allTextContents()).toEqual(['Sign in to your organisation', 'New workshop', 'Recent workshops'])
    expect(await page.getByRole('button', { name: 'Create workshop' }).isDisabled()).toBe(true)
    await key.fill(TEST_ORG_KEY)
    await page.getByRole('button', { name: 'Use this key' }).click()
    await page.getByText('Existing plan').waitFor({ timeout: WAIT_MS })

    // Kept in this browser: a reload lists at once.
    await page.reload()
    await page.getByText('Existing plan').waitFor({ timeout: WAIT_MS })
    expect(await page.getByLabel('Organisation key').count()).toBe(0)
    expect(await page.locator('main h2').allTextContents()).toEqual(['New workshop', 'Portfolio', 'Recent workshops'])
  })

  it('opens a new workshop at its facilitator link, with the four invite links shown', async () => {
    await page.getByRole('textbox', { name: 'Account', exact: true }).fill('Northwind Logistics')
    await page.getByLabel('Workshop title').fill('FY27 account plan')
    await page.getByRole('button', { name: 'Create workshop' }).click()
    // This browser has no display name yet: the workshop asks for it first.
    await page.getByLabel('Your name').fill('Fiona Facilitator')
    await page.getByLabel('Your name').press('Enter')

    const panel = page.getByRole('dialog', { name: 'Share this workshop' })
    await panel.waitFor({ timeout: WAIT_MS })
    for (const label of ['Facilitator', 'Account team', 'Viewer', 'Customer guest']) {
      const link = new URL(await panel.getByRole('textbox', { name: `${label} link` }).inputValue())
      expect(link.pathname).toMatch(/^\/w\/[\w-]+$/)
      expect(link.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    }
    const shown = new URL(page.url())
    expect(shown.pathname).toMatch(/^\/w\/[\w-]+\/swot$/)
    expect(shown.searchParams.has('token')).toBe(false)
    await waitForBoard(page)
  })

  it('opens the Share panel on the first board only, not again on every board switch', async () => {
    const panel = page.getByRole('dialog', { name: 'Share this workshop' })
    await page.getByRole('button', { name: 'Share' }).click()
    await panel.waitFor({ state: 'hidden', timeout: WAIT_MS })
    for (const [title, board] of [['Stakeholder map', 'stakeholders'], ['SWOT', 'swot']] as const) {
      await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: title }).click()
      await page.waitForURL((url) => url.pathname.endsWith(`/${board}`), { timeout: WAIT_MS })
      await waitForBoard(page)
      expect(await panel.isVisible()).toBe(false)
    }
  })

  it('lets the facilitator rename the workshop and the account in the Share panel; the header follows', async () => {
    const panel = page.getByRole('dialog', { name: 'Share this workshop' })
    if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Share' }).click()
    await panel.getByLabel('Account', { exact: true }).fill('Northwind Group')
    await panel.getByLabel('Workshop title', { exact: true }).fill('FY27 joint plan')
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH')
    await panel.getByRole('button', { name: 'Rename' }).click()
    expect((await saved).status()).toBe(200)
    await page.locator('.workshop-heading-account', { hasText: 'Northwind Group' }).waitFor({ timeout: WAIT_MS })
    await page.locator('.workshop-heading-title', { hasText: 'FY27 joint plan' }).waitFor({ timeout: WAIT_MS })
  })

  it('lists an archived workshop only under "Show archived workshops"; the workshop turns read-only', async () => {
    const panel = page.getByRole('dialog', { name: 'Share this workshop' })
    if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Share' }).click()
    page.once('dialog', (dialog) => void dialog.accept())
    const reloaded = page.waitForEvent('load')
    await panel.getByRole('button', { name: 'Archive workshop' }).click()
    await reloaded
    // The header says why it is read-only (it said only "Read-only").
    await page.getByText('Archived · read-only', { exact: true }).waitFor({ timeout: WAIT_MS })

    await page.goto(e2e.server.url)
    // The workshop list only: the portfolio beside it may name an account's last workshop.
    const list = page.locator('.workshop-list')
    await list.getByText('Existing plan').waitFor({ timeout: WAIT_MS })
    expect(await list.getByText('FY27 joint plan').count()).toBe(0)
    await page.getByRole('button', { name: 'Show archived workshops' }).click()
    await list.getByText('FY27 joint plan').waitFor({ timeout: WAIT_MS })
    expect(await list.getByText('Existing plan').count()).toBe(0)
  })

  it('opens a listed workshop as its facilitator over a guest link this browser holds, and over a revoked facilitator link', async () => {
    // QA pass of 2026-12-06: with a token of another role (the guest link opened to preview the
    // customer's view) the lobby opened the workshop as a guest; with a revoked one, not at all.
    const workshop = await e2e.server.createWorkshop({ account: 'Fabrikam', title: 'Preview plan' })
    await page.goto(workshop.links.guest)
    // The page keeps the link's token in this browser.
    await page.waitForFunction((token) => Object.values(localStorage).includes(token), workshop.tokens.guest, { timeout: WAIT_MS })
    const openFromLobby = async () => {
      await page.goto(e2e.server.url)
      await page.locator('.workshop-list').getByText('Preview plan').click()
      await page.waitForURL((url) => url.pathname === `/w/${workshop.id}/swot`, { timeout: WAIT_MS })
      await page.getByRole('button', { name: 'Share' }).waitFor({ timeout: WAIT_MS })
    }
    await openFromLobby()
    const revoked = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/links/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'facilitator' }),
    })
    expect(revoked.status).toBe(200)
    await openFromLobby()
    expect(await page.getByText('This invite link was revoked').count()).toBe(0)

    // QA q28e: the portfolio's list of an account's workshops opened it with the guest's link.
    await page.goto(workshop.links.guest)
    await page.waitForFunction((token) => Object.values(localStorage).includes(token), workshop.tokens.guest, { timeout: WAIT_MS })
    await page.goto(e2e.server.url)
    const row = page.locator('.portfolio-table tr[data-account="Fabrikam"]')
    await row.getByRole('button', { name: /workshops? of Fabrikam/ }).click()
    await page.locator('.account-workshops').getByRole('link', { name: 'Preview plan' }).click()
    await page.waitForURL((url) => url.pathname === `/w/${workshop.id}/swot`, { timeout: WAIT_MS })
    await page.getByRole('button', { name: 'Share' }).waitFor({ timeout: WAIT_MS })
    expect(await page.getByText('This board is not available to you').count()).toBe(0)
  })
})
