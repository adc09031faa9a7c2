/**
 * [H9] The history recorder reads a board when its first transaction begins, not when it loads:
 * the first change after a load still has the records as they were before it.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { ChangeListSchema } from '../../shared/historyApi.ts'
import { connectSynced, rawClient, updateFrame, waitFor } from '../helpers/clients.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  // A long pause window: changes close when a list is read ([H5]), never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
})
afterAll(() => server.close())

test('the first change after a board loads is recorded with each record as it was before it [H9][H1]', async () => {
  const workshop = await server.createWorkshop()
  // Stored before the board is loaded: the recorder has never seen it.
  const stored = new Y.Doc()
  writeRecordChanges(stored, { put: [note('shape:kept', { x: 0, y: 0 }, 'Stored before') as unknown as JsonObject], remove: [] }) // tldraw records are JSON
  await server.store.appendUpdates([{ docName: `${workshop.id}/swot`, update: Y.encodeStateAsUpdate(stored) }])

  // The room's first transaction is this change (sent before any sync message).
  const before = Y.encodeStateVector(stored)
  writeRecordChanges(stored, { put: [note('shape:kept', { x: 50, y: 0 }, 'Stored before') as unknown as JsonObject], remove: [] }) // as above
  const ada = rawClient(`${server.syncUrl}/${workshop.id}/swot?token=${workshop.tokens.team}&user=user:ada`)
  ada.ws.once('open', () => ada.send(updateFrame(Y.encodeStateAsUpdate(stored, before))))
  const room = () => server.server.rooms.get(`${workshop.id}/swot`)
  await waitFor(() => { const doc = room()?.doc; return doc !== undefined && readRecords(doc).get('shape:kept')?.x === 50 }, 'the server has the change')
  await room()?.whenDurable()
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/boards/swot/changes`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  const { changes } = ChangeListSchema.parse(await response.json())
  const kept = changes.flatMap((change) => change.records).filter((changed) => changed.id === 'shape:kept')
  expect(kept).toHaveLength(1)
  expect(kept[0]?.before).toMatchObject({ x: 0 })
  expect(kept[0]?.after).toMatchObject({ x: 50 })
  ada.ws.close()
})

test('joiners that only read cause no transaction on the board, so the history never reads it for them [H9]', async () => {
  const workshop = await server.createWorkshop()
  const name = `${workshop.id}/swot`
  let transactions = 0
  // Loaded first, so that every joiner's sync (including its step 2) is seen.
  await server.server.rooms.withRoom(workshop.id, 'swot', (room) => room.doc.on('beforeTransaction', () => transactions++))
  const readers = [await connectSynced(server.syncUrl, name), await connectSynced(server.syncUrl, name, { params: { token: workshop.tokens.viewer } })]
  // A round trip after each reader's step 2: the server has handled everything they sent before it.
  for (const reader of readers) {
    reader.provider.awareness.setLocalStateField('presence', { userName: 'Reader' })
    await waitFor(() => server.server.rooms.get(name)?.awareness.getStates().has(reader.doc.clientID) === true, 'the reader is present')
  }
  expect(transactions).toBe(0)
  for (const reader of readers) reader.destroy()
})
