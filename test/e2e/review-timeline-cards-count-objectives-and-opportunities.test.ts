/**
 * The review page's timeline cards (QA, 2026-12-05), in real Chromium: besides notes, people and
 * actions, each snapshot's card counts its objectives and open opportunities; a guest's card
 * counts only what the guest may see, never an internal card ([A36]).
 */
import type { TLShape } from '@tldraw/tlschema'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { objective, whitespaceCell } from '../helpers/planBoards.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
const clients: BoardClient[] = []

const internal = (shape: TLShape): TLShape => ({ ...shape, meta: { ...shape.meta, [INTERNAL_META_KEY]: true } })

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const settings = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true } }),
  })
  expect(settings.status).toBe(200)
  const objectives = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  const whitespace = await openBoard(e2e.server, workshop.id, 'whitespace', 'Ada')
  clients.push(objectives, whitespace)
  await objectives.write([
    objective('shape:grow', { x: 0, y: 0 }, { objective: 'Grow logistics' }),
    objective('shape:keep', { x: 400, y: 0 }, { objective: 'Keep billing' }),
    internal(objective('shape:squeeze', { x: 800, y: 0 }, { objective: 'Squeeze their margin' })),
  ])
  await whitespace.write([
    whitespaceCell('shape:open', { x: 0, y: 0 }, { row: 'Logistics', column: 'Billing', kind: 'opportunity', value: 100_000, probability: 50 }),
    internal(whitespaceCell('shape:secret-deal', { x: 400, y: 0 }, { row: 'Logistics', column: 'Tracking', kind: 'opportunity', value: 900_000, probability: 10 })),
  ])
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Joint review"}' })
  expect(response.status).toBe(201)
})

afterAll(() => {
  for (const client of clients) client.destroy()
})

/** The counts on the snapshot's timeline card, one text each. */
async function cardCounts(page: Page): Promise<string[]> {
  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?board=objectives`)
  const card = page.locator('.timeline-entry', { hasText: 'Joint review' })
  await card.locator('.timeline-count', { hasText: 'objective' }).waitFor({ timeout: WAIT_MS })
  return (await card.locator('.timeline-count').allInnerTexts()).map((text) => text.trim())
}

describe("a snapshot's timeline card", () => {
  it('counts the objectives and open opportunities for the team', async () => {
    const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/objectives`, ['Tina Team'])
    if (!person) throw new Error('no team page')
    await waitForBoard(person.page)
    const counts = await cardCounts(person.page)
    expect(counts).toContain('3 objectives')
    expect(counts).toContain('2 open opportunities')
  })

  it('counts for a guest only the objectives and open opportunities the guest sees', async () => {
    const [person] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
    if (!person) throw new Error('no guest page')
    await waitForBoard(person.page)
    const counts = await cardCounts(person.page)
    expect(counts).toContain('2 objectives')
    expect(counts).toContain('1 open opportunity')
    expect(counts.join(' ')).not.toMatch(/3 objectives|2 open/)
  })

  it('counts nothing for a board the guest does not see, where it said "0 notes" (QA pass of 2026-12-06)', async () => {
    const settings = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: true, actions: true, whitespace: true } }),
    })
    expect(settings.status).toBe(200)
    const [person] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
    if (!person) throw new Error('no guest page')
    await waitForBoard(person.page)
    const counts = await cardCounts(person.page)
    expect(counts).toContain('0 people')
    expect(counts.join(' ')).not.toContain('note')
    // The team still sees every count.
    const [team] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/objectives`, ['Tina Team'])
    if (!team) throw new Error('no team page')
    expect(await cardCounts(team.page)).toContain('0 notes')
  })
})
