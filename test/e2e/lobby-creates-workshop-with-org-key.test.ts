/**
 * The lobby in real Chromium (issue 5, docs/security.md [A8], [A11]): it asks for the
 * organisation key once, keeps it, lists and creates workshops with it, and opens a new workshop
 * at its facilitator link with the Share panel showing the four invite links.
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
    await page.goto(e2e.server.url)
    const key = page.getByLabel('Organisation key')
    await key.waitFor({ timeout: WAIT_MS })
    await key.fill(TEST_ORG_KEY)
    await page.getByRole('button', { name: 'Use this key' }).click()
    await page.getByText('Existing plan').waitFor({ timeout: WAIT_MS })

    // Kept in this browser: a reload lists at once.
    await page.reload()
    await page.getByText('Existing plan').waitFor({ timeout: WAIT_MS })
    expect(await page.getByLabel('Organisation key').count()).toBe(0)
  })

  it('opens a new workshop at its facilitator link, with the four invite links shown', async () => {
    await page.getByLabel('Account').fill('Northwind Logistics')
    await page.getByLabel('Workshop title').fill('FY27 account plan')
    await page.getByRole('button', { name: 'Create workshop' }).click()
    // This browser has no display name yet: the workshop asks for it first.
    await page.getByLabel('Your name').fill('Fiona Facilitator')
    await page.getByLabel('Your name').press('Enter')

    const panel = page.getByRole('dialog', { name: 'Share this workshop' })
    await panel.waitFor({ timeout: WAIT_MS })
    for (const label of ['Facilitator', 'Account team', 'Viewer', 'Customer guest']) {
      const link = new URL(await panel.getByRole('textbox', { name: `${label} link` }).inputValue())
      expect(link.pathname).toMatch(/^\/w\/[\w-]+\/\w+$/)
      expect(link.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+$/)
    }
    const shown = new URL(page.url())
    expect(shown.pathname).toMatch(/^\/w\/[\w-]+\/actions$/)
    expect(shown.searchParams.has('token')).toBe(false)
    await waitForBoard(page)
  })
})
