import * as prng from 'lib0/prng'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { deleteEntry, setEntry, entries } from '../helpers/testEntries.ts'

const SEED = Number(process.env.SEED ?? 20261122)

let server: TestServer
beforeAll(async () => {
  // Small thresholds: compactions happen during the run too.
  server = await startServer({ compactAfterUpdates: 25, roomUnloadGraceMs: 0 })
})
afterAll(() => server.close())

function snapshot(doc: Y.Doc): unknown {
  // Sorted: a map's key order depends on the order updates arrived in, not on its content.
  const map = Object.entries(entries(doc)).sort(([a], [b]) => a.localeCompare(b))
  return { map }
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
    if (op <= 2) setEntry(doc, `k${prng.int32(gen, 0, 30)}`, step)
    else if (op <= 4) setEntry(doc, `n${step}`, { step, word: prng.word(gen, 1, 4) })
    else if (op === 5 && Object.keys(entries(doc)).length > 0) deleteEntry(doc, prng.oneOf(gen, Object.keys(entries(doc))))
    else if (op === 6) setEntry(doc, 'text', prng.word(gen, 1, 4))
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
