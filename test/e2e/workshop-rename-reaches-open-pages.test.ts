/**
 * A workshop renamed in the facilitator's Share panel reaches a colleague's open page at once
 * (docs/server-rules.md [C13]): the header's account and title and the document title change on
 * the team member's page without a reload. Another account name says, before Rename, that it
 * files the workshop under that account rather than renaming the account.
 */
import { expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpFacilitatorAndColleague } from '../helpers/browserTest.ts'

const test = setUpFacilitatorAndColleague()

it('shows the new account and title on a colleague’s open page without a reload', async () => {
  await test.tom.page.locator('.workshop-heading-title', { hasText: 'FY27 account plan' }).waitFor({ timeout: WAIT_MS })
  expect(await test.tom.page.title()).toContain('Northwind')
  // Marks this very document: a reload would lose it.
  await test.tom.page.evaluate(() => {
    document.documentElement.dataset['testNotReloaded'] = 'yes'
  })

  await test.fran.page.getByRole('button', { name: 'Share', exact: true }).click()
  const panel = test.fran.page.getByRole('dialog', { name: 'Share this workshop' })
  const hint = panel.getByRole('status').filter({ hasText: 'Files this workshop under the account named so' })
  await panel.getByLabel('Account', { exact: true }).fill('northwind  ')
  expect(await hint.count()).toBe(0) // the same account, by case and spaces
  await panel.getByLabel('Account', { exact: true }).fill('Northwind Logistics')
  await hint.waitFor({ timeout: WAIT_MS })
  await panel.getByLabel('Workshop title', { exact: true }).fill('FY27 joint plan')
  await panel.getByRole('button', { name: 'Rename' }).click()
  await test.fran.page.locator('.workshop-heading-title', { hasText: 'FY27 joint plan' }).waitFor({ timeout: WAIT_MS })

  await test.tom.page.locator('.workshop-heading-title', { hasText: 'FY27 joint plan' }).waitFor({ timeout: WAIT_MS })
  await test.tom.page.locator('.workshop-heading-account', { hasText: 'Northwind Logistics' }).waitFor({ timeout: WAIT_MS })
  await test.tom.page.waitForFunction(() => document.title.includes('Northwind Logistics'), undefined, { timeout: WAIT_MS })
  expect(await test.tom.page.evaluate(() => document.documentElement.dataset['testNotReloaded'])).toBe('yes')
})
