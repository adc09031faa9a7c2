/**
 * [S29] A keyed participant's Yjs client ids stay its own in the store, not only in the room's
 * memory: once its page left, after the room unloaded and after a restart, another participant
 * writing with one of them is refused (4422, nothing stored), while the participant's own offline
 * edits, made with that id in the page it kept, are accepted when it comes back.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { CLIENT_ID_LIMITS } from '../../server/sync/ClientIdHolders.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

const ALICE_KEY = 'alice-browser-secret-0123456789'

let server: TestServer
let workshop: TestWorkshop
let room: string

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  room = `${workshop.id}/actions`
})
afterAll(async () => {
  await server.close()
})

function connect(params: Record<string, string>, doc?: Y.Doc): Promise<TestClient> {
  return connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, ...params }, shouldReconnect: () => false, ...(doc ? { doc } : {}) })
}

/**
 * An entry of the board as the server holds it: its live room's, else its stored rows' (the room
 * unloads as soon as its last connection closes, which a refused writer's close can be).
 */
async function serverEntry(key: string): Promise<unknown> {
  const live = server.server.rooms.get(room)
  if (live) return getEntry(live.doc, key)
  const doc = new Y.Doc()
  for (const update of (await server.store.loadDocument(room)).updates) Y.applyUpdate(doc, update)
  return getEntry(doc, key)
}

/** A participant with `params` syncs the board, then writes with `clientID`: its connection is closed with 4422 and nothing changes. */
async function expectTakeoverRefused(params: Record<string, string>, clientID: number): Promise<void> {
  const thief = await connect(params)
  const before = await serverEntry('note')
  // Yjs writes with the doc's client id; set after the sync, as a hand-made client would.
  const own = thief.doc.clientID
  thief.doc.clientID = clientID
  const closed = nextClose(thief.provider)
  setEntry(thief.doc, 'note', `written by ${params.user}`)
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(await serverEntry('note')).toBe(before)
  // The provider's awareness still speaks for the doc's first id.
  thief.doc.clientID = own
  thief.destroy()
}

test("another participant cannot write with a departed participant's client id after the room unloaded or a restart; its offline edits are accepted [S29]", async () => {
  const aliceDoc = new Y.Doc()
  const alice = await connect({ user: 'user:alice', key: ALICE_KEY }, aliceDoc)
  setEntry(aliceDoc, 'note', 'online')
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'online', 'the server to have her note')
  await server.server.rooms.get(room)?.whenDurable()
  // Her page goes offline and keeps editing (the page keeps these in IndexedDB).
  alice.provider.destroy()
  setEntry(aliceDoc, 'note', 'offline')
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')

  await expectTakeoverRefused({ user: 'user:mallory', key: 'mallory-browser-secret-0123456789' }, aliceDoc.clientID)
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload again')
  await server.stop()
  server = await startServer({ dataDir: server.dataDir })
  await expectTakeoverRefused({ user: 'user:mallory', key: 'mallory-browser-secret-0123456789' }, aliceDoc.clientID)
  // Her public user id without her key is nobody.
  await expectTakeoverRefused({ user: 'user:alice' }, aliceDoc.clientID)

  // She comes back with the page she kept: its step 2 brings the offline edit under her client id.
  const back = await connect({ user: 'user:alice', key: ALICE_KEY }, aliceDoc)
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'offline', 'the server to have her offline edit')
  expect(back.provider.wsconnected).toBe(true)
  setEntry(aliceDoc, 'note', 'online again')
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'online again', 'her next edit')
  back.destroy()
})

test('one connection bringing more client ids than the cap is refused, and nothing of it is stored [S29]', async () => {
  const writer = await connect({ user: 'user:many', key: 'many-browser-secret-0123456789' })
  const before = Y.encodeStateVector(writer.doc)
  // One update written by many docs, each with its own client id (a hand-made client could).
  const updates: Uint8Array[] = []
  for (let i = 0; i <= CLIENT_ID_LIMITS.maxPerConnection; i++) {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
    doc.clientID = 7_000_000 + i
    setEntry(doc, `many-${i}`, i)
    updates.push(Y.encodeStateAsUpdate(doc, before))
  }
  const closed = nextClose(writer.provider)
  Y.applyUpdate(writer.doc, Y.mergeUpdates(updates))
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(await serverEntry('many-0')).toBeUndefined()
  const holds = await server.store.loadClientIdHolders(room, new Date(0).toISOString())
  expect([...holds.keys()].filter((client) => client >= 7_000_000 && client <= 7_000_000 + CLIENT_ID_LIMITS.maxPerConnection)).toEqual([])
  writer.destroy()
})
