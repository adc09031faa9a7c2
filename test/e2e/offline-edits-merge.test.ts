/**
 * A person who loses the network keeps editing; the board says so, and when the network is back
 * the edits reach the other page.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { launchBrowser, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
let browser: Browser
let alice: Person
let bob: Person

beforeAll(async () => {
  await ensureClientBuilt()
  server = await startServer()
  browser = await launchBrowser()
  const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  ;[alice, bob] = (await openPeople(browser, `${server.url}/w/${workshop.id}/actions`, ['Alice Archer', 'Bob Baker'])) as [
    Person,
    Person,
  ] // openPeople returns one person per name
  await Promise.all([waitForBoard(alice.page), waitForBoard(bob.page)])
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('editing while offline', () => {
  it('delivers A’s offline edits to B once A is back online', async () => {
    const { page, context } = alice
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill('Book the executive sponsor meeting')
    await shapeWithText(bob.page, 'action', 'Book the executive sponsor meeting').waitFor({ timeout: WAIT_MS })

    await context.setOffline(true)
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
    await sidePanel(page).getByLabel('Title').fill('Book the executive sponsor meeting for March')
    await sidePanel(page).getByLabel('Owner').fill('Alice Archer')
    await shapeWithText(page, 'action', 'for March').waitFor({ timeout: WAIT_MS })

    await context.setOffline(false)
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
    await shapeWithText(bob.page, 'action', 'Book the executive sponsor meeting for March').waitFor({ timeout: WAIT_MS })
    await shapeWithText(bob.page, 'action', 'Alice Archer').waitFor({ timeout: WAIT_MS })
  })
})
