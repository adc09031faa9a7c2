/**
 * Hostile but valid Yjs updates, hand-made and sent over raw websockets (docs/server-rules.md
 * [S26]–[S31], issue 11): each closes only its sender with a named code; the honest peer stays
 * connected, unchanged and able to edit; `/api/health` and another workshop keep answering; and
 * nothing of it is stored (checked after a restart on the same data dir).
 */
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/docLayout.ts'
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { awarenessFrame, connectSynced, rawClient, syncFrame, updateFrame, waitFor, type RawClient, type TestClient } from '../helpers/clients.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { entries, getEntry, setEntry } from '../helpers/testEntries.ts'

let server: TestServer
let workshop: TestWorkshop
let other: TestWorkshop
let room: string
let peer: TestClient
let edits = 0

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  other = await server.createWorkshop({ account: 'Other Corp', title: 'Elsewhere' })
  room = `${workshop.id}/actions`
  peer = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:honest-peer' } })
  setEntry(peer.doc, 'card', 'before the attacks')
  await serverHas('card', 'before the attacks')
})
afterAll(async () => {
  peer.destroy()
  await server.close()
})

async function serverHas(key: string, value: unknown): Promise<void> {
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, key) === value, `the server to have ${key}`)
}

/** The room's doc as the server has it now (a copy to build hostile updates against). */
function serverCopy(clientID?: number): Y.Doc {
  const live = server.server.rooms.get(room)?.doc
  if (!live) throw new Error('room not loaded')
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live))
  // Set after applying: Yjs gives a doc a new client id when a remote update carries its own.
  if (clientID !== undefined) doc.clientID = clientID
  return doc
}

/** What `change` emits on a copy of the server's doc. */
function updateOf(change: (doc: Y.Doc) => void, clientID?: number): Uint8Array {
  const doc = serverCopy(clientID)
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  change(doc)
  return Y.mergeUpdates(updates)
}

async function joined(params = ''): Promise<RawClient> {
  const raw = rawClient(`${server.syncUrl}/${room}${params}`)
  await raw.opened
  // The server's step 1 arrives once the room is loaded and this connection joined it.
  await waitFor(() => raw.received.length > 0, 'the server step 1')
  return raw
}

/**
 * Sends `frames` from fresh raw connections (one list per connection) and checks that each is
 * closed with `code`, and that nothing else noticed.
 */
async function expectRefused(code: number, ...perConnection: Uint8Array[][]): Promise<void> {
  const before = entries(server.server.rooms.get(room)?.doc)
  const peerBefore = entries(peer.doc)
  const raws = await Promise.all(perConnection.map(() => joined()))
  perConnection.forEach((frames, i) => {
    for (const frame of frames) raws[i]?.send(frame)
  })
  for (const raw of raws) expect((await raw.closed).code).toBe(code)
  await expectUnharmed(before, peerBefore)
}

async function expectUnharmed(before: Record<string, unknown>, peerBefore: Record<string, unknown>): Promise<void> {
  // The peer is connected, unchanged, and its edits still go through.
  expect(peer.provider.wsconnected).toBe(true)
  expect(entries(peer.doc)).toEqual(peerBefore)
  expect(entries(server.server.rooms.get(room)?.doc)).toEqual(before)
  const key = `edit-${++edits}`
  setEntry(peer.doc, key, edits)
  await serverHas(key, edits)
  // The process and other workshops are fine.
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  expect((await workshopFetch(`${server.url}/api/workshops/${other.id}`)).status).toBe(200)
  const elsewhere = await connectSynced(server.syncUrl, `${other.id}/swot`)
  elsewhere.destroy()
}

/** A hand-made V1 update: `count` items of `client` from clock 0, each built by `item`, then an empty delete set. */
function handMade(client: number, count: number, item: (encoder: Y.UpdateEncoderV1, i: number) => void): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, 1)
  encoding.writeVarUint(encoder.restEncoder, count)
  encoder.writeClient(client)
  encoding.writeVarUint(encoder.restEncoder, 0)
  for (let i = 0; i < count; i++) item(encoder, i)
  encoding.writeVarUint(encoder.restEncoder, 0)
  return encoder.toUint8Array()
}

/** Info byte of an item with an origin and ContentAny (content ref 8). */
const WITH_ORIGIN_ANY = 0b1000_1000

test('two 68 KiB updates inserting at the front with client ids 1 and 2 (O(N²)) are refused [S27]', async () => {
  const front = (clientID: number) =>
    updateOf((doc) => {
      const log = doc.getArray(DOC_KEYS.records)
      for (let i = 0; i < 1500; i++) log.insert(0, [['shape:front', 'x', 'y'.repeat(30)]])
    }, clientID)
  const [one, two] = [front(1), front(2)]
  expect(one.byteLength).toBeGreaterThan(60 * 1024)
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(one)], [updateFrame(two)])
})

test('appends that all hang off the first item (origin first, right origin null) are refused by their cost [S27]', async () => {
  const first = (server.server.rooms.get(room)?.doc.getArray(DOC_KEYS.records)._start as Y.Item | null)?.id // the template has records
  if (!first) throw new Error('no first item')
  const update = handMade(77, 2000, (encoder, i) => {
    encoder.writeInfo(WITH_ORIGIN_ANY)
    encoder.writeLeftID(first)
    encoding.writeVarUint(encoder.restEncoder, 1)
    encoder.writeAny(['shape:spam', 'x', i])
  })
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(update)])
})

test('four 15 MiB updates are refused by the per-update cap [S28]', async () => {
  const big = updateOf((doc) => doc.getArray(DOC_KEYS.records).push([['shape:big', '', { text: 'x'.repeat(15 * 1024 * 1024) }]]))
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(big)], [updateFrame(big)], [updateFrame(big)], [updateFrame(big)])
})

test('an update with pending structs (its predecessor is missing) is refused [S27]', async () => {
  const doc = serverCopy(4242)
  setEntry(doc, 'first', 1)
  const sv = Y.encodeStateVector(doc)
  setEntry(doc, 'second', 2)
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(Y.encodeStateAsUpdate(doc, sv))])
})

test('a 1.2 MiB update deleting ranges of 200,000 unknown clients is refused [S27] [S28]', async () => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 200_000)
  for (let client = 1; client <= 200_000; client++) {
    encoding.writeVarUint(encoder, 1_000_000 + client)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, 1)
  }
  const update = encoding.toUint8Array(encoder)
  expect(update.byteLength).toBeGreaterThan(1024 * 1024)
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(update)])
  // A few unknown clients, under every cap, are refused too: the delete set would stay pending.
  const small = encoding.createEncoder()
  encoding.writeVarUint(small, 0)
  encoding.writeVarUint(small, 1)
  encoding.writeVarUint(small, 999_999)
  encoding.writeVarUint(small, 1)
  encoding.writeVarUint(small, 0)
  encoding.writeVarUint(small, 5)
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(encoding.toUint8Array(small))])
})

test('the 20-byte update whose origin is a later clock of its own client closes only its sender [S27]', async () => {
  const update = handMade(99, 1, (encoder) => {
    encoder.writeInfo(WITH_ORIGIN_ANY)
    encoder.writeLeftID(Y.createID(99, 5))
    encoding.writeVarUint(encoder.restEncoder, 1)
    encoder.writeAny(['shape:x', '', 1])
  })
  expect(update.byteLength).toBeLessThanOrEqual(24)
  // Before the guard, this threw in applyUpdate and the room closed every peer with 1013.
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(update)])
})

test('a root type outside the board layout is refused [S26]', async () => {
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(updateOf((doc) => doc.getText('notes').insert(0, 'hello')))])
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(updateOf((doc) => doc.getMap(DOC_KEYS.meta).set('other', 1)))])
})

test('a nested Y type in the record log is refused [S26]', async () => {
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(updateOf((doc) => doc.getArray(DOC_KEYS.records).push([new Y.Map()])))])
})

test('an insert in the middle of the record log is refused [S27]', async () => {
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(updateOf((doc) => doc.getArray(DOC_KEYS.records).insert(1, [['shape:mid', 'x', 1]])))])
})

test("a viewer's flood of sync step 1 is cut off with 4429; the team still edits [S30]", async () => {
  const before = entries(server.server.rooms.get(room)?.doc)
  const peerBefore = entries(peer.doc)
  const viewer = rawClient(`${server.syncUrl}/${room}?token=${workshop.tokens.viewer}`)
  await viewer.opened
  await waitFor(() => viewer.received.length > 0, 'the server step 1')
  const stateVector = Y.encodeStateVector(new Y.Doc())
  for (let i = 0; i < 200; i++) viewer.send(syncFrame(SYNC_MESSAGE_TYPE.step1, stateVector))
  expect((await viewer.closed).code).toBe(CLOSE_CODES.rateLimited)
  // At most its burst was answered, not 200 full documents.
  expect(viewer.received.length).toBeLessThan(10)
  await expectUnharmed(before, peerBefore)
})

test('a flood of 60 KiB awareness updates is cut off with 4429 [S31]', async () => {
  const before = entries(server.server.rooms.get(room)?.doc)
  const peerBefore = entries(peer.doc)
  const raw = await joined()
  const awareness = new awarenessProtocol.Awareness(new Y.Doc())
  const frames: Uint8Array[] = []
  for (let i = 0; i < 20; i++) {
    awareness.setLocalState({ junk: `${i}${'z'.repeat(60 * 1024)}` })
    frames.push(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])))
  }
  for (const frame of frames) raw.send(frame)
  expect((await raw.closed).code).toBe(CLOSE_CODES.rateLimited)
  await expectUnharmed(before, peerBefore)
})

test("awareness for another connection's client id is refused and not applied [S29]", async () => {
  peer.provider.awareness.setLocalStateField('presence', { userName: 'Honest' })
  const peerId = peer.doc.clientID
  await waitFor(() => server.server.rooms.get(room)?.awareness.getStates().get(peerId)?.presence?.userName === 'Honest', 'the peer presence')
  const spoofer = new awarenessProtocol.Awareness(new Y.Doc())
  spoofer.clientID = peerId
  // A clock ahead of the peer's, so that it would win.
  for (let i = 0; i < 50; i++) spoofer.setLocalState({ presence: { userName: 'Spoofed' } })
  await expectRefused(CLOSE_CODES.updateRefused, [awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(spoofer, [peerId]))])
  expect(server.server.rooms.get(room)?.awareness.getStates().get(peerId)?.presence?.userName).toBe('Honest')
})

test('updates with a client id that another live connection owns are refused; the same participant reconnecting may use it [S29]', async () => {
  // The peer has written with its client id: an update from elsewhere continuing it is refused.
  const forged = updateOf((doc) => setEntry(doc, 'forged', 'by someone else'), peer.doc.clientID)
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(forged)])

  // A participant's new connection (same user id; the old one not yet timed out) takes its client id over.
  const first = rawClient(`${server.syncUrl}/${room}?user=user:returning`)
  await first.opened
  await waitFor(() => first.received.length > 0, 'the server step 1')
  first.send(updateFrame(updateOf((doc) => setEntry(doc, 'returning', 'first connection'), 5555)))
  await serverHas('returning', 'first connection')
  const again = rawClient(`${server.syncUrl}/${room}?user=user:returning`)
  await again.opened
  await waitFor(() => again.received.length > 0, 'the server step 1')
  again.send(updateFrame(updateOf((doc) => setEntry(doc, 'returning', 'second connection'), 5555)))
  await serverHas('returning', 'second connection')
  await waitFor(() => getEntry(peer.doc, 'returning') === 'second connection', 'the peer to get it')
  // Someone else may not, though the client id's first holder is still connected.
  await expectRefused(CLOSE_CODES.updateRefused, [updateFrame(updateOf((doc) => setEntry(doc, 'returning', 'forged'), 5555))])
  first.ws.close()
  again.ws.close()
})

test("a participant's client id is not taken with its public user id, nor once it left, without its key [S29]", async () => {
  const key = 'k'.repeat(20) + 'Alice-secret-key'
  const write = async (params: string, value: string) => {
    const raw = await joined(params)
    raw.send(updateFrame(updateOf((doc) => setEntry(doc, 'keyed', value), 6666)))
    return raw
  }
  const alice = await write(`?user=user:alice&key=${key}`, 'alice')
  await serverHas('keyed', 'alice')
  // The user id is in everyone's presence; the key never leaves Alice's browser.
  for (const params of ['?user=user:alice', `?user=user:alice&key=${'x'.repeat(36)}`]) {
    const thief = await write(params, 'stolen')
    expect((await thief.closed).code).toBe(CLOSE_CODES.updateRefused)
  }
  // Alice left: her client id is still hers (her offline edits will continue it).
  alice.ws.close()
  await alice.closed
  const late = await write('?user=user:mallory', 'stolen')
  expect((await late.closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(getEntry(server.server.rooms.get(room)?.doc, 'keyed')).toBe('alice')
  const back = await write(`?user=user:alice&key=${key}`, 'alice again')
  await serverHas('keyed', 'alice again')
  back.ws.close()
})

test('after a restart on the same data dir, storage holds exactly what the honest peer has [S26]', async () => {
  const live = server.server.rooms.get(room)
  await live?.whenDurable()
  // The relay leaves the server with the change; the peer reads it in a later turn (a change
  // relayed just before this test started was not always there yet).
  await waitFor(
    () => live === undefined || Buffer.compare(Y.encodeStateVector(peer.doc), Y.encodeStateVector(live.doc)) === 0,
    'the peer to hold what the server relayed',
  )
  const expected = entries(peer.doc)
  peer.destroy()
  await server.stop()
  const restarted = await startServer({ dataDir: server.dataDir })
  try {
    const stored = new Y.Doc()
    for (const update of (await restarted.store.loadDocument(room)).updates) Y.applyUpdate(stored, update)
    expect(entries(stored)).toEqual(expected)
    expect([...stored.share.keys()].sort()).toEqual([DOC_KEYS.meta, DOC_KEYS.records].sort())
    const bytes = Buffer.from(Y.encodeStateAsUpdate(stored)).toString('latin1')
    for (const key of ['front', 'spam', 'big', 'test-first', 'test-second', 'mid', 'test-forged']) expect(bytes).not.toContain(`shape:${key}`)
    expect(stored.store.pendingStructs).toBeNull()
    expect(stored.store.pendingDs).toBeNull()
  } finally {
    await restarted.close()
  }
})
