/**
 * Issue 13 in Chromium: on a customer-facing stakeholder map, the guest's page (its DOM and every
 * websocket frame and API response it receives) never holds an internal field or item the team
 * wrote ([A30]–[A34]); the team's page shows them, and its "View as customer" shows exactly the
 * texts of the guest's page, from the shared document alone.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
const CANARY = 'CANARY-e2e-91c'
let workshop: TestWorkshop
let guest: Page
let team: Page
const guestHeard: string[] = []

/** The texts of the shapes a page shows, sorted (one entry per shape). */
async function shapeTexts(page: Page): Promise<string[]> {
  const texts = await page.locator('.tl-shape').allInnerTexts()
  return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => text !== '').sort()
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  const settings = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: true, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([
    stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Visible', jobTitle: 'Chief Financial Officer', attitude: 'blocker', owner: `${CANARY} owner`, notes: `${CANARY} notes` }),
    note('shape:secret', { x: 500, y: 100, meta: { [INTERNAL_META_KEY]: true } }, `${CANARY} item`),
  ])
  board.destroy()

  const [guestPerson] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  if (!guestPerson) throw new Error('no guest page')
  guest = guestPerson.page
  guest.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => guestHeard.push(typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1'))),
  )
  guest.on('response', async (response) => {
    if (response.url().includes('/api/')) guestHeard.push(await response.text().catch(() => ''))
  })
  const [teamPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
  if (!teamPerson) throw new Error('no team page')
  team = teamPerson.page
  await Promise.all([waitForBoard(guest), waitForBoard(team)])
})

describe('a guest on a customer-facing stakeholder map', () => {
  it('sees the visible fields and never an internal field or item, in the DOM or on the wire [A30][A31][A34]', async () => {
    await guest.goto(`${e2e.server.url}/w/${workshop.id}/stakeholders`)
    await waitForBoard(guest)
    await shapeWithText(guest, 'stakeholder', 'Anna Visible').waitFor({ timeout: WAIT_MS })
    await shapeWithText(guest, 'stakeholder', 'Chief Financial Officer').waitFor({ timeout: WAIT_MS })
    // The team's page shows the internal part on the same board.
    await shapeWithText(team, 'stakeholder', 'Blocker').waitFor({ timeout: WAIT_MS })
    await team.getByText(`${CANARY} item`).first().waitFor({ timeout: WAIT_MS })
    // The internal note carries the lock and hatched-edge marker on the team's canvas, never on the guest's.
    await team.locator('.keyplan-internal-marker[data-shape-id="shape:secret"]').waitFor({ timeout: WAIT_MS })
    expect(await guest.locator('.keyplan-internal-marker').count()).toBe(0)
    expect(await guest.content()).not.toContain(CANARY)
    expect(await guest.content()).not.toContain('Blocker')
    expect(guestHeard.join('\n')).not.toContain(CANARY)
    // Nor the defaults the guest holds in their place, which the card would show as our read on Anna.
    const card = (await shapeWithText(guest, 'stakeholder', 'Anna Visible').innerText()).replace(/\s+/g, ' ')
    for (const standIn of ['Neutral', 'Medium influence', 'Role not assessed', 'not assigned']) expect(card).not.toContain(standIn)
  })

  it('"View as customer" on the team page shows exactly the texts of the guest page', async () => {
    await team.getByRole('button', { name: 'View as customer' }).click()
    await waitForBoard(team)
    await shapeWithText(team, 'stakeholder', 'Anna Visible').waitFor({ timeout: WAIT_MS })
    let customer: string[] = []
    const guestTexts = await shapeTexts(guest)
    for (let i = 0; i < 50; i++) {
      customer = await shapeTexts(team)
      if (JSON.stringify(customer) === JSON.stringify(guestTexts)) break
      await team.waitForTimeout(100)
    }
    expect(customer).toEqual(guestTexts)
    expect(customer.join(' ')).not.toContain(CANARY)
    // A preview: no tools that would do nothing there, no plan health (a guest has none; its items
    // name internal fields) (QA pass of 2026-12-06).
    expect(await team.getByRole('button', { name: 'Add stakeholder' }).count()).toBe(0)
    expect(await team.locator('.health-panel').count()).toBe(0)
    await team.getByRole('button', { name: 'Back to the team view' }).click()
    await team.getByRole('button', { name: 'Add stakeholder' }).waitFor({ timeout: WAIT_MS })
    await team.locator('.health-panel').waitFor({ timeout: WAIT_MS })
  })
})
