/**
 * The workshop's own comparison of two snapshots names what it refers to by id (QA q36b, finding 5:
 * a deleted stakeholder's line read "someone no longer on the map" on the review page, and an
 * objective's changed SWOT links were not named, because only the account comparison added the
 * names): `diff/:other` carries `names`, from either snapshot, as the account comparison does.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import { openSampleBoards, SAMPLE } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server?.close()
})

test('a stakeholder deleted with their line: the diff names both ends of the line removed', async () => {
  const workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const boards = await openSampleBoards(server, workshop.id)
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)
  const take = async () => ((await (await api('/snapshots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { id: string }).id
  const before = await take()
  expect(SAMPLE.stakeholders.some((record) => record.id === 'shape:cfo')).toBe(true)
  await boards.stakeholders.remove(['shape:cfo', 'shape:r1'])
  const after = await take()
  for (const board of Object.values(boards)) board.destroy()

  const diff = PlanDiffSchema.parse(await (await api(`/snapshots/${after}/diff/${before}`)).json())
  expect(diff.relationships?.removed.map((line) => [line.from, line.to])).toEqual([['shape:cfo', 'shape:ceo']])
  expect(diff.names?.['shape:cfo']).toBe('Lee Chen')
  expect(diff.names?.['shape:ceo']).toBe('Dana Ortiz')
})
