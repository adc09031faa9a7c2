/**
 * Naming a snapshot in the review from the keyboard (QA pass of 2026-12-06, docs/accounts.md [K9]):
 * Esc closes the form like Cancel; Cancel, Esc and Save name give the focus back to Name/Rename
 * (it dropped to the page); and the form opens on the stored name, not on one typed and cancelled.
 */
import type { Locator } from 'playwright-core'
import { expect, it } from 'vitest'
import { openPeople, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { takeSnapshot } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

const focused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement)

it('closes on Esc and Cancel with the focus back, opens on the stored name, and saves from the keyboard', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  await takeSnapshot(e2e.server, workshop.id)
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots`, ['Fiona Facilitator'])
  if (!person) throw new Error('openPeople returned no person')
  const { page } = person
  const name = page.getByRole('button', { name: 'Name', exact: true })
  const input = page.getByRole('textbox', { name: 'Snapshot name' })

  await name.click()
  await input.fill('abc')
  await input.press('Escape')
  await input.waitFor({ state: 'detached', timeout: WAIT_MS })
  await waitUntil(() => focused(name), 'the focus back on Name after Esc')

  await page.keyboard.press('Enter') // opens the form again, from the focused button
  expect(await input.inputValue()).toBe('')
  await input.fill('Kick-off')
  await input.press('Enter')
  const rename = page.getByRole('button', { name: 'Rename', exact: true })
  await page.getByRole('heading', { name: 'Kick-off' }).waitFor({ timeout: WAIT_MS })
  await waitUntil(() => focused(rename), 'the focus on Rename after Save name')

  await rename.click()
  expect(await input.inputValue()).toBe('Kick-off')
  await input.fill('Something else')
  await page.getByRole('button', { name: 'Cancel' }).click()
  await waitUntil(() => focused(rename), 'the focus back on Rename after Cancel')
  await rename.click()
  expect(await input.inputValue()).toBe('Kick-off')
})
