/**
 * QA (twenty-second session): a snapshot named with 200 characters and no space (the label's
 * limit) ran off the right edge of the review page's heading. The heading and the timeline entry
 * now wrap it inside the page.
 */
import { expect, it } from 'vitest'
import { MAX_SNAPSHOT_LABEL_LENGTH } from '../../shared/snapshotApi.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('wraps a 200-character name without spaces in the heading and the timeline, inside the page', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const label = 'Q'.repeat(MAX_SNAPSHOT_LABEL_LENGTH)
  const saved = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) })
  expect(saved.status).toBe(201)
  const [fiona] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots`, ['Fiona Facilitator'], { width: 1280, height: 800 })
  if (!fiona) throw new Error('no page')
  const page = fiona.page
  const heading = page.getByRole('heading', { level: 1, name: label })
  await heading.waitFor({ timeout: WAIT_MS })
  const width = await page.evaluate(() => document.documentElement.clientWidth)
  const box = await heading.boundingBox()
  expect(box && box.x + box.width).toBeLessThanOrEqual(width)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
  const entry = page.locator('.timeline-title', { hasText: label })
  const entryBox = await entry.boundingBox()
  expect(entryBox && entryBox.x + entryBox.width).toBeLessThanOrEqual(width)
  // Wrapped, not a one-letter column: at least ten characters a line.
  expect(entryBox && entryBox.width).toBeGreaterThan(100)
})
