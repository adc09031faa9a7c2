/**
 * [H1] The recorder notes only which records a transaction changed while it runs, and composes them
 * after the relay: a later transaction of the same turn must not change what an earlier one is
 * recorded with.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { ChangeListSchema } from '../../shared/historyApi.ts'
import { ServerChange } from '../../server/history/HistoryRecorder.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  // A long pause window: changes close when a list is read ([H5]), never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
})
afterAll(() => server.close())

test('two changes of one record in one turn are each recorded as they left it [H1][H3]', async () => {
  const workshop = await server.createWorkshop()
  const placed = (x: number) => note('shape:moved', { x, y: 0 }, 'Moved twice') as unknown as JsonObject // tldraw records are JSON
  await server.server.rooms.withRoom(workshop.id, 'swot', async (room) => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
    const write = (x: number) => {
      const before = Y.encodeStateVector(copy)
      writeRecordChanges(copy, { put: [placed(x)], remove: [] })
      return Y.encodeStateAsUpdate(copy, before)
    }
    const created = new ServerChange('restore')
    await room.applyServerUpdate(write(0), created).finally(() => created.finish())
    // Both applied in this turn, before anything deferred after the relay runs.
    const first = new ServerChange('restore')
    const second = new ServerChange('restore')
    const writes = [room.applyServerUpdate(write(10), first), room.applyServerUpdate(write(20), second)]
    first.finish()
    second.finish()
    await Promise.all(writes)
  })
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/boards/swot/changes`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  const { changes } = ChangeListSchema.parse(await response.json())
  // Newest first.
  const moves = changes.map((change) => change.records.find((record) => record.id === 'shape:moved')).filter((record) => record !== undefined)
  expect(moves.map((record) => [record.before?.x ?? null, record.after?.x ?? null])).toEqual([
    [10, 20],
    [0, 10],
    [null, 0],
  ])
})
