/**
 * [H8] Board change history is kept for HISTORY_RETENTION_DAYS: older changes are deleted at boot
 * and by the periodic pruning; newer ones stay.
 */
import { afterAll, expect, test } from 'vitest'
import type { BoardChange } from '../../shared/historyApi.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

const DAY_MS = 24 * 60 * 60_000
const servers: TestServer[] = []

afterAll(async () => {
  for (const server of servers) await server.close()
})

function changeAt(id: string, workshopId: string, daysAgo: number): BoardChange {
  const note = { id: 'shape:n1', typeName: 'shape', type: 'note', x: 0 }
  return {
    id,
    workshopId,
    board: 'swot',
    at: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    role: 'team',
    name: 'Tom Weber',
    connId: 'conn1234',
    kind: 'edit',
    revertOf: null,
    customerFacing: false,
    records: [{ id: 'shape:n1', typeName: 'shape', type: 'note', before: note, after: null }],
  }
}

test('changes older than the retention period are deleted at boot; newer ones stay', async () => {
  const first = await startServer({ historyRetentionDays: 30 })
  const workshop = await first.createWorkshop()
  await first.store.appendChange(changeAt('old-change-1', workshop.id, 31))
  await first.store.appendChange(changeAt('new-change-1', workshop.id, 29))
  await first.stop()
  const second = await startServer({ dataDir: first.dataDir, historyRetentionDays: 30 })
  servers.push(second)
  expect(await second.store.getChange(workshop.id, 'swot', 'old-change-1')).toBeUndefined()
  expect(await second.store.getChange(workshop.id, 'swot', 'new-change-1')).toBeDefined()
})

test('the periodic pruning deletes what grew older than the retention period', async () => {
  const server = await startServer({ historyRetentionDays: 2 })
  servers.push(server)
  const workshop = await server.createWorkshop()
  await server.store.appendChange(changeAt('aged-change-1', workshop.id, 3))
  await server.store.appendChange(changeAt('young-change-1', workshop.id, 1))
  expect(await server.server.history.prune()).toBe(1)
  expect(await server.store.getChange(workshop.id, 'swot', 'aged-change-1')).toBeUndefined()
  expect(await server.store.getChange(workshop.id, 'swot', 'young-change-1')).toBeDefined()
})
