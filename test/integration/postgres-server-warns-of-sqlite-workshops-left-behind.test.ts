/**
 * Moving a single instance to PostgreSQL (deploy/README.md step 3): nothing copies the SQLite
 * store's workshops into PostgreSQL, so a server started with `DATABASE_URL` on a data dir whose
 * `keyplan.sqlite` holds workshops says so on stderr and in its log, naming how many (QA q35b: an
 * operator following the guide saw every plan vanish without a word, every old link "not found").
 * A data dir without workshops gets no such line.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { waitFor } from '../helpers/clients.ts'
import { ensureBuilt, killGroup, spawnBundledServer, type Spawned } from '../helpers/spawnedServer.ts'
import { startServer, tempDataDir } from '../helpers/startServer.ts'

let postgres: PostgresCluster
let running: Spawned | undefined

beforeAll(async () => {
  await ensureBuilt()
  postgres = await startPostgres()
}, POSTGRES_START_TIMEOUT_MS + 300_000)
afterEach(() => {
  killGroup(running)
  running = undefined
})
afterAll(async () => {
  await postgres?.stop()
})

const left = /keyplan: .*keyplan\.sqlite holds (\d+) workshop\(s\) this server does not serve: it uses PostgreSQL/

test('a data dir whose SQLite store holds workshops: one line on stderr, and a warning in the log', async () => {
  const dataDir = tempDataDir()
  const single = await startServer({ dataDir })
  await single.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  await single.createWorkshop({ account: 'Contoso', title: 'FY27 plan' })
  await single.stop() // the data dir stays

  running = spawnBundledServer({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: await postgres.createDatabase(), LOG_LEVEL: 'info' })
  await running.listening
  const spawned = running
  // stderr is a pipe of its own: read until the line is in.
  await waitFor(() => left.test(spawned.stderr()), 'the warning on stderr')
  expect(left.exec(running.stderr())?.[1]).toBe('2')
  const logged = /"workshops":2.*"msg":"store\.sqlite_left_behind"|"msg":"store\.sqlite_left_behind".*"workshops":2/
  await waitFor(() => logged.test(spawned.stdout() + spawned.stderr()), 'the warning in the log')
})

test('a fresh data dir: no such line', async () => {
  running = spawnBundledServer({ PORT: '0', DATA_DIR: tempDataDir(), DATABASE_URL: await postgres.createDatabase(), LOG_LEVEL: 'info' })
  await running.listening
  expect(running.stderr()).not.toMatch(left)
})
