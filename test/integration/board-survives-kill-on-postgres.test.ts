import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { WorkshopListSchema } from '../../shared/api.ts'
import { PG_MIGRATIONS } from '../../server/store/postgresSchema.ts'
import { DATABASE_FILE } from '../../server/store/SqliteStore.ts'
import { connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { TEST_ORG_KEY, createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

/** Child servers start through tsx: slow on a loaded 2-core machine. */
const CHILD_SERVERS_TIMEOUT_MS = 180_000

let postgres: PostgresCluster
const dataDirs: string[] = []
const children: ChildServer[] = []
beforeAll(async () => {
  postgres = await startPostgres()
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL')
  await Promise.all(children.map((child) => child.exited))
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
  await postgres?.stop()
})

function dataDir(): string {
  const dir = tempDataDir()
  dataDirs.push(dir)
  return dir
}

async function query(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}

async function start(env: Record<string, string>): Promise<ChildServer> {
  const child = await startChildServer(env)
  children.push(child)
  return child
}

test('on DATABASE_URL two clients sync, the log compacts, and after SIGKILL and a restart the board has everything a peer received [S1] [S5]', async () => {
  // A low threshold, so that the room compacts several times during the burst.
  const env = { DATABASE_URL: await postgres.createDatabase(), DATA_DIR: dataDir(), COMPACT_AFTER_UPDATES: '50' }
  const first = await start(env)
  const workshop = await createWorkshop(first.url)
  const room = `${workshop.id}/swot`
  const observer = await connectSynced(first.syncUrl, room)
  const writers = await Promise.all([0, 1].map(() => connectSynced(first.syncUrl, room)))

  let killed = false
  const bursts = writers.map(async (writer, w) => {
    for (let i = 0; !killed; i++) {
      setEntry(writer.doc, `w${w}-${i}`, i)
      // ~200 updates a second: under the per-connection rate ([S28]).
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })
  // Each writer receives the other's edits through the server, as does the observer.
  await waitFor(
    () => ['w0-', 'w1-'].every((prefix, w) => Object.keys(mapContent(writers[1 - w]?.doc ?? observer.doc)).some((key) => key.startsWith(prefix))),
    'the writers to see each other',
    60_000,
  )
  await waitFor(() => Object.keys(mapContent(observer.doc)).length >= 200, 'the observer to receive a good part of the burst', 60_000)
  // The room compacts during the burst: row 1 (the template) and its successors are merged into
  // a row numbered later.
  const firstSeq = async () => (await query(env.DATABASE_URL, 'SELECT min(seq)::integer AS first FROM doc_updates WHERE doc = $1', [room])).rows[0]?.first
  for (const started = Date.now(); (await firstSeq()) === 1; ) {
    if (Date.now() - started > 60_000) throw new Error('timed out waiting for the room to compact its log')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  first.process.kill('SIGKILL')
  expect((await first.exited).signal).toBe('SIGKILL')
  killed = true
  await Promise.all(bursts)
  const received = mapContent(observer.doc)
  expect(await firstSeq()).toBeGreaterThan(1)
  // Only storage counts: no client may resync its own copy into the new server.
  for (const client of [observer, ...writers]) client.destroy()

  const second = await start(env)
  const fresh = await connectSynced(second.syncUrl, room)
  const recovered = mapContent(fresh.doc)
  expect(Object.keys(received).filter((key) => recovered[key] !== received[key])).toEqual([])
  expect(Object.keys(received).length).toBeGreaterThanOrEqual(200)
  fresh.destroy()
  const list = await fetch(`${second.url}/api/workshops`, { headers: { authorization: `Bearer ${TEST_ORG_KEY}` } })
  expect(WorkshopListSchema.parse(await list.json()).workshops.map((w) => w.id)).toEqual([workshop.id])
  // Everything went to PostgreSQL; DATA_DIR holds only the secrets.
  expect(fs.existsSync(path.join(env.DATA_DIR, DATABASE_FILE))).toBe(false)
  second.process.kill('SIGTERM')
  expect((await second.exited).code).toBe(0)
}, CHILD_SERVERS_TIMEOUT_MS)

test('two server processes starting at once against an empty database migrate it once', async () => {
  const url = await postgres.createDatabase()
  const both = await Promise.all([start({ DATABASE_URL: url, DATA_DIR: dataDir() }), start({ DATABASE_URL: url, DATA_DIR: dataDir() })])
  const { rows } = await query(url, 'SELECT count(*)::integer AS migrations, count(DISTINCT xmin::text)::integer AS transactions FROM schema_migrations')
  expect(rows[0]).toEqual({ migrations: PG_MIGRATIONS.length, transactions: 1 })
  for (const child of both) {
    expect((await fetch(`${child.url}/api/health`)).status).toBe(200)
    child.process.kill('SIGTERM')
    expect((await child.exited).code).toBe(0)
  }
}, CHILD_SERVERS_TIMEOUT_MS)

test('a database that cannot be opened stops the server with exit 1 and a message without the password', async () => {
  const url = new URL(postgres.url('no_such_database'))
  url.password = 'hunter2-secret'
  const failed = start({ DATABASE_URL: url.toString(), DATA_DIR: dataDir() })
  await expect(failed).rejects.toThrow(/exited \(1\)[\s\S]*Cannot open the PostgreSQL store[\s\S]*no_such_database/)
  await expect(failed).rejects.not.toThrow(/hunter2/)
})
