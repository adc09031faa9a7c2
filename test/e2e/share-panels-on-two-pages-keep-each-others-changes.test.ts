/**
 * Two facilitator pages (two people, or one person's two tabs) with the Share panel open. QA pass
 * of 2026-12-06: each panel kept what it loaded when it opened, and sent it whole. One page made
 * the action plan internal, the other then shared the objectives and with them the action plan
 * again (the connected guest had it back); a rename on one page was undone by a rename of the
 * account on the other. Now an open panel follows the other page's changes, a board switch sends
 * its own board only, and a rename sends only the name that was changed.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { BoardSettingsSchema } from '../../shared/roles.ts'
import { openPeople, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let first: Page
let second: Page

const panel = (page: Page) => page.getByRole('dialog', { name: 'Share this workshop' })
const boardSwitch = (page: Page, title: string) => panel(page).getByRole('switch', { name: title })

async function storedSettings() {
  const response = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  return BoardSettingsSchema.parse(await response.json()).customerFacing
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint session' })
  const people = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fiona', 'Felix'])
  ;[first, second] = people.map((person) => person.page) as [Page, Page]
  for (const page of [first, second]) {
    await waitForBoard(page)
    await page.getByRole('button', { name: 'Share' }).click()
    await boardSwitch(page, 'Action plan').waitFor({ timeout: WAIT_MS })
  }
})

it('a board switched on one page follows on the other, and a switch there changes its own board only', async () => {
  expect(await boardSwitch(second, 'Action plan').isChecked()).toBe(true)
  const saved = first.waitForResponse((r) => r.url().endsWith('/settings') && r.request().method() === 'PUT')
  await boardSwitch(first, 'Action plan').uncheck()
  expect((await saved).status()).toBe(200)
  await waitUntil(async () => !(await boardSwitch(second, 'Action plan').isChecked()), 'the other page’s switch to follow')

  const savedThere = second.waitForResponse((r) => r.url().endsWith('/settings') && r.request().method() === 'PUT')
  await boardSwitch(second, 'Objectives & KPIs').check()
  expect((await savedThere).status()).toBe(200)
  expect(await storedSettings()).toMatchObject({ actions: false, objectives: true })
  await waitUntil(async () => boardSwitch(first, 'Objectives & KPIs').isChecked(), 'the first page’s switch to follow')
  expect(await boardSwitch(first, 'Action plan').isChecked()).toBe(false)
})

it('a rename on one page shows in the other’s form; renaming the account there keeps the new title', async () => {
  const title = (page: Page) => panel(page).getByRole('textbox', { name: 'Workshop title', exact: true })
  const account = (page: Page) => panel(page).getByRole('textbox', { name: 'Account', exact: true })
  await title(first).fill('Joint session, renamed')
  await panel(first).getByRole('button', { name: 'Rename' }).click()
  await waitUntil(async () => (await title(second).inputValue()) === 'Joint session, renamed', 'the other page’s form to follow')

  await account(second).fill('Northwind Group')
  await panel(second).getByRole('button', { name: 'Rename' }).click()
  await waitUntil(async () => (await account(first).inputValue()) === 'Northwind Group', 'the first page’s form to follow')
  const stored = await (await fetch(`${e2e.server.url}/api/workshops/${workshop.id}`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })).json()
  expect(stored).toMatchObject({ title: 'Joint session, renamed', account: 'Northwind Group' })
})

it('guest links revoked on one page: the other page’s panel shows a new guest link, not the revoked one', async () => {
  const guestLink = (page: Page) => panel(page).getByRole('textbox', { name: 'Customer guest link' })
  const before = await guestLink(second).inputValue()
  first.once('dialog', (dialog) => void dialog.accept())
  await panel(first).getByRole('button', { name: 'Revoke customer guest links' }).click()
  await waitUntil(async () => (await guestLink(first).inputValue()) !== before, 'a new guest link on the first page')
  // Links are minted afresh at each read: the other page's is a new one too, not the revoked one.
  await waitUntil(async () => (await guestLink(second).inputValue()) !== before, 'the other page’s panel to show a new link')
})
