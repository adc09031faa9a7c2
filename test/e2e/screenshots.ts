/**
 * Takes the README's screenshots (`docs/screenshots/{swot,stakeholders,actions,share}.png`) from the
 * real app: the real server with a built client, boards filled through the sync protocol with a
 * realistic account, two people in the room, captured in headless Chromium.
 *
 * Run: `node --import tsx test/e2e/screenshots.ts`
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import type { BoardId } from '../../shared/boards.ts'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import type { ActionStatus, RelationshipKind } from '../../shared/shapes.ts'
import type { SwotQuadrant } from '../../shared/templates.ts'
import { canvasPoint, clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { connectSynced } from '../helpers/clients.ts'
import {
  actionCard,
  relationship,
  slotsPerKey,
  stakeholderCard,
  swotNote,
  withServerAndBrowser,
  type StakeholderKey,
} from './screenshotAccount.ts'

const OUT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots')

const NOTES: Array<[SwotQuadrant, string]> = [
  ['strengths', 'Trusted by their ops team since 2019'],
  ['strengths', '24/7 support in all their EU hubs'],
  ['strengths', 'Only vendor with live carrier integration'],
  ['weaknesses', 'Pricing 12% above the incumbent'],
  ['weaknesses', 'No reference customer in cold chain'],
  ['opportunities', 'New Nordic hub opening Q3'],
  ['opportunities', 'CFO wants one platform for all regions'],
  ['opportunities', 'Sustainability reporting is mandatory from 2027'],
  ['threats', 'Competitor bundling TMS with telematics'],
  ['threats', 'Budget freeze risk after Q2 results'],
]

function swotRecords(): JsonObject[] {
  const slots = slotsPerKey(NOTES.map(([quadrant]) => quadrant))
  return NOTES.map(([quadrant, text], i) => swotNote(`shape:swot-note-${i}`, quadrant, { x: 60 + slots[i]! * 290, y: 80 }, text)) // one slot per note
}

const PEOPLE: Array<[StakeholderKey, number, number]> = [
  ['helga', 620, 0],
  ['maria', 160, 300],
  ['felix', 620, 300],
  ['sofia', 1080, 300],
  ['aylin', 160, 600],
  ['marcus', 620, 600],
  ['tom', 1080, 600],
]

const RELATIONSHIPS: Array<[StakeholderKey, StakeholderKey, RelationshipKind]> = [
  ['maria', 'helga', 'reports_to'],
  ['felix', 'helga', 'reports_to'],
  ['sofia', 'helga', 'reports_to'],
  ['aylin', 'maria', 'reports_to'],
  ['marcus', 'felix', 'reports_to'],
  ['tom', 'sofia', 'reports_to'],
  ['sofia', 'maria', 'influences'],
  ['marcus', 'sofia', 'conflict'],
]

function stakeholderRecords(): JsonObject[] {
  return [
    ...PEOPLE.map(([key, x, y]) => stakeholderCard(key, x, y)),
    ...RELATIONSHIPS.flatMap(([from, to, kind], i) => relationship(i, from, to, kind)),
  ]
}

const ACTIONS: Array<[ActionStatus, string, string, number]> = [
  ['open', 'Security questionnaire for IT review', 'Jonas Keller', -3],
  ['open', 'Nordic hub rollout proposal', 'Dana Fischer', 21],
  ['open', 'Reference call with a cold-chain customer', 'Priya Nair', 14],
  ['in_progress', 'Business case for the CFO', 'Dana Fischer', 7],
  ['in_progress', 'Carrier integration demo for Ops', 'Jonas Keller', 10],
  ['done', 'Map the buying centre', 'Dana Fischer', -10],
  ['done', 'Kick-off with Sofia’s team', 'Jonas Keller', -20],
  ['blocked', 'Pilot contract: waiting for procurement', 'Aylin Demir (customer)', 5],
]

function actionRecords(): JsonObject[] {
  const slots = slotsPerKey(ACTIONS.map(([status]) => status))
  return ACTIONS.map(([status, title, owner, dueIn], i) => actionCard(String(i), status, slots[i]!, title, owner, dueIn)) // one slot per action
}

const CONTENT: Record<BoardId, () => JsonObject[]> = {
  swot: swotRecords,
  stakeholders: stakeholderRecords,
  objectives: () => [],
  actions: actionRecords,
  whitespace: () => [],
}

await withServerAndBrowser(async (server, browser) => {
  const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan', timeZone: 'Europe/Berlin' })
  // Fill every board through the sync protocol, as a peer would.
  for (const board of Object.keys(CONTENT) as BoardId[]) {
    const client = await connectSynced(server.syncUrl, `${workshop.id}/${board}`)
    writeRecordChanges(client.doc, { put: CONTENT[board](), remove: [] })
    client.destroy()
  }
  fs.mkdirSync(OUT_DIR, { recursive: true })

  const url = (board: BoardId) => `${server.url}/w/${workshop.id}/${board}`
  const [dana, jonas] = await openPeople(browser, url('swot'), ['Dana Fischer', 'Jonas Keller'], { width: 1600, height: 1000 })
  if (!dana || !jonas) throw new Error('openPeople returned fewer pages than names')

  const shoot = async (board: BoardId, prepare: () => Promise<void>, name: string = board) => {
    for (const person of [dana, jonas]) {
      await person.page.goto(`${url(board)}?name=${encodeURIComponent(person.name)}`)
      await waitForBoard(person.page)
    }
    await prepare()
    // Jonas's cursor over the board, so the room is visibly shared.
    const from = await canvasPoint(jonas.page, 0.55, 0.6)
    const to = await canvasPoint(jonas.page, 0.62, 0.66)
    await jonas.page.mouse.move(from.x, from.y)
    await jonas.page.mouse.move(to.x, to.y, { steps: 4 })
    await dana.page.locator('.tl-collaborators', { hasText: 'Jonas Keller' }).waitFor({ timeout: WAIT_MS })
    await dana.page.locator('.participant', { hasText: 'Jonas Keller' }).waitFor({ timeout: WAIT_MS })
    await dana.page.screenshot({ path: path.join(OUT_DIR, `${name}.png`) })
    console.log(`wrote docs/screenshots/${name}.png`)
  }

  await shoot('swot', async () => {
    await shapeWithText(dana.page, 'note', 'Budget freeze risk').waitFor({ timeout: WAIT_MS })
  })
  await shoot('stakeholders', async () => {
    await clickShape(dana.page, shapeWithText(dana.page, 'stakeholder', 'Maria Chen'))
    await dana.page.getByLabel('Name', { exact: true }).waitFor({ timeout: WAIT_MS })
  })
  await shoot('actions', async () => {
    await clickShape(dana.page, shapeWithText(dana.page, 'action', 'Security questionnaire'))
    await dana.page.getByLabel('Due date').waitFor({ timeout: WAIT_MS })
  })
  // The facilitator's Share panel: invite links, customer-facing boards, the workshop's time zone.
  await shoot(
    'actions',
    async () => {
      await dana.page.getByRole('button', { name: 'Share' }).click()
      await dana.page.getByRole('combobox', { name: 'Time zone' }).waitFor({ timeout: WAIT_MS })
    },
    'share',
  )
})
// Chromium and tldraw leave timers behind; the script is done once the images are written.
process.exit(0)
