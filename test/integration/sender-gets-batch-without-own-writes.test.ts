import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { readBalanceMarker } from '../../server/sync/rebalanceParts.ts'
import type { DocumentUpdate } from '../../server/store/Store.ts'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { internalRoomName } from '../../shared/sensitivity.ts'
import { rawClient, updateFrame, waitFor, type RawClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, entries } from '../helpers/testEntries.ts'

/** A SqliteStore whose appends wait while the gate is closed (a slow disk). */
class GatedStore extends SqliteStore {
  private gate: Promise<void> | undefined
  private openGate: () => void = () => {}
  appends = 0
  shut(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve))
  }
  open(): void {
    this.openGate()
    this.gate = undefined
  }
  override async appendUpdates(updates: readonly DocumentUpdate[]): Promise<number[]> {
    this.appends++
    await this.gate
    return super.appendUpdates(updates)
  }
}

let server: TestServer & { store: GatedStore }
beforeAll(async () => {
  server = await startServer({}, {}, (config) => new GatedStore(config.dataDir))
})
afterAll(() => server.close())

/** The updates relayed to `client` so far. */
function relayed(client: RawClient): Uint8Array[] {
  const updates: Uint8Array[] = []
  for (const frame of client.received) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.sync) continue
    if (decoding.readVarUint(decoder) !== SYNC_MESSAGE_TYPE.update) continue
    updates.push(decoding.readVarUint8Array(decoder))
  }
  return updates
}

/** The Yjs client ids whose structs `updates` carry. */
function writers(updates: Uint8Array[]): Set<number> {
  return new Set(updates.flatMap((u) => Y.decodeUpdate(u).structs.map((s) => s.id.client)))
}

/** A local doc whose changes are sent by `client`, one frame per change. */
function writer(client: RawClient): Y.Doc {
  const doc = new Y.Doc()
  doc.on('update', (update: Uint8Array) => client.send(updateFrame(update)))
  return doc
}

test('a peer that wrote part of a batch gets the batch without its own writes; everyone else gets all of it [S4]', async () => {
  const { store } = server
  const workshop = await server.createWorkshop()
  const url = `${server.syncUrl}/${workshop.id}/actions`
  const [a, b, observer] = [rawClient(url), rawClient(url), rawClient(url)] as [RawClient, RawClient, RawClient]
  await Promise.all([a.opened, b.opened, observer.opened])
  await waitFor(() => [a, b, observer].every((c) => c.received.length > 0), 'all three to join')
  const docA = writer(a)
  const docB = writer(b)

  // The board's load is over, with what it stores itself ([S37]: the internal document's marker).
  const internal = () => server.server.rooms.get(internalRoomName(workshop.id, 'actions'))
  await waitFor(() => readBalanceMarker(internal()?.doc ?? new Y.Doc()) !== undefined, 'the board to be marked balanced')
  await internal()?.whenDurable()
  const before = store.appends

  // A's first change is being written (slowly); A's second and B's arrive meanwhile and are
  // applied together, as one batch of two senders, once the first write is done.
  store.shut()
  setEntry(docA, 'a1', 'first')
  await waitFor(() => store.appends === before + 1, 'the first write to start')
  setEntry(docA, 'a2', 'second')
  setEntry(docB, 'b1', 'from b')
  await waitFor(() => server.server.rooms.get(`${workshop.id}/actions`)?.stats().unflushed === 3, 'both to arrive')
  // [S4] Every relayed frame, a writer's cut of the batch included, is built whole by the room and
  // written to the peer's socket as it is: `ws` frames none of them again.
  let framedByWs = 0
  for (const conn of server.server.rooms.get(`${workshop.id}/actions`)?.connections ?? []) {
    const socket = (conn as unknown as { ws: { send: (...args: unknown[]) => void } }).ws // private; counted, then passed on
    const send = socket.send.bind(socket)
    socket.send = (...args: unknown[]) => {
      framedByWs++
      send(...args)
    }
  }
  store.open()
  await waitFor(() => relayed(observer).length === 2, 'both relays to reach the observer')
  await waitFor(() => relayed(a).length === 1 && relayed(b).length === 2, 'the writers to get theirs')

  // The batch was one relay each (A got nothing of the first write, which was its own alone).
  expect(store.appends).toBe(before + 2)
  expect(framedByWs).toBe(0)
  // No writer got back what it wrote; each got everything the other wrote.
  expect(writers(relayed(a))).toEqual(new Set([docB.clientID]))
  expect(writers(relayed(b))).toEqual(new Set([docA.clientID]))
  expect(writers(relayed(observer))).toEqual(new Set([docA.clientID, docB.clientID]))
  for (const update of relayed(a)) Y.applyUpdate(docA, update)
  for (const update of relayed(b)) Y.applyUpdate(docB, update)
  const whole = new Y.Doc()
  for (const update of relayed(observer)) Y.applyUpdate(whole, update)
  const expected = { a1: 'first', a2: 'second', b1: 'from b' }
  expect(entries(docA)).toEqual(expected)
  expect(entries(docB)).toEqual(expected)
  expect(entries(whole)).toEqual(expected)
  for (const client of [a, b, observer]) client.ws.close()
})
