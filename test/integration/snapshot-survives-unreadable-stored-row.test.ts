/**
 * [S16] One unreadable stored row of one board (a damaged row in the SQLite board log) does not
 * fail the workshop's snapshots: the snapshot is taken, with a warning naming the board, and every
 * other board, and every readable row of that board, is intact.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { DATABASE_FILE } from '../../server/store/SqliteStore.ts'
import { waitFor } from '../helpers/clients.ts'
import { openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, type TestWorkshop, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  const boards = await openSampleBoards(server, workshop.id)
  for (const board of Object.values(boards)) board.destroy()
  // Read from storage, not from a loaded room.
  await waitFor(() => server.server.rooms.names().length === 0, 'rooms to unload')
})

afterAll(async () => {
  await server?.close()
})

test('a garbage row in one board gives a warning naming that board; the rest of the workshop is in the snapshot', async () => {
  const db = new Database(path.join(server.dataDir, DATABASE_FILE))
  try {
    db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)').run(`${workshop.id}/stakeholders`, Buffer.from('not a yjs update at all'))
  } finally {
    db.close()
  }
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  expect(response.status).toBe(201)
  const plan = PlanRecordSchema.parse(await response.json())
  expect(plan.warnings).toEqual([expect.objectContaining({ board: 'stakeholders', message: expect.stringContaining('could not be read') })])
  // The readable rows of the damaged board are kept, and the other boards are whole.
  expect(plan.stakeholders.map((s) => s.name).sort()).toEqual(['Dana Ortiz', 'Lee Chen'])
  expect(plan.swot.strengths.map((n) => n.text)).toEqual(['Strong brand in DACH'])
  expect(plan.actions.map((a) => a.title)).toEqual(['Send proposal', 'Book exec meeting'])
  // The board state stored with the snapshot opens.
  const board = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}/boards/stakeholders`)
  expect(board.status).toBe(200)
  expect(JSON.stringify(await board.json())).toContain('Dana Ortiz')
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
})
