/**
 * One facilitator, two tabs of one browser. Revoking the facilitator links in the first tab reloads
 * it with the new link; the second tab, whose connections the revoke closed, goes on with that new
 * link too, as soon as the first tab stores it (QA pass of 2026-12-06: "This invite link was
 * revoked" until reloaded by hand, though the browser held the new link).
 */
import { expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('the second tab opens again with the link the first tab got', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Two tabs' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
  const link = new URL(workshop.links.facilitator)
  link.searchParams.set('name', 'Fiona')
  const first = await context.newPage()
  await first.goto(link.toString())
  await waitForBoard(first)
  const second = await context.newPage()
  await second.goto(`${e2e.server.url}/w/${workshop.id}/swot`)
  await waitForBoard(second)

  await first.getByRole('button', { name: 'Share' }).click()
  first.once('dialog', (dialog) => void dialog.accept())
  const reloaded = first.waitForEvent('load')
  const secondReloaded = second.waitForEvent('load', { timeout: WAIT_MS })
  await first.getByRole('button', { name: 'Revoke facilitator links' }).click()
  await reloaded
  await waitForBoard(first)
  // The second tab was refused (its sockets closed 4401), then opens again with the new link.
  await secondReloaded
  await waitForBoard(second)
  await second.getByRole('button', { name: 'Share' }).waitFor({ timeout: WAIT_MS })
  expect(await second.getByText('This invite link was revoked').count()).toBe(0)
  await context.close()
})
