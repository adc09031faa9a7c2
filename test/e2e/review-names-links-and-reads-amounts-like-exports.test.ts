/**
 * The review page as the QA session drove it, in real Chromium: an objective names the SWOT notes
 * it answers; moving actions between status columns (which reorders an objective's actions) is no
 * change; amounts keep their cents like the exports, and a diff value reads like its row
 * (separators, unit); the whitespace table follows the board (unit, then offering) and a
 * competitor cell reads "Competitor supplies: Globex".
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action, axisHeader, objective, whitespaceCell } from '../helpers/planBoards.ts'
import { SAMPLE } from '../helpers/sampleWorkshop.ts'
import { takeSnapshot, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let page: Page
const clients: BoardClient[] = []

/** Saves a snapshot named `label` as the facilitator. */
const snapshot = (label: string) => takeSnapshot(e2e.server, workshop.id, label)

const grow = (target: number) =>
  objective('shape:o1', { x: 40, y: 60 }, { objective: 'Grow parcel revenue', unit: 'EUR', baseline: 1_200_000, target, addresses: ['shape:n-slow'] })
const actions = (pilotY: number, reviewY: number) => [
  action('shape:a1', { x: 20, y: pilotY }, { title: 'Run depot pilot', owner: 'Tom', objectives: ['shape:o1'] }),
  action('shape:a2', { x: 20, y: reviewY }, { title: 'Quarterly NPS review', owner: 'Ana', objectives: ['shape:o1'] }),
]

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const open = async (board: Parameters<typeof openBoard>[2]) => {
    const client = await openBoard(e2e.server, workshop.id, board, 'Ada')
    clients.push(client)
    return client
  }
  const swot = await open('swot')
  const objectives = await open('objectives')
  const actionBoard = await open('actions')
  const whitespace = await open('whitespace')
  await swot.write(SAMPLE.swot)
  await objectives.write([grow(1_500_000)])
  await actionBoard.write(actions(100, 300))
  await whitespace.write([
    axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Parcel services'),
    axisHeader('shape:r2', 'row', { x: 0, y: 400 }, 'Contract logistics'),
    axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Fleet telematics'),
    axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Warehouse robotics'),
    // Read first, but in the matrix's last place.
    whitespaceCell('shape:c1', { x: 5000, y: 100 }, { row: 'Contract logistics', column: 'Fleet telematics', kind: 'competitor', competitor: 'Globex' }),
    whitespaceCell('shape:c2', { x: 5000, y: 200 }, { row: 'Parcel services', column: 'Warehouse robotics', kind: 'opportunity', value: 99_999.99, probability: 40 }),
    whitespaceCell('shape:c3', { x: 5000, y: 300 }, { row: 'Parcel services', column: 'Fleet telematics', kind: 'opportunity', value: 250_000, probability: 40 }),
  ])
  await snapshot('Kick-off')
  // Swap the actions' places (as dragging between status columns does) and raise the target.
  await actionBoard.write(actions(300, 100))
  await objectives.write([grow(1_600_000)])
  await snapshot('Review')

  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots?board=objectives`, ['Dana'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
})

afterAll(() => {
  for (const client of clients) client.destroy()
})

describe('the review names links and reads amounts like the exports', () => {
  it('an objective shows the SWOT notes it answers; reordered actions are no change; the old target reads like the row', async () => {
    const row = page.getByRole('table', { name: 'Objectives' }).getByRole('row', { name: /Grow parcel revenue/ })
    await row.waitFor({ timeout: WAIT_MS })
    expect(await row.locator('.objective-answers').textContent()).toBe('Answers: Slow delivery in Q3')
    expect(await row.locator('.linked-actions li').allTextContents()).toEqual(['Quarterly NPS review', 'Run depot pilot'])
    expect(await row.getByText('linked actions changed').count()).toBe(0)
    expect(await row.locator('.change del').textContent()).toBe('1,500,000 EUR')
    expect(await row.locator('.change ins').textContent()).toBe('1,600,000 EUR')
  })

  it('whitespace rows follow the board, a competitor reads "Competitor supplies: Globex", cents are kept and totals agree', async () => {
    await page.getByRole('tab', { name: 'Whitespace & competitors' }).click()
    const cells = page.getByRole('table', { name: 'Whitespace' })
    await cells.getByRole('row', { name: /Globex/ }).waitFor({ timeout: WAIT_MS })
    const rows = await cells.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
    expect(rows).toEqual([
      ['Parcel services', 'Fleet telematics', 'Open opportunity', '250,000', '40 %'],
      ['Parcel services', 'Warehouse robotics', 'Open opportunity', '99,999.99', '40 %'],
      ['Contract logistics', 'Fleet telematics', 'Competitor supplies: Globex', '—', '—'],
    ])
    const units = page.getByRole('table', { name: 'By business unit' })
    expect(await units.locator('tfoot td').allTextContents()).toEqual(['2', '349,999.99 (140,000)', ''])
  })
})
