/**
 * Issue 14 (memory): a room caches the step 2 answers it sent, per doc version ([S23], [S30]), so
 * that peers joining the same version cost a lookup. A change makes them outdated, and they are
 * then dropped, not kept until the room unloads (a whole board's encoding per room). Joining after
 * the change gets the changed board.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('a change drops the step 2 answers cached for the version before it', async () => {
  const workshop = await server.createWorkshop()
  const name = `${workshop.id}/swot`
  const ada = await connectSynced(server.syncUrl, name)
  const room = server.server.rooms.get(name)
  if (!room) throw new Error('no room')
  // Ada joined with nothing: the whole board's answer is cached for this version.
  expect(room.cachedStep2Answers).toBe(1)

  writeRecordChanges(ada.doc, { put: [note('shape:n', { x: 0, y: 0 }, 'After') as unknown as JsonObject], remove: [] }) // tldraw records are JSON
  await waitFor(() => readRecords(room.doc).has('shape:n'), 'the server has the note')
  await room.whenDurable()
  expect(room.cachedStep2Answers).toBe(0)

  const bea = await connectSynced(server.syncUrl, name)
  expect(readRecords(bea.doc).has('shape:n')).toBe(true)
  expect(room.cachedStep2Answers).toBe(1)
  ada.destroy()
  bea.destroy()
})
