/**
 * docs/server-rules.md [S28]: a writer over its update rate is slowed, its frames held while the
 * socket is paused. A writer that leaves while frames are held loses none of them: frames that
 * arrived before the close are judged like any update (every per-update bound holds) and stored,
 * in order; only the rate wait is waived.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { startServer, testConfig, type TestServer } from '../helpers/startServer.ts'
import { entries, setEntry } from '../helpers/testEntries.ts'

/** Updates per second a connection may send; low, so that a plain loop is held for seconds. */
const RATE = 20
const WRITES = 5 * 2 * RATE

let server: TestServer
beforeAll(async () => {
  server = await startServer({ rates: { ...testConfig().rates, updates: RATE } })
})
afterAll(() => server.close())

const expected = Object.fromEntries(Array.from({ length: WRITES }, (_, i) => [`k${i}`, i]))

test('a fast writer that leaves while its frames are held loses none of them: a reader and a restart see every write [S28]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const writer = await connectSynced(server.syncUrl, room)
  const reader = await connectSynced(server.syncUrl, room)

  // Five bursts' worth, one update message each, then the writer leaves at once: the server has
  // read them all with the close, and holds all but the first burst when the socket closes.
  for (let i = 0; i < WRITES; i++) setEntry(writer.doc, `k${i}`, i)
  writer.destroy()

  await waitFor(() => Object.keys(entries(reader.doc)).length === WRITES, 'every write to reach the reader', 30_000)
  expect(entries(reader.doc)).toEqual(expected)
  reader.destroy()

  // Stored, not only relayed: a server started on the same data has them all.
  await server.stop()
  const restarted = await startServer({ dataDir: server.dataDir })
  try {
    const late = await connectSynced(restarted.syncUrl, room, { params: { token: workshop.tokens.team } })
    expect(entries(late.doc)).toEqual(expected)
    late.destroy()
  } finally {
    await restarted.stop()
  }
})
