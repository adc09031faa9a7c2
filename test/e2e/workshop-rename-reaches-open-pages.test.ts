/**
 * A workshop renamed in the facilitator's Share panel reaches a colleague's open page at once
 * (docs/server-rules.md [C13]): the header's account and title and the document title change on
 * the team member's page without a reload. Another account name says, before Rename, that it
 * files the workshop under that account rather than renaming the account.
 */
import { beforeAll, expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop
let fran: Person
let tom: Person

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind', title: 'FY27 account plan' })
  const [facilitator] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  const [team] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!facilitator || !team) throw new Error('openPeople returned nobody')
  fran = facilitator
  tom = team
  await Promise.all([waitForBoard(fran.page), waitForBoard(tom.page)])
})

it('shows the new account and title on a colleague’s open page without a reload', async () => {
  await tom.page.locator('.workshop-heading-title', { hasText: 'FY27 account plan' }).waitFor({ timeout: WAIT_MS })
  expect(await tom.page.title()).toContain('Northwind')
  // Marks this very document: a reload would lose it.
  await tom.page.evaluate(() => {
    document.documentElement.dataset['testNotReloaded'] = 'yes'
  })

  await fran.page.getByRole('button', { name: 'Share', exact: true }).click()
  const panel = fran.page.getByRole('dialog', { name: 'Share this workshop' })
  const hint = panel.getByRole('status').filter({ hasText: 'Files this workshop under the account named so' })
  await panel.getByLabel('Account', { exact: true }).fill('northwind  ')
  expect(await hint.count()).toBe(0) // the same account, by case and spaces
  await panel.getByLabel('Account', { exact: true }).fill('Northwind Logistics')
  await hint.waitFor({ timeout: WAIT_MS })
  await panel.getByLabel('Workshop title', { exact: true }).fill('FY27 joint plan')
  await panel.getByRole('button', { name: 'Rename' }).click()
  await fran.page.locator('.workshop-heading-title', { hasText: 'FY27 joint plan' }).waitFor({ timeout: WAIT_MS })

  await tom.page.locator('.workshop-heading-title', { hasText: 'FY27 joint plan' }).waitFor({ timeout: WAIT_MS })
  await tom.page.locator('.workshop-heading-account', { hasText: 'Northwind Logistics' }).waitFor({ timeout: WAIT_MS })
  await tom.page.waitForFunction(() => document.title.includes('Northwind Logistics'), undefined, { timeout: WAIT_MS })
  expect(await tom.page.evaluate(() => document.documentElement.dataset['testNotReloaded'])).toBe('yes')
})
