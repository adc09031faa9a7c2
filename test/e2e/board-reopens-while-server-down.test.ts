/**
 * Offline (issue 12): a board opened once opens again after a reload while the server is down
 * (the service worker serves the app shell, the board comes from IndexedDB, with the page's own
 * edits and those it received), takes edits, and
 * syncs them when the server is back (same data, same address): the other page gets them.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { addNoteWithKeyboard, closeContexts, openPeople, shapeWithText, sharedBrowser, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let browser: Browser
let workshop: TestWorkshop
let alice: Person
let bob: Person

beforeAll(async () => {
  await ensureClientBuilt()
  server = await startServer()
  browser = await sharedBrowser()
  workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const people = await openPeople(browser, `${server.url}/w/${workshop.id}/swot`, ['Alice Archer', 'Bob Baker'])
  if (!people[0] || !people[1]) throw new Error('openPeople returned fewer people than names')
  ;[alice, bob] = people
  await Promise.all([waitForBoard(alice.page), waitForBoard(bob.page)])
})

afterAll(async () => {
  if (browser) await closeContexts(browser)
  await server?.close()
})

it('reopens the board from the cache while the server is down, and syncs the edits made meanwhile when it is back', async () => {
  await addNoteWithKeyboard(alice.page, 0.3, 0.35, 'Written before the outage')
  await shapeWithText(bob.page, 'note', 'Written before the outage').waitFor({ timeout: WAIT_MS })
  // A teammate's change too: Alice's page stores what it receives as it came in (issue 14).
  await addNoteWithKeyboard(bob.page, 0.7, 0.3, 'Bob wrote this before the outage')
  await shapeWithText(alice.page, 'note', 'Bob wrote this before the outage').waitFor({ timeout: WAIT_MS })
  // The service worker has installed its cache and serves Alice's page.
  await expect
    .poll(() => alice.page.evaluate(() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)), { timeout: WAIT_MS })
    .toBe(true)

  const port = new URL(server.url).port
  await server.stop()
  await alice.page.locator('.connection:not([data-state="connected"])').waitFor({ timeout: WAIT_MS })

  await alice.page.reload()
  await alice.page.locator('.tl-canvas').waitFor({ timeout: WAIT_MS })
  await shapeWithText(alice.page, 'note', 'Written before the outage').waitFor({ timeout: WAIT_MS })
  await shapeWithText(alice.page, 'note', 'Bob wrote this before the outage').waitFor({ timeout: WAIT_MS })
  expect(await alice.page.locator('.connection').getAttribute('data-state')).not.toBe('connected')
  // The header names the workshop as the page read it last (QA q27b: it had no name while offline).
  await alice.page.locator('.app-header .workshop-heading-account').filter({ hasText: 'Northwind Logistics' }).waitFor({ timeout: WAIT_MS })
  expect(await alice.page.locator('.app-header .workshop-heading-title').textContent()).toBe('FY27 account plan')
  await addNoteWithKeyboard(alice.page, 0.65, 0.7, 'Written while the server was down')

  server = await startServer({ dataDir: server.dataDir, port: Number(port) })
  await alice.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  await bob.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  await shapeWithText(bob.page, 'note', 'Written while the server was down').waitFor({ timeout: WAIT_MS })
  await shapeWithText(bob.page, 'note', 'Written before the outage').waitFor({ timeout: WAIT_MS })
})
