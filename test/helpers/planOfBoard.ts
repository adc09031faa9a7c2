/**
 * The fixture of a test file about one board's plan and its outputs: a real server, a workshop
 * ("Northwind", "FY27 plan"), `records` written to `board` by a raw board client, and the plan of a
 * snapshot the facilitator saved of it.
 */
import type { TLRecord } from 'tldraw'
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll } from 'vitest'
import type { BoardId } from '../../shared/boards.ts'
import type { PlanRecord } from '../../shared/plan.ts'
import { openBoard, type BoardClient } from './boardClients.ts'
import { startServer, takeSnapshot, workshopFetch, type TestServer, type TestWorkshop } from './startServer.ts'

export interface PlanOfBoard {
  server: TestServer
  workshop: TestWorkshop
  /** The snapshot's plan record. */
  plan: PlanRecord
  /** GET (or `init`) `/api/workshops/<id><path>` as the facilitator. */
  api(path: string, init?: RequestInit): Promise<Response>
}

/**
 * Registers the file's `beforeAll` (start, write, snapshot) and `afterAll` (close) hooks; read the
 * returned object's fields inside hooks and tests.
 * @example const board = planOfBoard('objectives', [objective('shape:o1', { x: 40, y: 60 }, { objective: 'Grow' })])
 */
export function planOfBoard(board: BoardId, records: readonly (TLRecord | JsonObject)[]): PlanOfBoard {
  const fixture = {
    api: (path: string, init?: RequestInit) => workshopFetch(`${fixture.server.url}/api/workshops/${fixture.workshop.id}${path}`, init),
  } as PlanOfBoard // the rest is filled in by beforeAll
  let client: BoardClient | undefined
  beforeAll(async () => {
    fixture.server = await startServer()
    fixture.workshop = await fixture.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
    client = await openBoard(fixture.server, fixture.workshop.id, board, 'Ada')
    await client.write(records)
    fixture.plan = await takeSnapshot(fixture.server, fixture.workshop.id)
  })
  afterAll(async () => {
    client?.destroy()
    await fixture.server?.close()
  })
  return fixture
}
