/**
 * [S45] A server that hangs (stopped with SIGSTOP: the process is alive and its sockets stay open,
 * but nothing is answered, as with a stuck proxy or an uplink gone without a TCP close) is noticed
 * by the open pages within seconds: the badge leaves Connected, and so do the room's controls (the
 * facilitator's Present button is disabled), rather than saying Connected for the 30 s the
 * provider waits on a silent socket (QA: 26–31 s, while nothing anyone typed reached anyone). Once
 * the server answers again, the pages reconnect by themselves and a note typed during the hang
 * reaches the other page.
 *
 * The server runs as a child process, so that it can be stopped and continued.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { addNoteWithKeyboard, closeContexts, openPeople, shapeWithText, sharedBrowser, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'

/**
 * How long the badge may take to leave Connected: well under the provider's own 30 s, so that the
 * test fails without the page's watch on silence. A bound of the poll, not a timing assertion.
 */
const NOTICED_WITHIN_MS = 15_000

const dataDir = tempDataDir()
let server: ChildServer
let browser: Browser
let alice: Person
let bob: Person

beforeAll(async () => {
  await ensureClientBuilt()
  server = await startChildServer({ DATA_DIR: dataDir })
  browser = await sharedBrowser()
  const workshop = await createWorkshop(server.url, { account: 'Northwind Logistics', title: 'FY27 account plan' })
  const people = await openPeople(browser, `${server.url}/w/${workshop.id}/swot`, ['Alice Archer', 'Bob Baker'])
  const [first, second] = people
  if (!first || !second) throw new Error('openPeople returned fewer pages')
  alice = first
  bob = second
  await waitForBoard(alice.page)
  await waitForBoard(bob.page)
})

afterAll(async () => {
  if (browser) await closeContexts(browser)
  if (server) {
    // A stopped process takes no SIGTERM until it is continued.
    server.process.kill('SIGCONT')
    server.process.kill('SIGTERM')
    await server.exited
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
})

it('leaves Connected while the server hangs, then reconnects and delivers what was typed meanwhile', async () => {
  const state = (person: Person) => person.page.locator('.connection').getAttribute('data-state')
  const present = alice.page.getByRole('button', { name: 'Present', exact: true })
  expect(await state(alice)).toBe('connected')
  await expect.poll(() => present.isDisabled(), { timeout: WAIT_MS }).toBe(false)

  server.process.kill('SIGSTOP')
  await expect.poll(() => state(alice), { timeout: NOTICED_WITHIN_MS }).not.toBe('connected')
  await expect.poll(() => present.isDisabled(), { timeout: NOTICED_WITHIN_MS }).toBe(true)
  await addNoteWithKeyboard(alice.page, 0.4, 0.4, 'Typed while the server hung')

  server.process.kill('SIGCONT')
  await expect.poll(() => state(alice), { timeout: WAIT_MS }).toBe('connected')
  await expect.poll(() => present.isDisabled(), { timeout: WAIT_MS }).toBe(false)
  await shapeWithText(bob.page, 'note', 'Typed while the server hung').waitFor({ timeout: WAIT_MS })
  expect(await state(bob)).toBe('connected')
})
