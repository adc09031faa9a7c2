/**
 * [S16] Snapshots of loaded rooms reuse what their last read found for every record an edit did
 * not touch. After a session of edits by real clients (moves, new text, internal fields, new and
 * removed cards, links), each snapshot taken along the way, the last one holds the plan a fresh
 * server reading the same stored boards gives: nothing reused went stale.
 */
import { toRichText } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Workshop } from '../../shared/api.ts'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { action, stakeholder } from '../helpers/planBoards.ts'
import { SAMPLE, SAMPLE_ACCOUNT_PLAN, noteIn, withProps } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

/** tldraw rich text of one paragraph, as JSON. */
const richText = (text: string) => toRichText(text) as unknown as JsonObject // TipTap JSON

let server: TestServer
let workshop: Workshop
let boards: Record<BoardId, BoardClient>
let clientsOpen = false

async function snapshot(on: TestServer): Promise<PlanRecord> {
  const response = await fetch(`${on.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

/** What a plan says about the boards (not when, by whom or how fresh). */
function content(plan: PlanRecord) {
  const { swot, stakeholders, relationships, objectives, actions, whitespace, competitors, warnings, health } = plan
  return { swot, stakeholders, relationships, objectives, actions, whitespace, competitors, warnings, checks: health.checks.filter((check) => check.id !== 'freshness') }
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27 planning' })
  const opened = await Promise.all(BOARD_IDS.map(async (board) => [board, await openBoard(server, workshop.id, board, 'Ada')] as const))
  boards = Object.fromEntries(opened) as Record<BoardId, BoardClient> // one client per board
  clientsOpen = true
  await boards.swot.write(SAMPLE.swot)
  await boards.stakeholders.write(SAMPLE.stakeholders)
  await boards.actions.write([...SAMPLE.actions, ...SAMPLE_ACCOUNT_PLAN.actions])
  await boards.objectives.write(SAMPLE_ACCOUNT_PLAN.objectives)
  await boards.whitespace.write(SAMPLE_ACCOUNT_PLAN.whitespace)
})

afterAll(async () => {
  if (clientsOpen) for (const client of Object.values(boards)) client.destroy()
  await server?.close()
})

test('after edits, each snapshotted along the way, the snapshot equals a fresh server’s full read', async () => {
  await snapshot(server)
  const move = (client: BoardClient, id: string, x: number) => {
    const record = client.records().get(id)
    if (!record) throw new Error(`no record ${id}`)
    return client.write([{ ...record, x }])
  }
  const edits: (() => Promise<void>)[] = [
    () => move(boards.swot, 'shape:n-slow', 4100), // out of its quadrant: unsorted
    () => boards.swot.write([withProps(boards.swot, 'shape:n-cloud', { richText: richText('Cloud budget doubled') })]),
    () => boards.swot.write([noteIn('threats', 'shape:n-new', 'New entrant')]),
    () => boards.stakeholders.write([withProps(boards.stakeholders, 'shape:cfo', { attitude: 'champion', influence: 'high' })]),
    () => boards.stakeholders.write([stakeholder('shape:cto', { x: 800, y: 0 }, { name: 'Kim Park', attitude: 'blocker', influence: 'high' })]),
    () => boards.stakeholders.remove(['shape:r1']),
    () => boards.objectives.write([withProps(boards.objectives, 'shape:o1', { addresses: ['shape:n-new'], target: 2e6 })]),
    () => boards.actions.write([action('shape:a9', { x: 20, y: 500 }, { title: 'Meet Kim Park', owner: 'Ada', due: '2000-01-01', objectives: ['shape:o1', 'shape:gone'] })]),
    () => boards.actions.remove(['shape:a2']),
    () => move(boards.whitespace, 'shape:c2', 310), // onto the first column
    () => boards.whitespace.write([withProps(boards.whitespace, 'shape:r1', { richText: richText('Freight') })]),
    () => move(boards.swot, 'shape:n-slow', 0), // back, left of its first place
  ]
  let last: PlanRecord | undefined
  for (const edit of edits) {
    await edit()
    last = await snapshot(server)
  }
  if (!last) throw new Error('no snapshot taken')
  // The edits reached the plan.
  expect(last.swot.threats.map((item) => item.text)).toContain('New entrant')
  expect(last.stakeholders.find((s) => s.id === 'shape:cfo')?.attitude).toBe('champion')
  expect(last.actions.map((a) => a.id)).not.toContain('shape:a2')

  for (const client of Object.values(boards)) client.destroy()
  clientsOpen = false
  await server.stop()
  const fresh = await startServer({ dataDir: server.dataDir })
  server = fresh
  expect(content(await snapshot(fresh))).toEqual(content(last))
})
