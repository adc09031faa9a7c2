/**
 * `GET /snapshots/:sid/diff/:other`: after real clients change a stakeholder's attitude and an
 * action's status, add and remove notes, the diff lists per section what was added, removed and
 * changed, with field-level before/after.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Workshop } from '../../shared/api.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import type { BoardClient } from '../helpers/boardClients.ts'
import { noteIn, withProps, openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: Workshop
let boards: Record<'swot' | 'stakeholders' | 'actions', BoardClient>

async function snapshot(label: string): Promise<PlanRecord> {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label }),
  })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  boards = await openSampleBoards(server, workshop.id)
})

afterAll(async () => {
  for (const client of Object.values(boards ?? {})) client.destroy()
  await server?.close()
})

test('the diff lists added, removed and changed items with field-level before/after', async () => {
  const before = await snapshot('Workshop 1')
  await boards.stakeholders.write([withProps(boards.stakeholders, 'shape:ceo', { attitude: 'supporter' })])
  await boards.actions.write([withProps(boards.actions, 'shape:a1', { status: 'done' })])
  await boards.swot.remove(['shape:n-rival'])
  await boards.swot.write([noteIn('opportunities', 'shape:n-new', 'Expand to Nordics')])
  const after = await snapshot('Workshop 2')

  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${after.id}/diff/${before.id}`)
  expect(response.status).toBe(200)
  const diff = PlanDiffSchema.parse(await response.json())
  expect(diff).toMatchObject({ newer: after.id, older: before.id })
  expect(diff.stakeholders?.changed).toEqual([
    { id: 'shape:ceo', item: expect.objectContaining({ attitude: 'supporter' }), changes: [{ field: 'attitude', before: 'neutral', after: 'supporter' }] },
  ])
  expect(diff.actions?.changed).toEqual([
    { id: 'shape:a1', item: expect.objectContaining({ status: 'done' }), changes: [{ field: 'status', before: 'open', after: 'done' }] },
  ])
  expect(diff.swot?.added.map((n) => [n.id, n.quadrant])).toEqual([['shape:n-new', 'opportunities']])
  expect(diff.swot?.removed.map((n) => [n.id, n.quadrant])).toEqual([['shape:n-rival', 'threats']])
  expect(diff.relationships).toEqual({ added: [], removed: [], changed: [] })
})

test('the diff of a snapshot with itself is empty, and an unknown other is 404', async () => {
  const only = await snapshot('Same')
  const same = PlanDiffSchema.parse(await (await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${only.id}/diff/${only.id}`)).json())
  for (const section of [same.swot, same.stakeholders, same.relationships, same.actions]) {
    expect(section).toEqual({ added: [], removed: [], changed: [] })
  }
  const missing = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${only.id}/diff/AAAAAAAAAAAAAAAA`)
  expect(missing.status).toBe(404)
  expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no snapshot with this id' } })
})
