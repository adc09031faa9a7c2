/**
 * docs/server-rules.md [S3]: what departed peers sent while their boards could not store it is kept
 * in memory, within bounds. Over `MAX_KEPT_DEPARTED_BYTES`, counted over every board, a newer one is
 * dropped (what was kept first stays) with the error `sync.departed_writes_dropped`; what was kept
 * for a workshop deleted meanwhile is dropped with `sync.departed_writes_lost` and never tried again.
 * The store is a real SQLite file whose loads fail on demand.
 */
import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { LogFields, Logger } from '../../server/log.ts'
import { connectClient, connectSynced, waitFor } from '../helpers/clients.ts'
import { FailingStore } from '../helpers/failingStore.ts'
import { startServer, workshopFetch, type TestServer } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

/** The cap of this file's server: one edit of {@link EDIT_CHARS} fits, two do not. */
const MAX_KEPT_BYTES = 3000
const EDIT_CHARS = 1500

/** What the server logged, event by event. */
const logged: { event: string; fields: LogFields }[] = []
const capture = (event: string, fields: LogFields = {}) => void logged.push({ event, fields })
const log: Logger = { debug() {}, info: capture, warn: capture, error: capture }

let server: (TestServer & { store: FailingStore }) | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
  logged.length = 0
})

async function start(): Promise<TestServer & { store: FailingStore }> {
  server = await startServer({ maxKeptDepartedBytes: MAX_KEPT_BYTES }, { log }, (config) => new FailingStore(config.dataDir))
  return server
}

function loggedFor(event: string, room: string): LogFields[] {
  return logged.filter((line) => line.event === event && line.fields.room === room).map((line) => line.fields)
}

/** Closes the gate of the store's failures: returns the function that opens it. */
function closeGate(store: FailingStore): () => void {
  let open!: () => void
  store.gate = new Promise<void>((resolve) => (open = resolve))
  return open
}

/** The board `room` as stored (what a restarted server loads). */
async function stored(store: FailingStore, room: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  for (const update of (await store.loadDocument(room)).updates) Y.applyUpdate(doc, update)
  return doc
}

/** Waits until `room` as stored has `value` at `key` (polling the store; a safety net, not a timing assertion). */
async function untilStored(store: FailingStore, room: string, key: string, value: string): Promise<void> {
  const start = Date.now()
  while (getEntry(await stored(store, room), key) !== value) {
    if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${key} to be stored`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Loads `room` once (its template seeded) and waits until it unloaded: returns the board. */
async function boardUnloaded(s: TestServer, room: string): Promise<Uint8Array> {
  const first = await connectSynced(s.syncUrl, room)
  const board = Y.encodeStateAsUpdate(first.doc)
  first.destroy()
  await waitFor(() => !s.server.rooms.names().includes(room), 'the room to unload')
  return board
}

/**
 * A page that had `room` open writes `key` while its board loads, and leaves; the load fails once
 * the page left. Resolves once the server logged what it did with the page's edit.
 */
async function writeWhileLoadFails(s: TestServer & { store: FailingStore }, room: string, board: Uint8Array, key: string, outcome: string): Promise<void> {
  const open = closeGate(s.store)
  s.store.failLoads = true
  const left = loggedFor('sync.disconnect', room).length
  const doc = new Y.Doc()
  Y.applyUpdate(doc, board)
  const page = connectClient(s.syncUrl, room, { doc })
  await new Promise<void>((resolve) => {
    page.provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') return
      setEntry(doc, key, 'x'.repeat(EDIT_CHARS))
      page.destroy()
      resolve()
    })
  })
  await waitFor(() => loggedFor('sync.disconnect', room).length > left, 'the server to see the page leave')
  open()
  await waitFor(() => loggedFor(outcome, room).length > 0, `${outcome} for ${room}`)
}

test('over MAX_KEPT_DEPARTED_BYTES over every board, a newer departed edit is dropped with an error and the older one is stored [S3]', async () => {
  const s = await start()
  const [one, two] = [await s.createWorkshop(), await s.createWorkshop()]
  const [first, second] = [`${one.id}/swot`, `${two.id}/swot`]
  const firstBoard = await boardUnloaded(s, first)
  const secondBoard = await boardUnloaded(s, second)

  await writeWhileLoadFails(s, first, firstBoard, 'kept', 'sync.departed_writes_kept')
  expect(Number(loggedFor('sync.departed_writes_kept', first)[0]?.bytes)).toBeGreaterThan(EDIT_CHARS)
  // Another board's: alone it would fit, with the first one it does not.
  await writeWhileLoadFails(s, second, secondBoard, 'dropped', 'sync.departed_writes_dropped')
  expect(Number(loggedFor('sync.departed_writes_dropped', second)[0]?.bytes)).toBeGreaterThan(EDIT_CHARS)
  expect(loggedFor('sync.departed_writes_kept', second)).toEqual([])

  s.store.failLoads = false
  await untilStored(s.store, first, 'kept', 'x'.repeat(EDIT_CHARS))
  // The second board loads with nothing kept for it: an edit written after loading is stored alone.
  const reader = await connectSynced(s.syncUrl, second)
  setEntry(reader.doc, 'after', 'written once the store was back')
  await untilStored(s.store, second, 'after', 'written once the store was back')
  expect(getEntry(await stored(s.store, second), 'dropped')).toBeUndefined()
  reader.destroy()
})

test('what was kept for a workshop deleted meanwhile is dropped with an error, once, and its board is not created again [S3]', async () => {
  const s = await start()
  const workshop = await s.createWorkshop()
  const room = `${workshop.id}/swot`
  const board = await boardUnloaded(s, room)
  // The store keeps failing loads: each retry fails until the workshop is gone.
  await writeWhileLoadFails(s, room, board, 'orphaned', 'sync.departed_writes_kept')
  const response = await workshopFetch(`${s.url}/api/workshops/${workshop.id}`, { method: 'DELETE' })
  expect(response.ok).toBe(true)

  await waitFor(() => loggedFor('sync.departed_writes_lost', room).length > 0, 'the kept edit to be dropped')
  expect(loggedFor('sync.departed_writes_lost', room)[0]?.reason).toBe('workshop deleted')
  const retriesBefore = loggedFor('sync.departed_writes_retry_failed', room).length
  s.store.failLoads = false
  expect((await s.store.loadDocument(room)).updates).toEqual([])
  // A shutdown tries once more what is still kept, and logs what it loses: nothing is left for it.
  await s.stop()
  expect(loggedFor('sync.departed_writes_lost', room)).toHaveLength(1)
  expect(loggedFor('sync.departed_writes_retry_failed', room).length).toBe(retriesBefore)
})
