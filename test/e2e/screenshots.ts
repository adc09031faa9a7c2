/**
 * Takes the README's screenshots (`docs/screenshots/{swot,stakeholders,objectives,actions,whitespace,share}.png`)
 * from the real app: the real server with a built client, boards filled through the sync protocol
 * with a realistic account (internal fields written to each board's internal part, as the page
 * routes them), two people in the room, captured in headless Chromium.
 *
 * Run: `node --import tsx test/e2e/screenshots.ts`
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import type { BoardId } from '../../shared/boards.ts'
import type { ActionStatus, CompetitorCardProps, ObjectiveCardProps, RelationshipKind, WhitespaceCardProps } from '../../shared/shapes.ts'
import { OBJECTIVES_FRAME, WHITESPACE_FRAMES, type SwotQuadrant } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { canvasPoint, clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { axisHeader, competitor, objective, whitespaceCell } from '../helpers/planBoards.ts'
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

const OBJECTIVES: Array<[key: string, props: Partial<ObjectiveCardProps>]> = [
  ['nordic', { objective: 'Win the Nordic hub rollout', kpiType: 'revenue_growth', measure: 'Annual revenue', unit: 'EUR', baseline: 1_200_000, target: 1_800_000, targetDate: '2027-06-30', owner: 'Dana Fischer', status: 'on_track', strategy: 'Land the hub on our platform before the incumbent renews.' }],
  ['nps', { objective: 'Ops team promotes us', kpiType: 'satisfaction', measure: 'NPS of dispatch', unit: 'points', baseline: 18, target: 40, targetDate: '2027-03-31', owner: 'Jonas Keller', status: 'at_risk', strategy: 'Fix the carrier hand-offs that drive most tickets.' }],
  ['renewal', { objective: 'Renew for three years', kpiType: 'retention', measure: 'Contract term', unit: 'years', baseline: 1, target: 3, targetDate: '2027-09-30', owner: 'Dana Fischer', status: 'on_track', strategy: 'Show the CFO a 3-year TCO against the bundle.' }],
  ['wallet', { objective: 'Grow share of wallet in IT', kpiType: 'share_of_wallet', measure: 'Share of IT logistics spend', unit: '%', baseline: 22, target: 35, targetDate: '2027-12-31', owner: 'Priya Nair', status: 'off_track', strategy: '' }],
]

const objectiveId = (key: string) => `shape:objective-${key}`

/** Objective cards in the board's frame, two to a row (positions are the frame's own). */
function objectiveRecords(): JsonObject[] {
  const parentId = OBJECTIVES_FRAME.id
  return OBJECTIVES.map(([key, props], i) => json(objective(objectiveId(key), { x: 60 + (i % 2) * 560, y: 90 + Math.floor(i / 2) * 300, parentId }, props)))
}

const ACTIONS: Array<[ActionStatus, string, string, number, string[]]> = [
  ['open', 'Security questionnaire for IT review', 'Jonas Keller', -3, ['wallet']],
  ['open', 'Nordic hub rollout proposal', 'Dana Fischer', 21, ['nordic']],
  ['open', 'Reference call with a cold-chain customer', 'Priya Nair', 14, ['nordic']],
  ['in_progress', 'Business case for the CFO', 'Dana Fischer', 7, ['renewal']],
  ['in_progress', 'Carrier integration demo for Ops', 'Jonas Keller', 10, ['nps']],
  ['done', 'Map the buying centre', 'Dana Fischer', -10, []],
  ['done', 'Kick-off with Sofia’s team', 'Jonas Keller', -20, ['nps']],
  ['blocked', 'Pilot contract: waiting for procurement', 'Aylin Demir (customer)', 5, ['nordic']],
]

function actionRecords(): JsonObject[] {
  const slots = slotsPerKey(ACTIONS.map(([status]) => status))
  return ACTIONS.map(([status, title, owner, dueIn, serves], i) => actionCard(String(i), status, slots[i]!, title, owner, dueIn, serves.map(objectiveId))) // one slot per action
}

const UNITS = ['Road freight', 'Cold chain', 'Nordic hub']
const OFFERINGS = ['Transport management', 'Carrier integration', 'Analytics']
const CELLS: Array<[row: number, column: number, props: Partial<WhitespaceCardProps>]> = [
  [0, 0, { kind: 'we_supply', value: 640_000 }],
  [0, 1, { kind: 'we_supply', value: 210_000 }],
  [0, 2, { kind: 'opportunity', value: 150_000, probability: 60 }],
  [1, 0, { kind: 'competitor', competitor: 'FreightSuite', value: 480_000 }],
  [1, 1, { kind: 'opportunity', value: 90_000, probability: 30 }],
  [1, 2, { kind: 'not_relevant' }],
  [2, 0, { kind: 'opportunity', value: 520_000, probability: 50 }],
  [2, 1, { kind: 'opportunity', value: 120_000, probability: 50 }],
  [2, 2, { kind: 'competitor', competitor: 'TeleTrack', value: 75_000 }],
]
const COMPETITORS: Array<Partial<CompetitorCardProps>> = [
  { name: 'FreightSuite', position: 'incumbent', strengths: 'Price; owns cold chain since 2021', weaknesses: 'No carrier integration', relationship: 'Close to Aylin in procurement' },
  { name: 'TeleTrack', position: 'entering', strengths: 'Bundles TMS with telematics', weaknesses: 'No EU support hubs', relationship: 'Pitching Felix (CIO)' },
]

/** The matrix's headers and cells in its frame, competitor cards in theirs (positions are the frames' own). */
function whitespaceRecords(): JsonObject[] {
  const matrix = WHITESPACE_FRAMES.matrix.id
  const cellAt = (row: number, column: number) => ({ x: 300 + column * 260, y: 240 + row * 150, parentId: matrix })
  return [
    ...UNITS.map((label, row) => json(axisHeader(`shape:unit-${row}`, 'row', { ...cellAt(row, 0), x: 60 }, label))),
    ...OFFERINGS.map((label, column) => json(axisHeader(`shape:offering-${column}`, 'column', { ...cellAt(0, column), y: 90 }, label))),
    ...CELLS.map(([row, column, props], i) => json(whitespaceCell(`shape:cell-${i}`, cellAt(row, column), props))),
    ...COMPETITORS.map((props, i) => json(competitor(`shape:competitor-${i}`, { x: 60, y: 90 + i * 200, parentId: WHITESPACE_FRAMES.competitors.id }, props))),
  ]
}

const json = (record: object) => record as unknown as JsonObject // tldraw records are JSON

const CONTENT: Record<BoardId, () => JsonObject[]> = {
  swot: swotRecords,
  stakeholders: stakeholderRecords,
  objectives: objectiveRecords,
  actions: actionRecords,
  whitespace: whitespaceRecords,
}

await withServerAndBrowser(async (server, browser) => {
  const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan', timeZone: 'Europe/Berlin' })
  // Fill every board through the sync protocol as a team member's page would: internal fields
  // (attitudes, owners, money) go to the board's internal part.
  for (const board of Object.keys(CONTENT) as BoardId[]) {
    const client = await openBoard(server, workshop.id, board)
    await client.write(CONTENT[board]())
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
  await shoot('objectives', async () => {
    await clickShape(dana.page, shapeWithText(dana.page, 'objective', 'Win the Nordic hub rollout'))
    await dana.page.getByTestId('health-score').waitFor({ timeout: WAIT_MS })
  })
  await shoot('whitespace', async () => {
    await shapeWithText(dana.page, 'competitor', 'FreightSuite').waitFor({ timeout: WAIT_MS })
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
