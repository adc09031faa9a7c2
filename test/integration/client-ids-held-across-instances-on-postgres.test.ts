/**
 * [S29] Two instances on one PostgreSQL database share who holds each Yjs client id: a participant
 * writing on one instance holds its client id on the other too, although the other loaded the board
 * before (it asks the store about an id it has not seen, once). Another participant writing with
 * that id there is refused (4422); the participant itself, moving there with its offline edits, is
 * accepted.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { createServer, type KeyplanServer } from '../../server/app.ts'
import { createLogger } from '../../server/log.ts'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { createWorkshop, tempDataDir, testConfig, type TestWorkshop } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

const ALICE_KEY = 'alice-browser-secret-0123456789'

let postgres: PostgresCluster
let dataDir: string
const stores: PostgresStore[] = []
const servers: KeyplanServer[] = []
const clients: TestClient[] = []

beforeAll(async () => {
  postgres = await startPostgres()
  const url = await postgres.createDatabase()
  // One DATA_DIR: the instances share its secrets, so the workshop's links work on both.
  dataDir = tempDataDir()
  for (let i = 0; i < 2; i++) {
    const store = await PostgresStore.open(url)
    stores.push(store)
    const config = testConfig({ dataDir, clusterPollMs: 50 })
    servers.push(await createServer(config, store, { log: createLogger(config.logLevel) }))
  }
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.close()
  for (const store of stores) await store.close()
  await postgres?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const syncUrl = (server: KeyplanServer | undefined) => `${server?.url.replace(/^http/, 'ws')}/sync`

async function connect(server: KeyplanServer | undefined, workshop: TestWorkshop, params: Record<string, string>, doc?: Y.Doc): Promise<TestClient> {
  const client = await connectSynced(syncUrl(server), `${workshop.id}/actions`, {
    params: { token: workshop.tokens.team, ...params },
    shouldReconnect: () => false,
    ...(doc ? { doc } : {}),
  })
  clients.push(client)
  return client
}

test("a client id held on one instance is refused to another participant on the other, and accepted from its holder there [S29]", async () => {
  const [a, b] = servers
  const workshop = await createWorkshop(a?.url ?? '')
  const room = `${workshop.id}/actions`
  // B has the board loaded before Alice writes on A, and keeps it loaded once Mallory is closed
  // (an empty room unloads after 100 ms here, sooner than a busy machine reaches the check below).
  await connect(b, workshop, { user: 'user:grace' })
  const mallory = await connect(b, workshop, { user: 'user:mallory', key: 'mallory-browser-secret-0123456789' })

  const aliceDoc = new Y.Doc()
  const alice = await connect(a, workshop, { user: 'user:alice', key: ALICE_KEY }, aliceDoc)
  setEntry(aliceDoc, 'note', 'online')
  await waitFor(() => getEntry(mallory.doc, 'note') === 'online', 'B to relay her note', 30_000)
  alice.provider.destroy()
  setEntry(aliceDoc, 'note', 'offline')

  // On B, Mallory continues Alice's client id.
  const own = mallory.doc.clientID
  mallory.doc.clientID = aliceDoc.clientID
  const closed = nextClose(mallory.provider)
  setEntry(mallory.doc, 'note', 'by Mallory')
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  // The provider's awareness still speaks for the doc's first id.
  mallory.doc.clientID = own
  expect(getEntry(b?.rooms.get(room)?.doc, 'note')).toBe('online')

  // Alice's page moves to B and brings her offline edit.
  const observer = await connect(a, workshop, { user: 'user:tom' })
  await connect(b, workshop, { user: 'user:alice', key: ALICE_KEY }, aliceDoc)
  await waitFor(() => getEntry(b?.rooms.get(room)?.doc, 'note') === 'offline', 'B to take her offline edit')
  await waitFor(() => getEntry(observer.doc, 'note') === 'offline', 'A to relay it', 30_000)
})
