/**
 * A reviewer comparing the review page with the exports sees the same rows in the same order
 * (QA, 2026-12-05), in real Chromium: the Whitespace table lists cells as the Whitespace CSV does,
 * and the "By business unit" table lists units as the Units CSV does, both in the matrix's order
 * (`shared/whitespaceOrder.ts`), not the board's reading order nor "units with opportunities first".
 * A cell's notes show under its unit, as the Markdown and the PDF list them (QA q26b: they were
 * in neither the review page nor the PDF).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { axisHeader, whitespaceCell } from '../helpers/planBoards.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let snapshotId: string
let page: Page
const clients: BoardClient[] = []

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const whitespace = await openBoard(e2e.server, workshop.id, 'whitespace', 'Ada')
  clients.push(whitespace)
  await whitespace.write([
    axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Logistics'),
    axisHeader('shape:r2', 'row', { x: 0, y: 400 }, 'Finance'),
    axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Billing'),
    axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Tracking'),
    // Above the headers, so their props alone name the place: read top to bottom, Finance comes first.
    whitespaceCell('shape:fin-open', { x: 5000, y: -500 }, { row: 'Finance', column: 'Tracking', kind: 'opportunity', value: 50_000, probability: 50 }),
    whitespaceCell('shape:log-rival', { x: 5000, y: -400 }, { row: 'Logistics', column: 'Tracking', kind: 'competitor', competitor: 'Globex', value: 100_000 }),
    whitespaceCell('shape:log-ours', { x: 5000, y: -300 }, { row: 'Logistics', column: 'Billing', kind: 'we_supply', value: 300_000, notes: 'Contract runs until 2028' }),
  ])
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Review"}' })
  expect(response.status).toBe(201)
  snapshotId = ((await response.json()) as { id: string }).id // the record's id is all this test reads
  const [tina] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/whitespace`, ['Tina Team'])
  if (!tina) throw new Error('no team page')
  page = tina.page
  await waitForBoard(page)
  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?board=whitespace`)
  await page.getByRole('tab', { name: 'Whitespace & competitors' }).click()
})

afterAll(() => {
  for (const client of clients) client.destroy()
})

async function csvRows(name: string): Promise<string[][]> {
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots/${snapshotId}/${name}`)
  expect(response.status).toBe(200)
  return (await response.text()).trimEnd().split('\r\n').slice(1).map((line) => line.split(','))
}

describe('the whitespace tables of the review page', () => {
  it('list the cells in the Whitespace CSV\'s order', async () => {
    const rows = page.getByRole('table', { name: 'Whitespace' }).locator('tbody tr[data-id]')
    await rows.first().waitFor({ timeout: WAIT_MS })
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))
    expect(ids).toEqual(['shape:log-ours', 'shape:log-rival', 'shape:fin-open'])
    expect((await csvRows('whitespace.csv')).map(([id]) => id)).toEqual(ids)
  })

  it('list the business units in the Units CSV\'s order, the matrix\'s rows top to bottom', async () => {
    const units = page.getByRole('table', { name: 'By business unit' }).locator('tbody th')
    await units.first().waitFor({ timeout: WAIT_MS })
    const names = await units.allTextContents()
    expect(names).toEqual(['Logistics', 'Finance'])
    expect((await csvRows('whitespace-units.csv')).map(([unit]) => unit)).toEqual(names)
  })

  it('show a cell\'s notes in its row', async () => {
    const row = page.getByRole('table', { name: 'Whitespace' }).locator('tbody tr[data-id="shape:log-ours"]')
    await row.locator('.row-notes').waitFor({ timeout: WAIT_MS })
    expect(await row.locator('.row-notes').textContent()).toBe('Contract runs until 2028')
    expect(await page.getByRole('table', { name: 'Whitespace' }).locator('.row-notes').count()).toBe(1)
  })
})
