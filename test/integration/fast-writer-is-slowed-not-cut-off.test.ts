import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { startServer, testConfig, type TestServer } from '../helpers/startServer.ts'
import { entries, setEntry } from '../helpers/testEntries.ts'

/** Updates per second a connection may send ([S28]); low, so that a plain loop exceeds it. */
const RATE = 20
const WRITES = 3 * 2 * RATE

let server: TestServer
beforeAll(async () => {
  server = await startServer({ rates: { ...testConfig().rates, updates: RATE } })
})
afterAll(() => server.close())

test('a stock provider writing faster than its update rate is slowed, not closed, and every write arrives [S28]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/actions`
  const writer = await connectSynced(server.syncUrl, room)
  const reader = await connectSynced(server.syncUrl, room)
  const closes: number[] = []
  writer.provider.on('connection-close', (event) => closes.push(event?.code ?? -1))

  // Three bursts' worth, one transaction (one update message) each, as fast as the provider sends
  // them. The stock y-websocket provider never reconnects after a close in 4400–4499, so a 4429
  // here would leave these writes on the writer for good.
  for (let i = 0; i < WRITES; i++) setEntry(writer.doc, `k${i}`, i)

  await waitFor(() => Object.keys(entries(reader.doc)).length === WRITES, 'every write to reach the other client', 30_000)
  expect(closes).toEqual([])
  expect(entries(reader.doc)).toEqual(Object.fromEntries(Array.from({ length: WRITES }, (_, i) => [`k${i}`, i])))
  writer.destroy()
  reader.destroy()
})
