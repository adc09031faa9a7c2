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
import { RELATIONSHIP_STYLES } from '../../client/board/cards.ts'
import { localToday } from '../../client/board/localDate.ts'
import type { BoardId } from '../../shared/boards.ts'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import type { ActionStatus, RelationshipKind, StakeholderCardProps } from '../../shared/shapes.ts'
import { ACTION_COLUMNS, SWOT_FRAMES, type SwotQuadrant } from '../../shared/templates.ts'
import { launchBrowser, openPeople, WAIT_MS } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { connectSynced } from '../helpers/clients.ts'
import { action, arrow, arrowBinding, note, stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

const OUT_FILE = path.resolve(import.meta.dirname, '../../docs/screenshots/review.png')

const json = (record: object) => record as unknown as JsonObject // tldraw records are JSON

function dayFromToday(days: number): string {
  const date = new Date()
  date.setDate(date.getDate() + days)
  return localToday(date)
}

const NOTE_COLORS: Record<SwotQuadrant, string> = {
  strengths: 'light-green',
  weaknesses: 'orange',
  opportunities: 'light-blue',
  threats: 'light-red',
}

function swotNote(i: number, quadrant: SwotQuadrant, slot: number, text: string): JsonObject {
  const record = note(`shape:note-${i}`, { x: 40 + (slot % 3) * 300, y: 90 + Math.floor(slot / 3) * 240, parentId: SWOT_FRAMES[quadrant].id }, text)
  return json({ ...record, props: { ...record.props, color: NOTE_COLORS[quadrant], font: 'sans', size: 'm' } })
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

type Person = [key: string, x: number, y: number, props: Partial<StakeholderCardProps>]
const PEOPLE: Person[] = [
  ['helga', 480, 0, { name: 'Helga Brandt', jobTitle: 'CEO', department: 'Executive board', buyingRole: 'decision_maker', influence: 'high', attitude: 'neutral', owner: 'Dana Fischer' }],
  ['maria', 80, 260, { name: 'Maria Chen', jobTitle: 'CFO', department: 'Finance', buyingRole: 'economic_buyer', influence: 'high', attitude: 'supporter', owner: 'Dana Fischer' }],
  ['felix', 480, 260, { name: 'Felix Romano', jobTitle: 'CIO', department: 'IT', buyingRole: 'technical_buyer', influence: 'high', attitude: 'skeptic', owner: 'Jonas Keller' }],
  ['sofia', 880, 260, { name: 'Sofia Lindqvist', jobTitle: 'VP Logistics Operations', department: 'Operations', buyingRole: 'champion', influence: 'medium', attitude: 'champion', owner: 'Jonas Keller' }],
  ['aylin', 80, 520, { name: 'Aylin Demir', jobTitle: 'Category Manager', department: 'Procurement', buyingRole: 'gatekeeper', influence: 'medium', attitude: 'neutral', owner: 'Dana Fischer' }],
  ['marcus', 480, 520, { name: 'Marcus Webb', jobTitle: 'Head of IT Security', department: 'IT', buyingRole: 'influencer', influence: 'medium', attitude: 'blocker', owner: 'Jonas Keller' }],
]

const RELATIONSHIPS: Array<[from: string, to: string, kind: RelationshipKind]> = [
  ['maria', 'helga', 'reports_to'],
  ['felix', 'helga', 'reports_to'],
  ['sofia', 'helga', 'reports_to'],
  ['aylin', 'maria', 'reports_to'],
  ['marcus', 'felix', 'reports_to'],
  ['sofia', 'maria', 'influences'],
]

function person([key, x, y, props]: Person): JsonObject {
  return json(stakeholder(`shape:person-${key}`, { x, y }, props))
}

function relationship(i: number, [from, to, kind]: [string, string, RelationshipKind]): JsonObject[] {
  const id = `shape:relationship-${i}`
  const base = arrow(id, { x: 0, y: 0, meta: { relationship: kind } })
  return [
    json({ ...base, props: { ...base.props, ...RELATIONSHIP_STYLES[kind] } }),
    json(arrowBinding(id, `shape:person-${from}`, 'start')),
    json(arrowBinding(id, `shape:person-${to}`, 'end')),
  ]
}

function actionCard(key: string, status: ActionStatus, slot: number, title: string, owner: string, dueIn: number): JsonObject {
  return json(action(`shape:action-${key}`, { x: 90, y: 16 + slot * 136, parentId: ACTION_COLUMNS[status].id }, { title, owner, due: dayFromToday(dueIn), status }))
}

/** Writes records to a board as a peer would, and waits until the server holds them. */
async function writeBoard(server: TestServer, workshopId: string, board: BoardId, put: JsonObject[], remove: string[] = []) {
  const room = `${workshopId}/${board}`
  const writer = await connectSynced(server.syncUrl, room)
  writeRecordChanges(writer.doc, { put, remove })
  const expected = JSON.stringify(readRecords(writer.doc).get(String(put.at(-1)?.id ?? '')) ?? null)
  writer.destroy()
  // A fresh peer sees the server's copy: once it has the last record as written, so does a snapshot.
  for (let attempt = 0; ; attempt++) {
    const reader = await connectSynced(server.syncUrl, room)
    const seen = JSON.stringify(readRecords(reader.doc).get(String(put.at(-1)?.id ?? '')) ?? null)
    const removed = remove.every((id) => !readRecords(reader.doc).has(id))
    reader.destroy()
    if (seen === expected && removed) return
    if (attempt > 50) throw new Error(`the server did not get the changes of ${room}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function snapshot(server: TestServer, workshopId: string, label: string): Promise<void> {
  const response = await fetch(`${server.url}/api/workshops/${workshopId}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label }),
  })
  if (response.status !== 201) throw new Error(`POST /snapshots: ${response.status} ${await response.text()}`)
}

async function main() {
  await ensureClientBuilt()
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    const workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
    const id = workshop.id
    const slots = new Map<SwotQuadrant, number>()
    const notes = NOTES.map(([quadrant, text], i) => {
      const slot = slots.get(quadrant) ?? 0
      slots.set(quadrant, slot + 1)
      return swotNote(i, quadrant, slot, text)
    })
    await writeBoard(server, id, 'swot', notes)
    await writeBoard(server, id, 'stakeholders', [...PEOPLE.map(person), ...RELATIONSHIPS.flatMap((line, i) => relationship(i, line))])
    await writeBoard(server, id, 'actions', [
      actionCard('questionnaire', 'open', 0, 'Security questionnaire for IT review', 'Jonas Keller', -3),
      actionCard('nordic', 'open', 1, 'Nordic hub rollout proposal', 'Dana Fischer', 21),
      actionCard('business-case', 'in_progress', 0, 'Business case for the CFO', 'Dana Fischer', 7),
      actionCard('map', 'done', 0, 'Map the buying centre', 'Dana Fischer', -10),
    ])
    await snapshot(server, id, 'Kick-off workshop')

    // Between the workshops: people's attitudes move, actions progress, the SWOT is revised.
    await writeBoard(server, id, 'swot', [swotNote(20, 'strengths', 2, 'Carrier integration live in 3 weeks'), swotNote(21, 'opportunities', 2, 'Sustainability reporting mandatory from 2027')], ['shape:note-3'])
    const [helga, maria, felix, sofia, aylin, marcus] = PEOPLE
    if (!helga || !maria || !felix || !sofia || !aylin || !marcus) throw new Error('PEOPLE lost a person')
    await writeBoard(server, id, 'stakeholders', [
      person(['helga', helga[1], helga[2], { ...helga[3], attitude: 'supporter' }]),
      person(['felix', felix[1], felix[2], { ...felix[3], attitude: 'neutral' }]),
      person(['marcus', marcus[1], marcus[2], { ...marcus[3], attitude: 'skeptic', owner: 'Priya Nair' }]),
      person(['tom', 880, 520, { name: 'Tom Okafor', jobTitle: 'Dispatch Team Lead', department: 'Operations', buyingRole: 'user', influence: 'low', attitude: 'supporter', owner: 'Jonas Keller' }]),
      ...relationship(6, ['tom', 'sofia', 'reports_to']),
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
    await page.locator('.plan-row.is-changed').first().waitFor({ timeout: WAIT_MS })
    // Let fonts and the canvas settle before the picture.
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(500)
    fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true })
    await page.screenshot({ path: OUT_FILE })
    console.log('wrote docs/screenshots/review.png')
  } finally {
    await browser.close()
    await server.close()
  }
}

await main()
