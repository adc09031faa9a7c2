/**
 * Board images in real Chromium (issue 16, docs/accounts.md [K10]): the facilitator downloads the
 * SWOT board as PNG and SVG, made in the page by tldraw and named like every other export
 * (`<account>-<workshop>-<date>.<board>.<ext>`). A guest exports only customer-facing boards
 * (docs/security.md [A6]): the action plan, yes; an internal board opened by its URL offers no
 * export, nor does a board the facilitator withdraws while the guest is on it.
 *
 * A snapshot's JSON record, which the review page names itself, is named by the workshop's date as
 * the server names the PDF and Markdown (QA: it took the browser's, a day apart).
 */
import fs from 'node:fs'
import type { Download, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { BOARD_IDS } from '../../shared/boards.ts'
import { dateInTimeZone } from '../../shared/timeZone.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let facilitator: Page
let guest: Page
const NOTE = 'Grid modernisation budget'

async function exportImage(page: Page, format: 'PNG' | 'SVG'): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.getByRole('button', { name: `Export board as ${format}` }).click()])
  return { download, bytes: fs.readFileSync(await download.path()) }
}

const exportGroup = (page: Page) => page.getByRole('group', { name: 'Export board image' })

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Borealis Energy', title: 'Q1 planning', timeZone: 'Pacific/Kiritimati' })
  const swot = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  await swot.write([noteIn('opportunities', 'shape:n-grid', NOTE)])
  swot.destroy()
  const [fiona] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fiona Facilitator'])
  const [carla] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  if (!fiona || !carla) throw new Error('openPeople returned no page')
  facilitator = fiona.page
  guest = carla.page
  await Promise.all([waitForBoard(facilitator), waitForBoard(guest)])
})

describe('board image export', () => {
  it('downloads the board as PNG and SVG, named <account>-<workshop>-<date>.<board>.<ext> in the workshop time zone', async () => {
    await shapeWithText(facilitator, 'note', NOTE).waitFor({ timeout: WAIT_MS })
    const today = dateInTimeZone(new Date(), 'Pacific/Kiritimati')
    const png = await exportImage(facilitator, 'PNG')
    expect(png.download.suggestedFilename()).toBe(`borealis-energy-q1-planning-${today}.swot.png`)
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))

    const svg = await exportImage(facilitator, 'SVG')
    expect(svg.download.suggestedFilename()).toBe(`borealis-energy-q1-planning-${today}.swot.svg`)
    const text = svg.bytes.toString('utf8')
    expect(text).toMatch(/^<svg[\s>]/)
    expect(text).toContain(NOTE)
  })

  it('lets a guest export the customer-facing action plan', async () => {
    expect(new URL(guest.url()).pathname).toBe(`/w/${workshop.id}/actions`)
    const png = await exportImage(guest, 'PNG')
    expect(png.download.suggestedFilename()).toMatch(/^borealis-energy-q1-planning-\d{4}-\d{2}-\d{2}\.actions\.png$/)
  })

  it('offers a guest no export on an internal board opened by its URL', async () => {
    await guest.goto(`${e2e.server.url}/w/${workshop.id}/swot`)
    await guest.getByRole('heading', { name: 'This board is not available to you' }).waitFor({ timeout: WAIT_MS })
    expect(await exportGroup(guest).count()).toBe(0)
  })

  it('takes the export away from a guest when the facilitator makes the board internal', async () => {
    await guest.goto(`${e2e.server.url}/w/${workshop.id}/actions`)
    await waitForBoard(guest)
    await exportGroup(guest).waitFor({ timeout: WAIT_MS })
    const customerFacing = Object.fromEntries(BOARD_IDS.map((id) => [id, false]))
    const saved = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerFacing }),
    })
    expect(saved.status).toBe(200)
    await guest.getByRole('heading', { name: 'This board is no longer available to guests' }).waitFor({ timeout: WAIT_MS })
    expect(await exportGroup(guest).count()).toBe(0)
  })
})

describe("a snapshot's exports named in the workshop's time zone", () => {
  it('names the JSON record (which the page names itself) by the date the server gives the PDF and Markdown, whatever the browser’s zone', async () => {
    const taken = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(taken.status).toBe(201)
    const { takenAt } = (await taken.json()) as { takenAt: string }
    // 25 hours west of the workshop (UTC+14): the browser's date is never the workshop's.
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Pacific/Pago_Pago' })
    const page = await context.newPage()
    await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?token=${workshop.tokens.facilitator}&name=Fiona`)
    const day = dateInTimeZone(new Date(takenAt), 'Pacific/Kiritimati')
    const json = await exportNamed(page, 'JSON')
    expect(json).toBe(`borealis-energy-q1-planning-${day}.json`)
    expect(await exportNamed(page, 'Markdown')).toBe(`borealis-energy-q1-planning-${day}.md`)
    // The page tells the time as its exports do: in the workshop's zone, named (QA pass of
    // 2026-12-06: the browser's time, no zone, a day apart from the PDF's).
    const shown = await page.locator('.snapshot-heading time').textContent()
    expect(shown).toContain('(Pacific/Kiritimati)')
    expect(shown).toContain(String(Number(day.slice(8, 10))))
    expect(await page.locator('.timeline time').first().textContent()).toBe(shown?.replace(' (Pacific/Kiritimati)', ''))
    await context.close()
  })
})

/** The name of the file the review page's export button `label` downloads. */
async function exportNamed(page: Page, label: string): Promise<string> {
  const button = page.getByRole('group', { name: 'Export', exact: true }).getByRole('button', { name: label, exact: true })
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), button.click({ timeout: WAIT_MS })])
  return download.suggestedFilename()
}
