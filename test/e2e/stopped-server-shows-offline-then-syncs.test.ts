/**
 * The connection badge when the server goes away while a board is open (the browser itself stays
 * online): after a few seconds of failed reconnects it says Offline, not "Reconnecting…" for ever,
 * so no one in the workshop believes their edits are being shared. An edit made meanwhile is kept
 * in the page; when the server is back (same data, same address) the badge says Connected again
 * and the edit reaches the server.
 */
import { afterAll, beforeAll, it } from 'vitest'
import { addNoteWithKeyboard, closeContexts, openPeople, shapeWithText, sharedBrowser, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import type { Browser } from 'playwright-core'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let browser: Browser
let workshop: TestWorkshop
let alice: Person

beforeAll(async () => {
  await ensureClientBuilt()
  server = await startServer()
  browser = await sharedBrowser()
  workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [person] = await openPeople(browser, `${server.url}/w/${workshop.id}/swot`, ['Alice Archer'])
  if (!person) throw new Error('openPeople returned no page')
  alice = person
  await waitForBoard(alice.page)
})

afterAll(async () => {
  if (browser) await closeContexts(browser)
  await server?.close()
})

it('says Offline while the server is down, then Connected, and the edit made offline reaches the server', async () => {
  const badge = alice.page.locator('.connection')
  await badge.and(alice.page.locator('[data-state="connected"]')).waitFor({ timeout: WAIT_MS })
  const port = Number(new URL(server.url).port)
  await server.stop()

  // Polled, not timed: the badge gets there after the page's grace.
  const offline = alice.page.locator('.connection[data-state="offline"]')
  await offline.waitFor({ timeout: WAIT_MS })
  await offline.getByText('Offline').waitFor({ timeout: WAIT_MS })
  await addNoteWithKeyboard(alice.page, 0.4, 0.4, 'Written while the server was down')
  // Still offline: the failed reconnects go on.
  await offline.waitFor({ timeout: WAIT_MS })

  server = await startServer({ dataDir: server.dataDir, port })
  await alice.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  // A page opened now reads the board from the server alone.
  const [bob] = await openPeople(browser, `${server.url}/w/${workshop.id}/swot`, ['Bob Baker'])
  if (!bob) throw new Error('openPeople returned no page')
  await waitForBoard(bob.page)
  await shapeWithText(bob.page, 'note', 'Written while the server was down').waitFor({ timeout: WAIT_MS })
})
