/**
 * [S1] [S5] [S34] Two server processes on one PostgreSQL database without Redis, a client on each
 * writing the same board, as behind a load balancer: each room applies the other's rows as it
 * reads them from the log (polling) and compacts often, under the board's lease ([S35]). Neither
 * room's compaction may delete the other's rows: both observers get every edit, and a third server
 * loading the board has every edit either peer received.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

/** Child servers start through tsx: slow on a loaded 2-core machine. */
const CHILD_SERVERS_TIMEOUT_MS = 180_000
const EDITS_PER_SERVER = 60

let postgres: PostgresCluster
let dataDir: string
const children: ChildServer[] = []
beforeAll(async () => {
  postgres = await startPostgres()
  dataDir = tempDataDir()
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL')
  await Promise.all(children.map((child) => child.exited))
  fs.rmSync(dataDir, { recursive: true, force: true })
  await postgres?.stop()
})

async function start(env: Record<string, string>): Promise<ChildServer> {
  const child = await startChildServer(env)
  children.push(child)
  return child
}

test('two servers writing one board through their own rooms: after both stop, a third has every edit [S1] [S5]', async () => {
  // One DATA_DIR: the servers share its secrets (the workshop's links work on both), the board is in PostgreSQL.
  const env = { DATABASE_URL: await postgres.createDatabase(), DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '5' }
  const first = await start(env)
  const second = await start(env)
  const workshop = await createWorkshop(first.url)
  const room = `${workshop.id}/swot`
  const servers = [first, second]
  const writers = await Promise.all(servers.map((server) => connectSynced(server.syncUrl, room)))
  const observers = await Promise.all(servers.map((server) => connectSynced(server.syncUrl, room)))

  // Interleaved, so that each room's rows lie between the other's.
  for (let i = 0; i < EDITS_PER_SERVER; i++) {
    for (const [s, writer] of writers.entries()) {
      setEntry(writer.doc, `s${s}-${i}`, i)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  }
  // A room relays an edit only once it is stored ([S1]): what each observer received is durable.
  for (const [s, observer] of observers.entries()) {
    await waitFor(() => Object.keys(mapContent(observer.doc)).length === 2 * EDITS_PER_SERVER, `server ${s}'s observer to receive both writers' edits`, 60_000)
  }
  const received: Record<string, unknown> = Object.assign({}, ...observers.map((observer) => mapContent(observer.doc)))
  expect(Object.keys(received)).toHaveLength(2 * EDITS_PER_SERVER)
  for (const client of [...writers, ...observers]) client.destroy()
  // Graceful stops: each room unloads and compacts once more.
  for (const server of servers) {
    server.process.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
  }

  const third = await start(env)
  const fresh = await connectSynced(third.syncUrl, room)
  const recovered = mapContent(fresh.doc)
  expect(Object.keys(received).filter((key) => recovered[key] !== received[key])).toEqual([])
  fresh.destroy()
  third.process.kill('SIGTERM')
  expect((await third.exited).code).toBe(0)
}, CHILD_SERVERS_TIMEOUT_MS)
