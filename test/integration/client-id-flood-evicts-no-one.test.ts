/**
 * docs/server-rules.md [S29]: the holds of Yjs client ids are bounded per document
 * (`CLIENT_ID_LIMITS.maxPerDocument`) and per participant (`maxPerParticipant`), and a flood of
 * new ids pushes out nobody else's hold: a participant beyond its own cap loses its own oldest, and
 * a full document gives no new hold. Here a hostile writer cycles connections and keys, each
 * connection bringing the most new ids it may, from enough addresses that their quotas
 * (`maxPerSource`) together exceed the document's, until the document is over full; an honest
 * participant who left before keeps its id: another participant writing with it is refused
 * (4422, nothing stored) and its own offline edit is accepted when it comes back.
 *
 * Keys are free to mint, so a flood of keys from one address once filled a document (about 157
 * keys) and every participant after it held nothing; now one address (IPv6 per /64) with one link
 * takes at most `maxPerSource` holds of a document: after such a flood, a participant connecting
 * from another address, or from the same address with another link, still holds its id.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLIENT_ID_LIMITS } from '../../server/sync/ClientIdHolders.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

const ALICE = { user: 'user:alice', key: 'alice-browser-secret-0123456789' }
/** Keys the flood cycles through: enough that their holds together fill the document and more. */
const FLOOD_KEYS = Math.ceil(CLIENT_ID_LIMITS.maxPerDocument / CLIENT_ID_LIMITS.maxPerParticipant) + 2

let server: TestServer
let workshop: TestWorkshop
let room: string

beforeAll(async () => {
  server = await startServer()
})
// Each test floods a board of its own.
beforeEach(async () => {
  workshop = await server.createWorkshop()
  room = `${workshop.id}/actions`
})
afterAll(() => server.close())

/** Loopback addresses the flood comes from: each holds at most `maxPerSource`, together more than the document. */
const FLOOD_ADDRESSES = 20

function connect(params: Record<string, string>, doc?: Y.Doc, localAddress?: string): Promise<TestClient> {
  return connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, ...params }, shouldReconnect: () => false, ...(doc ? { doc } : {}), ...(localAddress ? { localAddress } : {}) })
}

let nextClient = 10_000_000

/** One flood connection: one update written with as many new client ids as a connection may bring. */
async function floodOnce(params: Record<string, string>, localAddress?: string): Promise<void> {
  const flooder = await connect(params, undefined, localAddress)
  const before = Y.encodeStateVector(flooder.doc)
  // A hand-made client: one entry per client id, each id taking over from the one before.
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(flooder.doc))
  // One note per connection, its value changed once per id: small entries, a small board.
  const key = `flood-${nextClient}`
  for (let i = 0; i < CLIENT_ID_LIMITS.maxPerConnection; i++) {
    scratch.clientID = nextClient++
    setEntry(scratch, key, i)
  }
  const last = scratch.clientID
  Y.applyUpdate(flooder.doc, Y.encodeStateAsUpdate(scratch, before))
  scratch.destroy()
  // By the server's state vector: composing a board of thousands of entries on every poll is slow.
  await waitFor(() => Y.getState(server.server.rooms.get(room)?.doc.store ?? new Y.Doc().store, last) > 0, 'the flood update to be applied')
  flooder.destroy()
}

async function holdsByParticipant(): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const participant of (await server.store.loadClientIdHolders(room, new Date(0).toISOString())).values()) {
    counts.set(participant, (counts.get(participant) ?? 0) + 1)
  }
  return counts
}

/** Floods with {@link FLOOD_KEYS} keys, eight connections at a time; key `n` connects from `addressOf(n)` (127.0.0.1 without). */
async function floodKeys(addressOf?: (n: number) => string): Promise<void> {
  for (let k = 0; k < FLOOD_KEYS; k += 8) {
    const keys = Array.from({ length: Math.min(8, FLOOD_KEYS - k) }, (_, i) => k + i)
    await Promise.all(keys.map((n) => floodOnce({ user: `user:flood${n}`, key: `flood-browser-secret-${String(n).padStart(4, '0')}-0123456789` }, addressOf?.(n))))
  }
}

/**
 * Once the room unloaded (the holds are read from the store again), another participant with
 * `params` writing with `clientID` is refused (4422) and the note stays `note`.
 */
async function expectTakeoverRefusedAfterUnload(params: Record<string, string>, clientID: number, note: string): Promise<void> {
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  // Keeps the reloaded room loaded once mallory is closed: alone, it could unload (a 100 ms grace)
  // before the note is read from it on a loaded machine.
  const onlooker = await connect({ user: 'user:onlooker', key: 'onlooker-browser-secret-0123456789' })
  const mallory = await connect(params)
  const own = mallory.doc.clientID
  mallory.doc.clientID = clientID
  const closed = nextClose(mallory.provider)
  setEntry(mallory.doc, 'note', 'written by mallory')
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(getEntry(server.server.rooms.get(room)?.doc, 'note')).toBe(note)
  mallory.doc.clientID = own
  mallory.destroy()
  onlooker.destroy()
}

test('a flood of client ids from many connections and keys pushes out no other participant’s hold [S29]', { timeout: 180_000 }, async () => {
  const aliceDoc = new Y.Doc()
  const alice = await connect(ALICE, aliceDoc)
  setEntry(aliceDoc, 'note', 'online')
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'online', 'the server to have her note')
  await server.server.rooms.get(room)?.whenDurable()
  // Her page goes offline and keeps editing (the page keeps these in IndexedDB).
  alice.provider.destroy()
  setEntry(aliceDoc, 'note', 'offline')

  // Keeps the room loaded during the flood (it would unload between two connections).
  const watcher = await connect({ user: 'user:watcher', key: 'watcher-browser-secret-0123456789' })

  // One key cycling connections: it keeps its newest holds, never more than its cap.
  const cycler = { user: 'user:cycler', key: 'cycler-browser-secret-0123456789' }
  for (let i = 0; i < 3; i++) await floodOnce(cycler)
  const afterCycling = await holdsByParticipant()
  expect([...afterCycling.entries()].filter(([participant]) => participant.startsWith('user:cycler#')).map(([, n]) => n)).toEqual([CLIENT_ID_LIMITS.maxPerParticipant])

  // Many keys, each bringing new ids until the document is full, and past it (a few at a time).
  await floodKeys((n) => `127.0.1.${(n % FLOOD_ADDRESSES) + 1}`)
  watcher.destroy()
  const counts = await holdsByParticipant()
  // Full: the flood's addresses together were allowed more than the document keeps.
  expect(FLOOD_KEYS * CLIENT_ID_LIMITS.maxPerConnection).toBeGreaterThan(CLIENT_ID_LIMITS.maxPerDocument)
  expect(Math.ceil(FLOOD_KEYS / FLOOD_ADDRESSES) * CLIENT_ID_LIMITS.maxPerConnection).toBeLessThanOrEqual(CLIENT_ID_LIMITS.maxPerSource)
  expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(CLIENT_ID_LIMITS.maxPerDocument)
  expect(Math.max(...counts.values())).toBeLessThanOrEqual(CLIENT_ID_LIMITS.maxPerParticipant)
  expect([...counts.keys()].filter((participant) => participant.startsWith('user:alice#'))).toHaveLength(1)

  // Her id is still hers.
  await expectTakeoverRefusedAfterUnload({ user: 'user:mallory', key: 'mallory-browser-secret-0123456789' }, aliceDoc.clientID, 'online')

  // She comes back with the page she kept: its step 2 brings the offline edit under her client id.
  const back = await connect(ALICE, aliceDoc)
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'offline', 'the server to have her offline edit')
  expect(back.provider.wsconnected).toBe(true)
  back.destroy()
})

test('a flood of keys from one address leaves holds for participants connecting from elsewhere [S29]', { timeout: 180_000 }, async () => {
  const watcher = await connect({ user: 'user:watcher', key: 'watcher-browser-secret-0123456789' })
  // More keys than fill the whole document, all from 127.0.0.1.
  await floodKeys()

  // An honest participant from another address writes after the flood, and holds its client id.
  const bob = { user: 'user:bob', key: 'bob-browser-secret-0123456789' }
  const bobDoc = new Y.Doc()
  const bobClient = await connect(bob, bobDoc, '127.0.0.2')
  setEntry(bobDoc, 'note', 'by Bob')
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'by Bob', 'the server to have his note')
  await server.server.rooms.get(room)?.whenDurable()
  const holds = await server.store.loadClientIdHolders(room, new Date(0).toISOString())
  expect(holds.get(bobDoc.clientID)).toBe(`${bob.user}#${participantKeyId(bob.key)}`)
  // The flood holds no more than one address may.
  expect(holds.size - 1).toBeLessThanOrEqual(CLIENT_ID_LIMITS.maxPerSource)
  bobClient.destroy()
  watcher.destroy()

  // A flooder writing with his id is refused.
  await expectTakeoverRefusedAfterUnload({ user: 'user:flood0', key: 'flood-browser-secret-0000-0123456789' }, bobDoc.clientID, 'by Bob')
})

test('a flood of keys that spent its link’s quota from one address leaves holds for a participant with another link behind the same address [S29]', { timeout: 180_000 }, async () => {
  const watcher = await connect({ user: 'user:watcher', key: 'watcher-browser-secret-0123456789' })
  // Enough keys, each bringing as many ids as it may, to spend what one address and link may hold.
  const keys = Math.ceil(CLIENT_ID_LIMITS.maxPerSource / CLIENT_ID_LIMITS.maxPerConnection) + 1
  for (let n = 0; n < keys; n++) await floodOnce({ user: `user:flood${n}`, key: `flood-browser-secret-${String(n).padStart(4, '0')}-0123456789` })
  expect((await server.store.loadClientIdHolders(room, new Date(0).toISOString())).size).toBe(CLIENT_ID_LIMITS.maxPerSource)

  // Another key of the flood's link and address: a new key escapes nothing.
  await floodOnce({ user: 'user:flood-again', key: 'flood-again-browser-secret-0123456789' })
  const spent = await holdsByParticipant()
  expect([...spent.values()].reduce((a, b) => a + b, 0)).toBe(CLIENT_ID_LIMITS.maxPerSource)
  expect([...spent.keys()].filter((participant) => participant.startsWith('user:flood-again#'))).toEqual([])

  // A colleague behind the same address (127.0.0.1), invited with a link of their own, writes and holds their id.
  const carol = { user: 'user:carol', key: 'carol-browser-secret-0123456789', token: await server.mintToken(workshop.id, 'team') }
  const carolDoc = new Y.Doc()
  const carolClient = await connect(carol, carolDoc)
  setEntry(carolDoc, 'note', 'by Carol')
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'note') === 'by Carol', 'the server to have her note')
  await server.server.rooms.get(room)?.whenDurable()
  const holds = await server.store.loadClientIdHolders(room, new Date(0).toISOString())
  expect(holds.get(carolDoc.clientID)).toBe(`${carol.user}#${participantKeyId(carol.key)}`)
  carolClient.destroy()
  watcher.destroy()

  // A flooder writing with her id is refused.
  await expectTakeoverRefusedAfterUnload({ user: 'user:flood0', key: 'flood-browser-secret-0000-0123456789' }, carolDoc.clientID, 'by Carol')
})
