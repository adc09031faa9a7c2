/**
 * [R3] A record-log entry whose field path goes through `__proto__` (or `constructor`,
 * `prototype`) never writes through a prototype. Issue 11: a guest wrote two entries, the second
 * with field `__proto__.format`, and disconnected; the session-end snapshot composed the record and
 * polluted `Object.prototype` of the server process (every workshop then answered 500). The server
 * runs in this process, so a pollution shows in this test's own `{}`.
 *
 * Two ways in: a guest's raw provider writing the entries (refused at the door once the record pass
 * checks updates, [R1]), and the same entries already stored before this fix (an old board row),
 * which the server must still compose safely when it reads the board.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, nextClose, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

const FORBIDDEN = ['format', 'polluted', 'isAdmin'] as const

let server: TestServer
beforeAll(async () => {
  server = await startServer({ roomUnloadGraceMs: 20 })
})
afterAll(() => server.close())
afterEach(() => {
  // Keep a failing run from breaking every later test of this process.
  for (const key of FORBIDDEN) delete (Object.prototype as Record<string, unknown>)[key]
})

const allUnloaded = () => server.server.rooms.names().length === 0

/** The two poisoned entries: a valid base, then overrides through prototypes. */
function poisonedEntries(id: string): LogEntry[] {
  return [
    [
      id,
      '',
      {
        id,
        typeName: 'shape',
        type: 'geo',
        x: 0,
        y: 0,
        rotation: 0,
        index: 'a9',
        parentId: 'page:page',
        isLocked: false,
        opacity: 1,
        meta: {},
        props: {},
      },
    ],
    [id, '__proto__.format', 'pwned'],
    [id, 'constructor.polluted', 'pwned'],
    [id, '__proto__', { isAdmin: true }],
    [id, 'props.__proto__', { isAdmin: true }],
  ]
}

async function expectServerHealthy(): Promise<void> {
  expect(({} as Record<string, unknown>).format).toBeUndefined()
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  const other = await server.createWorkshop()
  const client = await connectSynced(server.syncUrl, `${other.id}/swot`)
  expect(client.doc.getArray(DOC_KEYS.records).length).toBeGreaterThan(0)
  client.destroy()
  expect((await fetch(`${server.url}/api/workshops/${other.id}`)).status).toBe(200)
  await waitFor(allUnloaded, 'every room to unload')
}

test('a guest writing __proto__ field entries, then leaving, pollutes nothing', async () => {
  const workshop = await server.createWorkshop()
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens.guest } })
  guest.provider.awareness.setLocalStateField('presence', { userId: 'user:eve', userName: 'Eve' })
  let refused: number | null = null
  void nextClose(guest.provider).then(({ code }) => (refused = code))
  guest.doc.getArray<LogEntry>(DOC_KEYS.records).push(poisonedEntries('shape:evil'))
  const room = server.server.rooms.get(`${workshop.id}/actions`)
  await waitFor(() => refused !== null || (room !== undefined && room.doc.getArray(DOC_KEYS.records).length > 6), 'the entries to be stored or refused')
  guest.destroy()
  await waitFor(allUnloaded, 'every room to unload')
  if (refused === null) {
    // Stored: the session-end snapshot composes the record ([S17]).
    let count = 0
    const deadline = Date.now() + 20_000
    while (count === 0 && Date.now() < deadline) {
      const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`)
      expect(response.status).toBe(200)
      count = ((await response.json()) as { snapshots: unknown[] }).snapshots.length
    }
    expect(count).toBe(1)
  } else {
    expect(refused).toBe(CLOSE_CODES.updateRefused)
  }
  await expectServerHealthy()
})

test('poisoned entries already stored are composed without pollution when the board is read', async () => {
  const workshop = await server.createWorkshop()
  // An old board row written before the checks existed.
  const old = new Y.Doc()
  old.getArray<LogEntry>(DOC_KEYS.records).push(poisonedEntries('shape:old-evil'))
  await server.store.appendUpdates([{ docName: `${workshop.id}/swot`, update: Y.encodeStateAsUpdate(old) }])
  const reader = await connectSynced(server.syncUrl, `${workshop.id}/swot`)
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({}),
  })
  expect(response.status).toBe(201)
  reader.destroy()
  await waitFor(allUnloaded, 'every room to unload')
  await expectServerHealthy()
})
