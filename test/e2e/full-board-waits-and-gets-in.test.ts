import { beforeAll, expect, test } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

// One connection per board: the second person is turned away (4503) until the first leaves.
const fixture = setUpBrowserTest({ maxConnectionsPerRoom: 1 })
let workshop: TestWorkshop
beforeAll(async () => {
  workshop = await fixture.server.createWorkshop({ account: 'Northwind Logistics', title: 'Full board' })
})

test('a person turned away from a full board sees "Board full" and gets in once someone leaves [A13]', async () => {
  const url = `${fixture.server.url}/w/${workshop.id}/swot`
  const [alice] = await openPeople(fixture.browser, url, ['Alice Archer'])
  if (!alice) throw new Error('no page for Alice')
  await waitForBoard(alice.page)

  const [bob] = await openPeople(fixture.browser, url, ['Bob Baker'])
  if (!bob) throw new Error('no page for Bob')
  const badge = bob.page.locator('.connection')
  await bob.page.locator('.connection[data-state="full"]').waitFor({ timeout: WAIT_MS })
  expect(await badge.textContent()).toContain('Board full')
  expect(await badge.getAttribute('title')).toMatch(/lets you in when someone leaves/)
  // A first visit has no copy of the board to show meanwhile: the page says why, not "Loading" for good (review).
  await bob.page.getByRole('heading', { name: 'This board is full' }).waitFor({ timeout: WAIT_MS })

  // Alice leaves: Bob's page keeps retrying and gets in.
  await alice.context.close()
  await waitForBoard(bob.page)
  await bob.context.close()
})
