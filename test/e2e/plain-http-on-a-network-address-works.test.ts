/**
 * A team on one network (README: `HOST=0.0.0.0 npm start`, then `http://<this machine>:8787`):
 * over plain http on an address other than localhost the page is no secure context, so
 * `crypto.randomUUID` and `navigator.clipboard` do not exist. Every board page was blank there
 * (QA q35b: "crypto.randomUUID is not a function"), and the Copy buttons did nothing. Chromium
 * here maps a made-up host name to the test server's loopback address, which it treats as any
 * network address: the board opens and is editable, and Copy copies the link.
 */
import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CHROMIUM_ARGS, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

const HOST = 'keyplan-lan.test'
let server: TestServer
let browser: Browser
let page: Page

beforeAll(async () => {
  await ensureClientBuilt()
  server = await startServer()
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`] })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

it('opens a board, edits it and copies a link over plain http on a network address', async () => {
  const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const url = new URL(`/w/${workshop.id}/actions`, server.url.replace('127.0.0.1', HOST))
  url.searchParams.set('token', workshop.tokens.facilitator)
  url.searchParams.set('name', 'Fran Facilitator')
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
  page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(url.toString())
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false)
  await waitForBoard(page)
  expect(await page.evaluate(() => localStorage.getItem('keyplan:userId'))).toMatch(/^user:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

  await page.getByRole('button', { name: 'Add action' }).click()
  await page.getByLabel('Title').fill('Pilot proposal')
  await page.locator('.tl-shape[data-shape-type="action"]').filter({ hasText: 'Pilot proposal' }).waitFor({ timeout: WAIT_MS })

  // What a copy puts on the clipboard, as the page's own copy event sees it.
  await page.evaluate(() => {
    document.addEventListener('copy', () => {
      ;(window as unknown as { copied: string }).copied = document.getSelection()?.toString() ?? ''
    })
  })
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  const viewer = page.locator('.share-link[data-role="viewer"]')
  await viewer.getByRole('button', { name: 'Copy' }).click()
  await viewer.getByRole('button', { name: 'Copied' }).waitFor({ timeout: WAIT_MS })
  const link = await viewer.getByRole('textbox').inputValue()
  expect(await page.evaluate(() => (window as unknown as { copied?: string }).copied)).toBe(link)
  expect(errors).toEqual([])
  await context.close()
})
