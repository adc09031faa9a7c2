/**
 * docs/server-rules.md [S29]: one outsider cannot deny holds of Yjs client ids to others. Keys are
 * free to mint, so a flood of keys from one address once filled a document's holds
 * (`CLIENT_ID_LIMITS.maxPerDocument`, about 157 keys) and every participant after it held nothing;
 * now one address (IPv6 per /64) takes at most `maxPerSource` holds of a document. Here a flooder
 * cycles more keys than fill the document, each connection bringing the most new ids it may; an
 * honest participant connecting from another address afterwards still gets a hold, and after the
 * room unloaded the flooder writing with that id is refused (4422).
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { CLIENT_ID_LIMITS } from '../../server/sync/ClientIdHolders.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

const BOB = { user: 'user:bob', key: 'bob-browser-secret-0123456789' }
/** The honest participant's address; the flood comes from 127.0.0.1. */
const BOB_ADDRESS = '127.0.0.2'
/** Keys the flood cycles through: more than fill the whole document. */
const FLOOD_KEYS = Math.ceil(CLIENT_ID_LIMITS.maxPerDocument / CLIENT_ID_LIMITS.maxPerParticipant) + 2

let server: TestServer
let workshop: TestWorkshop
let room: string

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  room = `${workshop.id}/actions`
})
afterAll(() => server.close())

function connect(params: Record<string, string>, options: { doc?: Y.Doc; localAddress?: string } = {}): Promise<TestClient> {
  return connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, ...params }, shouldReconnect: () => false, ...options })
}

const roomDoc = () => server.server.rooms.get(room)?.doc
let nextClient = 10_000_000

/** One flood connection of a fresh key: one update written with as many new client ids as a connection may bring. */
async function floodOnce(n: number): Promise<void> {
  const flooder = await connect({ user: `user:flood${n}`, key: `flood-browser-secret-${String(n).padStart(4, '0')}-0123456789` })
  const before = Y.encodeStateVector(flooder.doc)
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(flooder.doc))
  const key = `flood-${n}`
  for (let i = 0; i < CLIENT_ID_LIMITS.maxPerConnection; i++) {
    scratch.clientID = nextClient++
    setEntry(scratch, key, i)
  }
  const last = scratch.clientID
  Y.applyUpdate(flooder.doc, Y.encodeStateAsUpdate(scratch, before))
  scratch.destroy()
  await waitFor(() => Y.getState(roomDoc()?.store ?? new Y.Doc().store, last) > 0, 'the flood update to be applied')
  flooder.destroy()
}

test('a flood of keys from one address leaves holds for participants connecting from elsewhere [S29]', { timeout: 180_000 }, async () => {
  // Keeps the room loaded during the flood (it would unload between two connections).
  const watcher = await connect({ user: 'user:watcher', key: 'watcher-browser-secret-0123456789' })
  for (let k = 0; k < FLOOD_KEYS; k += 8) {
    await Promise.all(Array.from({ length: Math.min(8, FLOOD_KEYS - k) }, (_, i) => floodOnce(k + i)))
  }
  // An honest participant from another address writes after the flood, and holds its client id.
  const bobDoc = new Y.Doc()
  const bob = await connect(BOB, { doc: bobDoc, localAddress: BOB_ADDRESS })
  setEntry(bobDoc, 'note', 'by Bob')
  await waitFor(() => getEntry(roomDoc(), 'note') === 'by Bob', 'the server to have his note')
  await server.server.rooms.get(room)?.whenDurable()
  const holds = await server.store.loadClientIdHolders(room, new Date(0).toISOString())
  expect(holds.get(bobDoc.clientID)).toBe(`${BOB.user}#${participantKeyId(BOB.key)}`)
  // The flood holds no more than one address may.
  expect(holds.size - 1).toBeLessThanOrEqual(CLIENT_ID_LIMITS.maxPerSource)
  bob.destroy()
  watcher.destroy()

  // Once the room unloaded (holds are read from the store again), a flooder writing with his id is refused.
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  const mallory = await connect({ user: 'user:flood0', key: 'flood-browser-secret-0000-0123456789' })
  const own = mallory.doc.clientID
  mallory.doc.clientID = bobDoc.clientID
  const closed = nextClose(mallory.provider)
  setEntry(mallory.doc, 'note', 'by Mallory')
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(getEntry(roomDoc(), 'note')).toBe('by Bob')
  mallory.doc.clientID = own
  mallory.destroy()
})
