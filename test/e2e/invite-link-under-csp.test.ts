/**
 * A guest opens the guest invite link in real Chromium: the token leaves the address bar at once,
 * and the action plan works (a sticky note is written) under the Content-Security-Policy without a
 * single violation (docs/security.md [A11], [A12]).
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { addNoteWithKeyboard, waitForBoard } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let page: Page
const violations: string[] = []

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint session' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  page = await context.newPage()
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.warn(`csp-violation ${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  page.on('console', (message) => {
    if (message.text().startsWith('csp-violation')) violations.push(message.text())
  })
  const link = new URL(workshop.links.guest)
  link.searchParams.set('name', 'Carla Customer')
  await page.goto(link.toString())
  await waitForBoard(page)
})

it('removes the token from the address bar and keeps the board working under the CSP', async () => {
  const shown = new URL(page.url())
  expect(shown.pathname).toBe(`/w/${workshop.id}/actions`)
  expect(shown.searchParams.has('token')).toBe(false)

  await addNoteWithKeyboard(page, 0.4, 0.5, 'Customer: send the security questionnaire')
  expect(violations).toEqual([])
})
