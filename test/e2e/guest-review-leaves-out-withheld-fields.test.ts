/**
 * Issue 13 ([A36]) on the review page, in real Chromium: a guest's snapshot canvas and plan table
 * leave out the fields that were internal when the snapshot was taken (no "Neutral", "Medium
 * influence", "Role not assessed", no Influence or Attitude column), while the team's review of
 * the same snapshot shows the team's read.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop

/** The stand-ins a guest's records hold for the internal fields, as a card or table would print them. */
const STAND_INS = ['Neutral', 'Medium', 'Role not assessed', 'not assigned', 'Blocker', 'Tina Owner']

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  const settings = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Visible', jobTitle: 'Chief Financial Officer', buyingRole: 'economic_buyer', influence: 'high', attitude: 'blocker', owner: 'Tina Owner' })])
  board.destroy()
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Joint review"}' })
  expect(response.status).toBe(201)
})

/** The review of the stakeholder map at the snapshot, for a page already holding its token. */
async function review(page: Page): Promise<{ card: string; header: string; row: string }> {
  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?board=stakeholders`)
  const card = page.locator('.snapshot-canvas .tl-shape[data-shape-type="stakeholder"]', { hasText: 'Anna Visible' })
  await card.waitFor({ timeout: WAIT_MS })
  const table = page.getByRole('table', { name: 'Stakeholders' })
  const row = table.getByRole('row', { name: /Anna Visible/ })
  await row.waitFor({ timeout: WAIT_MS })
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim()
  return { card: squash(await card.innerText()), header: (await table.locator('thead th').allTextContents()).join(' | '), row: squash(await row.innerText()) }
}

describe("a snapshot's review of a customer-facing stakeholder map", () => {
  it("shows a guest the card and the row without the fields that were internal, nor a stand-in for them", async () => {
    const [person] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
    if (!person) throw new Error('no guest page')
    await waitForBoard(person.page)
    const { card, header, row } = await review(person.page)
    expect(card).toContain('Chief Financial Officer')
    expect(header).toContain('Job title')
    expect(row).toContain('Chief Financial Officer')
    for (const word of ['Buying role', 'Influence', 'Attitude', 'Owner']) expect(header, word).not.toContain(word)
    for (const standIn of [...STAND_INS, 'influence']) {
      expect(card, standIn).not.toContain(standIn)
      expect(row, standIn).not.toContain(standIn)
    }
  })

  it("shows the team the team's read on the card and in the table", async () => {
    const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
    if (!person) throw new Error('no team page')
    await waitForBoard(person.page)
    const { card, header, row } = await review(person.page)
    expect(card).toContain('Blocker')
    expect(card).toContain('High influence')
    expect(header).toContain('Attitude')
    expect(row).toContain('Economic buyer')
  })
})
