/**
 * QA qa-depth (guestline.mjs, guestline2.mjs) in Chromium: a customer guest draws a relationship line
 * on a customer-facing stakeholder map. A new line used to start as "Influences", which is internal
 * by default: the server refused it with 4422 ("… is internal: it belongs in the internal document",
 * [A31]), the guest's board reloaded, and the notice said the team had marked an item internal.
 * Now a guest's line starts as a customer-facing kind, the guest's kind picker offers only those,
 * and with none customer-facing the guest has no relationship to add.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { drawRelationship, openPeople, shapeWithText, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let guest: Page
let team: Page
let guestLoads = 0

/** The kinds of the relationship lines `page` holds. */
function lineKinds(page: Page): Promise<unknown[]> {
  return page.evaluate(() =>
    window.testEditor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'arrow')
      .map((shape) => shape.meta.relationship),
  )
}

async function addCard(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add stakeholder' }).click()
  await sidePanel(page).getByLabel('Name', { exact: true }).fill(name)
  await page.keyboard.press('Escape')
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  const link = new URL(workshop.links.guest)
  link.pathname += '/stakeholders'
  const [guestPerson] = await openPeople(e2e.browser, link.toString(), ['Carla Customer'])
  const [teamPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
  if (!guestPerson || !teamPerson) throw new Error('no pages')
  guest = guestPerson.page
  team = teamPerson.page
  guest.on('load', () => guestLoads++)
  await Promise.all([waitForBoard(guest), waitForBoard(team)])
  await Promise.all([exposeEditor(guest), exposeEditor(team)])
})

it('a guest draws a line of a customer-facing kind: kept, no reload, the team sees it [A31]', async () => {
  await addCard(guest, 'Nina Berg')
  await addCard(guest, 'Amélie Dubois')
  const loadsBefore = guestLoads
  await drawRelationship(guest, shapeWithText(guest, 'stakeholder', 'Nina Berg'), shapeWithText(guest, 'stakeholder', 'Amélie Dubois'))

  await waitUntil(async () => (await lineKinds(team)).length === 1, 'the team sees the guest’s line')
  expect(await lineKinds(team)).toEqual(['reports_to'])
  // Only customer-facing kinds are offered: by default, reports-to alone.
  const kind = sidePanel(guest).getByLabel('Relationship kind')
  expect(await kind.inputValue()).toBe('reports_to')
  expect(await kind.locator('option').allInnerTexts()).toEqual(['Reports to'])
  expect(await guest.locator('[data-testid="tools.arrow"]').count()).toBe(1)
  // Still the same page, connected, with no refusal notice, and the line still there.
  expect(await lineKinds(guest)).toEqual(['reports_to'])
  expect(guestLoads).toBe(loadsBefore)
  expect(await guest.getByRole('alert').count()).toBe(0)
  expect(await guest.locator('.connection').getAttribute('data-state')).toBe('connected')
})

it('with every kind internal, the guest has no relationship to add', async () => {
  const fields = { 'relationship.reports_to': 'internal' }
  const response = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })
  expect(response.status).toBe(200)
  const add = guest.getByRole('button', { name: 'Add relationship' })
  await waitUntil(async () => (await add.getAttribute('aria-disabled')) === 'true', 'the guest’s “Add relationship” is disabled')
  expect(await add.getAttribute('title')).toContain('internal')
  await add.click({ force: true })
  expect(await guest.evaluate(() => window.testEditor.getCurrentToolId())).not.toBe('arrow')
  // tldraw's own arrow tool is gone from the guest's toolbar too.
  await guest.locator('[data-testid="tools.arrow"]').waitFor({ state: 'detached', timeout: WAIT_MS })
})
