/**
 * Takes the review page's screenshot (`docs/screenshots/review.png`) from the real app: the real
 * server with a built client, boards filled through the sync protocol with a realistic account,
 * two snapshots with changes between them (attitudes, statuses, new and removed items), captured
 * in headless Chromium on the stakeholder map of the newer snapshot.
 *
 * Run: `node --import tsx test/e2e/reviewScreenshot.ts`
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import type { BoardId } from '../../shared/boards.ts'
import type { StakeholderCardProps } from '../../shared/shapes.ts'
import type { SwotQuadrant } from '../../shared/templates.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { workshopFetch, type TestServer } from '../helpers/startServer.ts'
import {
  actionCard,
  relationship,
  slotsPerKey,
  stakeholderCard,
  swotNote,
  withServerAndBrowser,
  type StakeholderKey,
} from './screenshotAccount.ts'

const OUT_FILE = path.resolve(import.meta.dirname, '../../docs/screenshots/review.png')

/** A note at `slot` in its quadrant: three to a row. */
function noteAt(i: number, quadrant: SwotQuadrant, slot: number, text: string): JsonObject {
  return swotNote(`shape:note-${i}`, quadrant, { x: 40 + (slot % 3) * 300, y: 90 + Math.floor(slot / 3) * 240 }, text)
}

const NOTES: Array<[SwotQuadrant, string]> = [
  ['strengths', 'Trusted by their ops team since 2019'],
  ['strengths', '24/7 support in all their EU hubs'],
  ['weaknesses', 'Pricing 12% above the incumbent'],
  ['weaknesses', 'No reference customer in cold chain'],
  ['opportunities', 'New Nordic hub opening Q3'],
  ['opportunities', 'CFO wants one platform for all regions'],
  ['threats', 'Competitor bundling TMS with telematics'],
  ['threats', 'Budget freeze risk after Q2 results'],
]

/** Where each person's card sits; Tom joins only after the first snapshot. */
const AT: Record<StakeholderKey, [x: number, y: number]> = {
  helga: [480, 0],
  maria: [80, 260],
  felix: [480, 260],
  sofia: [880, 260],
  aylin: [80, 520],
  marcus: [480, 520],
  tom: [880, 520],
}

function person(key: StakeholderKey, changes: Partial<StakeholderCardProps> = {}): JsonObject {
  return stakeholderCard(key, ...AT[key], changes)
}

/**
 * Writes records to a board as a team member's page would (internal fields to the board's internal
 * part), and waits until the server holds them.
 */
async function writeBoard(server: TestServer, workshopId: string, board: BoardId, put: JsonObject[], remove: string[] = []) {
  const writer = await openBoard(server, workshopId, board)
  await writer.write(put)
  if (remove.length > 0) await writer.remove(remove)
  writer.destroy()
}

async function snapshot(server: TestServer, workshopId: string, label: string): Promise<void> {
  const response = await workshopFetch(`${server.url}/api/workshops/${workshopId}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label }),
  })
  if (response.status !== 201) throw new Error(`POST /snapshots: ${response.status} ${await response.text()}`)
}

await withServerAndBrowser(async (server, browser) => {
  const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const id = workshop.id
  const slots = slotsPerKey(NOTES.map(([quadrant]) => quadrant))
  await writeBoard(server, id, 'swot', NOTES.map(([quadrant, text], i) => noteAt(i, quadrant, slots[i]!, text))) // one slot per note
  await writeBoard(server, id, 'stakeholders', [
    ...(['helga', 'maria', 'felix', 'sofia', 'aylin', 'marcus'] as const).map((key) => person(key)),
    ...relationship(0, 'maria', 'helga', 'reports_to'),
    ...relationship(1, 'felix', 'helga', 'reports_to'),
    ...relationship(2, 'sofia', 'helga', 'reports_to'),
    ...relationship(3, 'aylin', 'maria', 'reports_to'),
    ...relationship(4, 'marcus', 'felix', 'reports_to'),
    ...relationship(5, 'sofia', 'maria', 'influences'),
  ])
  await writeBoard(server, id, 'actions', [
    actionCard('questionnaire', 'open', 0, 'Security questionnaire for IT review', 'Jonas Keller', -3),
    actionCard('nordic', 'open', 1, 'Nordic hub rollout proposal', 'Dana Fischer', 21),
    actionCard('business-case', 'in_progress', 0, 'Business case for the CFO', 'Dana Fischer', 7),
    actionCard('map', 'done', 0, 'Map the buying centre', 'Dana Fischer', -10),
  ])
  await snapshot(server, id, 'Kick-off workshop')

  // Between the workshops: people's attitudes move, actions progress, the SWOT is revised.
  await writeBoard(server, id, 'swot', [noteAt(20, 'strengths', 2, 'Carrier integration live in 3 weeks'), noteAt(21, 'opportunities', 2, 'Sustainability reporting mandatory from 2027')], ['shape:note-3'])
  await writeBoard(server, id, 'stakeholders', [
    person('helga', { attitude: 'supporter' }),
    person('felix', { attitude: 'neutral' }),
    person('marcus', { attitude: 'skeptic', owner: 'Priya Nair' }),
    person('tom'),
    ...relationship(6, 'tom', 'sofia', 'reports_to'),
  ])
  await writeBoard(server, id, 'actions', [
    actionCard('business-case', 'done', 1, 'Business case for the CFO', 'Dana Fischer', 7),
    actionCard('reference', 'in_progress', 0, 'Reference call with a cold-chain customer', 'Priya Nair', 14),
  ])
  await snapshot(server, id, 'After the Q3 review')

  const [dana] = await openPeople(browser, `${server.url}/w/${id}/snapshots?board=stakeholders`, ['Dana Fischer'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  const { page } = dana
  await page.locator('.snapshot-canvas[data-readonly="true"] .tl-shape[data-shape-type="stakeholder"]').first().waitFor({ timeout: WAIT_MS })
  await page.getByTestId('change-summary').waitFor({ timeout: WAIT_MS })
  await page.locator('.plan-row.is-changed, .plan-row.is-added').first().waitFor({ timeout: WAIT_MS })
  // Let fonts and the canvas settle before the picture.
  await page.evaluate(() => document.fonts.ready)
  await page.waitForTimeout(500)
  fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true })
  await page.screenshot({ path: OUT_FILE })
  console.log('wrote docs/screenshots/review.png')
})
// Chromium and tldraw leave timers behind; the script is done once the images are written.
process.exit(0)
