/**
 * [S37] A board's load reads its whole shared document for values to move ([A35]) only when its
 * internal document is not marked balanced for the workshop's sensitivity: a board written by
 * older code (no marker) or left behind by a sensitivity change (a stale marker) is moved as
 * before, a marked board has only what its internal document holds checked. Each case restarts
 * the server on the same data, after writing straight into the stored logs (past the rules, as
 * older code or a crash could have left them).
 */
import type { JsonObject } from '@tldraw/utils'
import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, readOverlays, readRecords, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { internalRoomName } from '../../shared/sensitivity.ts'
import { readBalanceMarker } from '../../server/sync/rebalanceParts.ts'
import type { SqliteStore } from '../../server/store/SqliteStore.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

const CANARY = 'CANARY-marker-51c'
const json = (value: unknown) => value as JsonObject // test records are JSON

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The stored document `name`, as a load would read it. */
async function storedDoc(store: SqliteStore, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  for (const update of (await store.loadDocument(name)).updates) Y.applyUpdate(doc, update)
  return doc
}

/** Appends to the stored log of `name` what `change` does to its stored document (no rule judges it). */
async function writeStored(store: SqliteStore, name: string, change: (doc: Y.Doc) => void): Promise<void> {
  const doc = await storedDoc(store, name)
  const before = Y.encodeStateVector(doc)
  change(doc)
  await store.appendUpdates([{ docName: name, update: Y.encodeStateAsUpdate(doc, before) }])
}

/** A workshop whose stakeholder map holds Bob, loaded once (balanced and marked), then the server stopped. */
async function balancedBoard(): Promise<{ workshop: TestWorkshop; dataDir: string; shared: string; internal: string }> {
  server = await startServer()
  const workshop = await server.createWorkshop()
  const shared = `${workshop.id}/stakeholders`
  const internal = internalRoomName(workshop.id, 'stakeholders')
  await server.store.appendUpdates([
    { docName: shared, update: updateOf((doc) => writeRecordChanges(doc, { put: [json(stakeholder('shape:bob', { x: 0, y: 0 }, { name: 'Bob' }))], remove: [] })) },
  ])
  await server.server.rooms.withRoom(workshop.id, 'stakeholders', () => undefined)
  const dataDir = server.dataDir
  await server.stop()
  return { workshop, dataDir, shared, internal }
}

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  change(doc)
  return Y.encodeStateAsUpdate(doc)
}

/** Bob's notes (internal by default) written into the stored shared document, past the rules. */
async function slipNotesIntoShared(store: SqliteStore, shared: string): Promise<void> {
  await writeStored(store, shared, (doc) => writeRecordChanges(doc, { put: [json(stakeholder('shape:bob', { x: 0, y: 0 }, { name: 'Bob', notes: CANARY }))], remove: [] }))
}

/** Restarts on `dataDir`, loads the board, and returns Bob as both documents hold him. */
async function loadAgain(workshop: TestWorkshop, dataDir: string) {
  server = await startServer({ dataDir })
  return server.server.rooms.withRoom(workshop.id, 'stakeholders', (room) => {
    if (!room.internal) throw new Error('the shared room has its internal room')
    return {
      sharedBob: readRecords(room.doc).get('shape:bob') as { props: Record<string, unknown> } | undefined, // a stakeholder card
      overlay: readOverlays(room.internal.doc).get('shape:bob'),
      marker: readBalanceMarker(room.internal.doc),
    }
  })
}

test('a load marks the board balanced for its sensitivity, and a marked board is not read whole again [S37]', async () => {
  const { workshop, dataDir, shared, internal } = await balancedBoard()
  server = await startServer({ dataDir })
  expect(readBalanceMarker(await storedDoc(server.store, internal))).toEqual(expect.any(String))
  // Past the rules: a load that trusts the marker does not look at the shared document's cards.
  await slipNotesIntoShared(server.store, shared)
  await server.stop()
  const bob = await loadAgain(workshop, dataDir)
  expect(bob.sharedBob?.props.notes).toBe(CANARY)
})

test('a board without a marker (written by older code) is read whole and its internal values moved, losing nothing [S37][A35]', async () => {
  const { workshop, dataDir, shared, internal } = await balancedBoard()
  server = await startServer({ dataDir })
  await slipNotesIntoShared(server.store, shared)
  await writeStored(server.store, internal, (doc) => doc.getMap(DOC_KEYS.meta).delete('balancedFor'))
  await server.stop()
  const bob = await loadAgain(workshop, dataDir)
  expect(bob.sharedBob?.props.notes).not.toBe(CANARY)
  expect(bob.overlay?.get('props.notes')).toBe(CANARY)
  expect(bob.marker).toEqual(expect.any(String))
})

test('a board marked for another sensitivity (a change the moves did not finish) is read whole and moved [S37][A35]', async () => {
  const { workshop, dataDir, shared } = await balancedBoard()
  server = await startServer({ dataDir })
  const before = readBalanceMarker(await storedDoc(server.store, internalRoomName(workshop.id, 'stakeholders')))
  // The sensitivity stored, the server gone before it moved anything: department turns internal.
  await server.store.setSensitivity(workshop.id, { 'stakeholder.department': 'internal' })
  await writeStored(server.store, shared, (doc) =>
    writeRecordChanges(doc, { put: [json(stakeholder('shape:bob', { x: 0, y: 0 }, { name: 'Bob', department: CANARY }))], remove: [] }),
  )
  await server.stop()
  const bob = await loadAgain(workshop, dataDir)
  expect(bob.sharedBob?.props.department).not.toBe(CANARY)
  expect(bob.overlay?.get('props.department')).toBe(CANARY)
  expect(bob.marker).not.toBe(before)
})

test('a marked board still moves what its internal document holds that is visible now [S37][A35]', async () => {
  const { workshop, dataDir, internal } = await balancedBoard()
  server = await startServer({ dataDir })
  // An overlay of a visible field (a page that had not heard of a change yet), past the rules.
  await writeStored(server.store, internal, (doc) => writeOverlayChanges(doc, new Map([['shape:bob', new Map([['props.jobTitle', 'CFO']])]]), []))
  await server.stop()
  const bob = await loadAgain(workshop, dataDir)
  expect(bob.sharedBob?.props.jobTitle).toBe('CFO')
  expect(bob.overlay?.has('props.jobTitle') ?? false).toBe(false)
})
