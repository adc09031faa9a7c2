/**
 * Issue 14 (memory): the history recorder keeps every record of a board it follows as it last saw
 * it ([H1]: the `before` of the next change). A record nobody changed since it was written whole
 * is kept as the very value the board's document holds, not as a copy; one changed by a field is
 * kept composed. What the history records is unchanged (the other history tests).
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type * as Y from 'yjs'
import { DOC_KEYS, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { ChangeListSchema } from '../../shared/historyApi.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  // A long pause window: changes close when a list is read ([H5]), never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
})
afterAll(() => server.close())

/** The values the document's record log holds (each entry's value), by identity. */
function storedValues(doc: Y.Doc): Set<unknown> {
  return new Set(doc.getArray<[string, string, unknown]>(DOC_KEYS.records).toArray().map(([, , value]) => value))
}

async function changesOf(workshopId: string, token: string) {
  const response = await fetch(`${server.url}/api/workshops/${workshopId}/boards/swot/changes`, { headers: { authorization: `Bearer ${token}` } })
  return ChangeListSchema.parse(await response.json()).changes
}

test('the history keeps records written once as the document holds them, and a changed one composed [H1]', async () => {
  const workshop = await server.createWorkshop()
  const name = `${workshop.id}/swot`
  const ada = await connectSynced(server.syncUrl, name)
  const notes = Array.from({ length: 20 }, (_, i) => note(`shape:n${i}`, { x: i * 10, y: 0 }, `Note ${i}`) as unknown as JsonObject) // tldraw records are JSON
  writeRecordChanges(ada.doc, { put: notes, remove: [] })
  const room = () => server.server.rooms.get(name)
  await waitFor(() => { const doc = room()?.doc; return doc !== undefined && readRecords(doc).size >= notes.length }, 'the server has the notes')
  await room()?.whenDurable()
  const history = server.server.history
  await waitFor(() => { const r = room(); return r !== undefined && history.keptRecords(r)?.has('shape:n19') === true }, 'the history has the notes')

  const shared = room()
  if (!shared) throw new Error('no room')
  const copies = () => {
    const stored = storedValues(shared.doc)
    return [...(history.keptRecords(shared)?.values() ?? [])].filter((record) => !stored.has(record)).length
  }
  expect(copies()).toBe(0)
  // Reading the list closes the open change ([H5]): the move below is a change of its own.
  await changesOf(workshop.id, workshop.tokens.facilitator)

  // One field changed: that record is kept composed (its base and the override), the others not.
  const [first] = notes
  writeRecordChanges(ada.doc, { put: [{ ...(first as JsonObject), x: 500 }], remove: [] })
  await waitFor(() => history.keptRecords(shared)?.get('shape:n0')?.x === 500, 'the history has the move')
  expect(copies()).toBe(1)

  // What it records is as before: the move (lists are newest first, [H5]), from where the note was.
  const changes = await changesOf(workshop.id, workshop.tokens.facilitator)
  const moved = changes.flatMap((change) => change.records).filter((changed) => changed.id === 'shape:n0')
  expect(moved[0]?.before).toMatchObject({ x: 0 })
  expect(moved[0]?.after).toMatchObject({ x: 500 })
  ada.destroy()
})
