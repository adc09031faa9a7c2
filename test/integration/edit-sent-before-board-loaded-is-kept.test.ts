/**
 * docs/server-rules.md [S3], [S28]: a connection's frames are queued until its room has loaded. A
 * client that sends an edit right after connecting and leaves at once, while the board is still
 * loading, loses nothing: once the board has loaded, the document updates it sent are judged like
 * any update and stored; a refused one is refused with its close code, as from an open connection.
 * On PostgreSQL (issue 17) a board's load waits for the database, so frames arrive meanwhile.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { createServer, type KeyplanServer } from '../../server/app.ts'
import type { LogFields, Logger } from '../../server/log.ts'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { connectClient, connectSynced, rawClient, updateFrame, waitFor, type TestClient } from '../helpers/clients.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { createWorkshop, tempDataDir, testConfig, type TestWorkshop } from '../helpers/startServer.ts'
import { entries, getEntry, setEntries, setEntry } from '../helpers/testEntries.ts'

/** Notes on the board, 1,000 per update: enough that its load takes the database a while. */
const NOTES = 4_000

/** What the server logged, to see a refusal whose close the departed peer never hears. */
const refusals: LogFields[] = []
const log: Logger = {
  debug() {},
  info() {},
  warn: (event, fields) => {
    if (event === 'sync.update_refused' && fields) refusals.push(fields)
  },
  error() {},
}

let postgres: PostgresCluster
let url: string
const dataDir = tempDataDir()
let store: PostgresStore | undefined
let server: KeyplanServer | undefined

async function start(): Promise<KeyplanServer> {
  store = await PostgresStore.open(url)
  server = await createServer(testConfig({ dataDir }), store, { log })
  return server
}

async function stop(): Promise<void> {
  await server?.close()
  await store?.close()
  server = undefined
  store = undefined
}

const syncUrl = (s: KeyplanServer) => `${s.url.replace(/^http/, 'ws')}/sync`
/** Clients destroyed after the file, should a test fail before it destroys them. */
const clients: TestClient[] = []
let workshop: TestWorkshop
let room: string
/** The whole board as stored: what a page that had it open holds. */
let board: Uint8Array

beforeAll(async () => {
  postgres = await startPostgres()
  url = await postgres.createDatabase()
  // A large board, written through the server; then a restart, so that the next connection loads it.
  const first = await start()
  workshop = await createWorkshop(first.url)
  room = `${workshop.id}/actions`
  const writer = await connectSynced(syncUrl(first), room)
  for (let start = 0; start < NOTES; start += 1_000) {
    setEntries(writer.doc, Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`n${start + i}`, 'x'.repeat(200)])))
  }
  const reader = await connectSynced(syncUrl(first), room)
  await waitFor(() => Object.keys(entries(reader.doc)).length === NOTES, 'the board to reach a reader', 60_000)
  board = Y.encodeStateAsUpdate(writer.doc)
  writer.destroy()
  reader.destroy()
  await stop()
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  for (const client of clients) client.destroy()
  await stop()
  await postgres?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** The running server, once the board's room is not loaded (its next connection loads it). */
async function serverWithBoardUnloaded(): Promise<KeyplanServer> {
  const current = server ?? (await start())
  await waitFor(() => current.rooms.names().length === 0, 'the room to unload', 60_000)
  return current
}

/** A client synced with the board. */
async function check(current: KeyplanServer): Promise<TestClient> {
  const client = await connectSynced(syncUrl(current), room)
  clients.push(client)
  return client
}

test('an edit sent before the board loaded, by a client that left at once, is stored [S3] [S28]', { timeout: 180_000 }, async () => {
  let current = await serverWithBoardUnloaded()
  // A page that had the board open reconnects to the restarted server, edits as soon as it is
  // connected and closes: its frames reach the server while the board loads from the database.
  const doc = new Y.Doc()
  Y.applyUpdate(doc, board)
  const late = connectClient(syncUrl(current), room, { doc })
  await new Promise<void>((resolve) => {
    late.provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') return
      setEntry(doc, 'late', 'written before the board loaded')
      late.destroy()
      resolve()
    })
  })

  // Stored, not only applied: a server started on the same database has it.
  await serverWithBoardUnloaded()
  await stop()
  current = await start()
  const after = await check(current)
  expect(getEntry(after.doc, 'late')).toBe('written before the board loaded')
  expect(Object.keys(entries(after.doc))).toHaveLength(NOTES + 1)
  after.destroy()
})

test('a refused update sent before the board loaded is refused with its close code, and nothing after it is kept [S3] [S26]', { timeout: 180_000 }, async () => {
  const current = await serverWithBoardUnloaded()
  const notes = Object.keys(entries((await check(current)).doc)).length
  clients.pop()?.destroy()
  await serverWithBoardUnloaded()

  // Outside the board layout ([S27]): refused. The honest note after it, from the same peer, goes with it.
  const hostile = new Y.Doc()
  hostile.getMap('evil').set('x', 1)
  const page = new Y.Doc()
  Y.applyUpdate(page, board)
  const before = Y.encodeStateVector(page)
  setEntry(page, 'after-fault', 'sent after a refused update')

  const raw = rawClient(`${syncUrl(current)}/${room}`)
  await raw.opened
  raw.send(updateFrame(Y.encodeStateAsUpdate(hostile)))
  raw.send(updateFrame(Y.encodeStateAsUpdate(page, before)))
  raw.ws.close()

  await waitFor(() => refusals.length > 0, 'the server to judge the update', 60_000)
  expect(refusals[0]).toMatchObject({ room, code: CLOSE_CODES.updateRefused })
  const after = await check(current)
  expect(after.doc.share.has('evil')).toBe(false)
  expect(getEntry(after.doc, 'after-fault')).toBeUndefined()
  expect(Object.keys(entries(after.doc))).toHaveLength(notes)
  after.destroy()
})
