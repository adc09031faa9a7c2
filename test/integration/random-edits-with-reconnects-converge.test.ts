import * as prng from 'lib0/prng'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

const SEED = Number(process.env.SEED ?? 20261122)

let server: TestServer
beforeAll(async () => {
  // Small thresholds: compactions happen during the run too.
  server = await startServer({ compactAfterUpdates: 25, roomUnloadGraceMs: 0 })
})
afterAll(() => server.close())

function snapshot(doc: Y.Doc): unknown {
  // Sorted: a map's key order depends on the order updates arrived in, not on its content.
  const map = Object.entries(doc.getMap('test').toJSON()).sort(([a], [b]) => a.localeCompare(b))
  return { map, list: doc.getArray('list').toJSON(), text: doc.getText('text').toString() }
}

test(`random edits with disconnects converge, in memory and in storage (seed ${SEED})`, async () => {
  console.log(`seed ${SEED} (rerun with SEED=${SEED})`)
  const gen = prng.create(SEED)
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/stakeholders`
  const clients: TestClient[] = await Promise.all([0, 1, 2, 3].map(() => connectSynced(server.syncUrl, room)))

  for (let step = 0; step < 400; step++) {
    const client = prng.oneOf(gen, clients)
    const { doc, provider } = client
    const op = prng.int32(gen, 0, 9)
    if (op <= 2) doc.getMap('test').set(`k${prng.int32(gen, 0, 30)}`, step)
    else if (op <= 4) doc.getArray('list').insert(prng.int32(gen, 0, doc.getArray('list').length), [step])
    else if (op === 5 && doc.getArray('list').length > 0) doc.getArray('list').delete(prng.int32(gen, 0, doc.getArray('list').length - 1), 1)
    else if (op === 6) doc.getText('text').insert(prng.int32(gen, 0, doc.getText('text').length), prng.word(gen, 1, 4))
    else if (op === 7 && provider.wsconnected) provider.disconnect()
    else if (op === 8 && !provider.shouldConnect) provider.connect()
    if (prng.bool(gen)) await new Promise((resolve) => setImmediate(resolve))
  }
  for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect()

  const same = () => {
    const [first, ...rest] = clients.map((c) => JSON.stringify(snapshot(c.doc)))
    return rest.every((s) => s === first)
  }
  await waitFor(() => clients.every((c) => c.provider.synced) && same(), 'all clients to converge')
  const expected = snapshot(clients[0]?.doc ?? new Y.Doc())

  for (const client of clients) client.destroy()
  await waitFor(() => server.server.rooms.get(room) === undefined, 'the room to unload')
  const stored = new Y.Doc()
  for (const update of (await server.store.loadDocument(room)).updates) Y.applyUpdate(stored, update)
  expect(snapshot(stored)).toEqual(expected)
})
