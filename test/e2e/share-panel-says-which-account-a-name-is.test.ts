/**
 * The Share panel says which account a typed account name is before the facilitator saves, in
 * Chromium (QA q35b 3: one sentence for an existing account and for a typo, which silently made a
 * new account that can only be archived): an existing one in its own spelling, or a new one.
 */
import { it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('names the existing account a typed name files the workshop under, or says it makes a new one', async () => {
  await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY26 plan' })
  const workshop = await e2e.server.createWorkshop({ account: 'Contoso', title: 'FY27 plan' })
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!fran) throw new Error('openPeople opened nobody')
  const page = fran.page
  await waitForBoard(page)
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  const account = page.getByRole('textbox', { name: 'Account', exact: true })
  await account.fill('northwind   LOGISTICS')
  await page.getByRole('status').filter({ hasText: 'Files this workshop under the existing account “Northwind Logistics”.' }).waitFor({ timeout: WAIT_MS })
  await account.fill('Nortwind Logistics')
  await page.getByRole('status').filter({ hasText: 'No account is called so: saving makes a new account “Nortwind Logistics” for this workshop.' }).waitFor({ timeout: WAIT_MS })
})
