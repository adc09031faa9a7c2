/**
 * Takes the README's screenshots (`docs/screenshots/{swot,stakeholders,actions}.png`) from the
 * real app: the real server with a built client, boards filled through the sync protocol with a
 * realistic account, two people in the room, captured in headless Chromium.
 *
 * Run: `node --import tsx test/e2e/screenshots.ts`
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { RELATIONSHIP_STYLES } from '../../client/board/cards.ts'
import type { BoardId } from '../../shared/boards.ts'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import type { StakeholderCardProps } from '../../shared/shapes.ts'
import { ACTION_COLUMNS, SWOT_FRAMES } from '../../shared/templates.ts'
import { canvasPoint, clickShape, launchBrowser, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { connectSynced } from '../helpers/clients.ts'
import { action, arrow, arrowBinding, note, stakeholder } from '../helpers/planBoards.ts'
import { startServer } from '../helpers/startServer.ts'

const OUT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots')

/** `YYYY-MM-DD`, `days` from today, so the overdue action stays overdue whenever this runs. */
function dayFromToday(days: number): string {
  const date = new Date()
  date.setDate(date.getDate() + days)
  return date.toISOString().slice(0, 10)
}

function swotRecords(): JsonObject[] {
  const notes: Array<[keyof typeof SWOT_FRAMES, string, string]> = [
    ['strengths', 'Trusted by their ops team since 2019', 'light-green'],
    ['strengths', '24/7 support in all their EU hubs', 'light-green'],
    ['strengths', 'Only vendor with live carrier integration', 'light-green'],
    ['weaknesses', 'Pricing 12% above the incumbent', 'orange'],
    ['weaknesses', 'No reference customer in cold chain', 'orange'],
    ['opportunities', 'New Nordic hub opening Q3', 'light-blue'],
    ['opportunities', 'CFO wants one platform for all regions', 'light-blue'],
    ['opportunities', 'Sustainability reporting is mandatory from 2027', 'light-blue'],
    ['threats', 'Competitor bundling TMS with telematics', 'light-red'],
    ['threats', 'Budget freeze risk after Q2 results', 'light-red'],
  ]
  const perQuadrant = new Map<string, number>()
  return notes.map(([quadrant, text, color], i) => {
    const slot = perQuadrant.get(quadrant) ?? 0
    perQuadrant.set(quadrant, slot + 1)
    const record = note(`shape:swot-note-${i}`, { x: 60 + slot * 290, y: 80, parentId: SWOT_FRAMES[quadrant].id }, text)
    return { ...record, props: { ...record.props, color, font: 'sans', size: 'm' } } as unknown as JsonObject // records are JSON
  })
}

const PEOPLE: Array<[string, number, number, Partial<StakeholderCardProps>]> = [
  ['helga', 620, 0, { name: 'Helga Brandt', jobTitle: 'CEO', department: 'Executive board', buyingRole: 'decision_maker', influence: 'high', attitude: 'neutral', owner: 'Dana Fischer' }],
  ['maria', 160, 300, { name: 'Maria Chen', jobTitle: 'CFO', department: 'Finance', buyingRole: 'economic_buyer', influence: 'high', attitude: 'supporter', owner: 'Dana Fischer' }],
  ['felix', 620, 300, { name: 'Felix Romano', jobTitle: 'CIO', department: 'IT', buyingRole: 'technical_buyer', influence: 'high', attitude: 'skeptic', owner: 'Jonas Keller' }],
  ['sofia', 1080, 300, { name: 'Sofia Lindqvist', jobTitle: 'VP Logistics Operations', department: 'Operations', buyingRole: 'champion', influence: 'medium', attitude: 'champion', owner: 'Jonas Keller' }],
  ['aylin', 160, 600, { name: 'Aylin Demir', jobTitle: 'Category Manager', department: 'Procurement', buyingRole: 'gatekeeper', influence: 'medium', attitude: 'neutral', owner: 'Dana Fischer' }],
  ['marcus', 620, 600, { name: 'Marcus Webb', jobTitle: 'Head of IT Security', department: 'IT', buyingRole: 'influencer', influence: 'medium', attitude: 'blocker', owner: 'Jonas Keller' }],
  ['tom', 1080, 600, { name: 'Tom Okafor', jobTitle: 'Dispatch Team Lead', department: 'Operations', buyingRole: 'user', influence: 'low', attitude: 'supporter', owner: 'Jonas Keller' }],
]

const RELATIONSHIPS: Array<[string, string, keyof typeof RELATIONSHIP_STYLES]> = [
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
  const records: JsonObject[] = PEOPLE.map(
    ([key, x, y, props]) => stakeholder(`shape:person-${key}`, { x, y }, props) as unknown as JsonObject, // records are JSON
  )
  RELATIONSHIPS.forEach(([from, to, kind], i) => {
    const id = `shape:relationship-${i}`
    const base = arrow(id, { x: 0, y: 0, meta: { relationship: kind } })
    records.push({ ...base, props: { ...base.props, ...RELATIONSHIP_STYLES[kind] } } as unknown as JsonObject) // records are JSON
    for (const [terminal, target] of [['start', from], ['end', to]] as const) {
      records.push(arrowBinding(id, `shape:person-${target}`, terminal) as unknown as JsonObject) // records are JSON
    }
  })
  return records
}

function actionRecords(): JsonObject[] {
  const actions: Array<[keyof typeof ACTION_COLUMNS, string, string, number]> = [
    ['open', 'Security questionnaire for IT review', 'Jonas Keller', -3],
    ['open', 'Nordic hub rollout proposal', 'Dana Fischer', 21],
    ['open', 'Reference call with a cold-chain customer', 'Priya Nair', 14],
    ['in_progress', 'Business case for the CFO', 'Dana Fischer', 7],
    ['in_progress', 'Carrier integration demo for Ops', 'Jonas Keller', 10],
    ['done', 'Map the buying centre', 'Dana Fischer', -10],
    ['done', 'Kick-off with Sofia’s team', 'Jonas Keller', -20],
    ['blocked', 'Pilot contract: waiting for procurement', 'Aylin Demir (customer)', 5],
  ]
  const perColumn = new Map<string, number>()
  return actions.map(([status, title, owner, dueIn], i) => {
    const slot = perColumn.get(status) ?? 0
    perColumn.set(status, slot + 1)
    return action(
      `shape:action-${i}`,
      { x: 90, y: 16 + slot * 136, parentId: ACTION_COLUMNS[status].id },
      { title, owner, due: dayFromToday(dueIn), status },
    ) as unknown as JsonObject // records are JSON
  })
}

const CONTENT: Record<BoardId, () => JsonObject[]> = {
  swot: swotRecords,
  stakeholders: stakeholderRecords,
  actions: actionRecords,
}

async function main() {
  await ensureClientBuilt()
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
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

    const shoot = async (board: BoardId, prepare: () => Promise<void>) => {
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
      await dana.page.screenshot({ path: path.join(OUT_DIR, `${board}.png`) })
      console.log(`wrote docs/screenshots/${board}.png`)
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
  } finally {
    await browser.close()
    await server.close()
  }
}

await main()
