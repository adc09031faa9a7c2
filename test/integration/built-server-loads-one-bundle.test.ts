/**
 * The server `npm start` runs is one bundle (scripts/serverBundle.mjs): Node's ESM loader keeps
 * records for every module file it loads, for the process's life, and a package imported whole
 * brings all its files (docs/sync-server-targets.md, Memory, fourteenth session). Each test runs
 * the built server on plain Node with a loader hook that lists the module files it loads.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, expect, test } from 'vitest'
import { serverEntry } from '../../scripts/serverBuild.mjs'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { ensureServerBuilt } from '../helpers/buildClient.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { startPostgres, POSTGRES_START_TIMEOUT_MS, type PostgresCluster } from '../helpers/postgres.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'
import { ROOT, killGroup, spawnServer, type Spawned } from '../helpers/spawnedServer.ts'
import { TEST_ORG_KEY, createWorkshop, tempDataDir, workshopFetch } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

// Built under the hook's longer timeout (a fresh clone's first build on a loaded machine can
// outlast a test's).
beforeAll(() => ensureServerBuilt(), 300_000)

let running: Spawned | undefined
let postgres: PostgresCluster | undefined
let redis: RedisServer | undefined
afterEach(async () => {
  killGroup(running)
  running = undefined
  await postgres?.stop()
  postgres = undefined
  await redis?.stop()
  redis = undefined
})

const RECORDER = join(ROOT, 'test', 'helpers', 'recordModuleLoads.mjs')
const BUILT = join(ROOT, 'dist', 'node', 'server')

/** Starts the built server with the loader hook; returns its URL and a reader of the files it loaded so far. */
async function startBuilt(env: Record<string, string>) {
  const log = join(tempDataDir(), 'modules.log')
  running = spawnServer(process.execPath, ['--import', RECORDER, serverEntry], {
    PORT: '0',
    DATA_DIR: tempDataDir(),
    LOG_LEVEL: 'warn',
    KEYPLAN_ORG_KEY: TEST_ORG_KEY,
    MODULE_LOG: log,
    ...env,
  })
  const url = await running.listening
  const loaded = () => readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('file:')).map((line) => relative(ROOT, fileURLToPath(line)))
  return { url, loaded }
}

/** The packages (node_modules/<name>) among `files`. */
const packagesOf = (files: string[]) => [...new Set(files.filter((file) => file.startsWith('node_modules/')).map((file) => file.split('/')[1]))].sort()
const lazyChunks = (files: string[]) => files.filter((file) => /\/(PostgresStore|RedisLink|planPdf)-[^/]*\.js$/.test(file)).map((file) => /\/([A-Za-z]+)-[^/]*$/.exec(file)?.[1]).sort()

/** Two clients on one board: what one writes, the other receives. */
async function syncRoundTrip(url: string, workshopId: string): Promise<void> {
  const syncUrl = `${url.replace(/^http/, 'ws')}/sync`
  const writer = await connectSynced(syncUrl, `${workshopId}/swot`)
  const reader = await connectSynced(syncUrl, `${workshopId}/swot`)
  setEntry(writer.doc, 'from', 'the bundle')
  await waitFor(() => getEntry(reader.doc, 'from') === 'the bundle', 'the relay')
  writer.destroy()
  reader.destroy()
}

/** Packages the bundle leaves to Node at boot (scripts/serverBundle.mjs says why each). */
const BOOT_PACKAGES = ['better-sqlite3', 'lib0', 'y-protocols', 'yjs']

test('on SQLite, the built server boots and serves sync from its bundle and the packages it leaves external; pdf-lib loads with the first PDF', async () => {
  const { url, loaded } = await startBuilt({})
  const workshop = await createWorkshop(url)
  await syncRoundTrip(url, workshop.id)

  const files = loaded()
  expect(packagesOf(files)).toEqual(BOOT_PACKAGES)
  expect(files.filter((file) => !file.startsWith('node_modules/') && !file.startsWith('dist/node/server/'))).toEqual([])
  expect(files).toContain('dist/node/server/index.js')
  // The PostgreSQL store, the Redis link and the PDF export (with pg, ioredis, pdf-lib) wait until used.
  expect(lazyChunks(files)).toEqual([])
  // QA q28c: the bundle had lost zod's English messages (zod sets them in a module it declares
  // free of side effects): every refusal read "Invalid input".
  const refused = await fetch(`${url}/api/workshops`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ORG_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ account: 'A'.repeat(121), title: 'FY27' }) })
  expect(refused.status).toBe(400)
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/too big|at most|<=120/i)

  const snapshot = await workshopFetch(`${url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Review"}' })
  expect(snapshot.status).toBe(201)
  const plan = PlanRecordSchema.parse(await snapshot.json())
  const pdf = await workshopFetch(`${url}/api/workshops/${workshop.id}/snapshots/${plan.id}?format=pdf`)
  expect(pdf.status).toBe(200)
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-')
  expect(packagesOf(loaded())).toEqual([...BOOT_PACKAGES, 'pdf-lib'].sort())
  expect(lazyChunks(loaded())).toEqual(['planPdf'])

  // A plan in another script embeds DejaVu Sans: fontkit loads then, and the bundle finds the font files in node_modules.
  expect(loaded().filter((file) => file.startsWith('node_modules/@pdf-lib/fontkit/'))).toEqual([])
  const cyrillic = await createWorkshop(url, { account: 'Škoda Москва', title: 'FY27' })
  const taken = await workshopFetch(`${url}/api/workshops/${cyrillic.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  const cyrillicPlan = PlanRecordSchema.parse(await taken.json())
  const embedded = await workshopFetch(`${url}/api/workshops/${cyrillic.id}/snapshots/${cyrillicPlan.id}?format=pdf`)
  expect(embedded.status).toBe(200)
  const text = pdfText(new Uint8Array(await embedded.arrayBuffer()))
  expect(text.lines[0]).toBe('Škoda Москва')
  expect(text.fonts.some((font) => font.includes('DejaVuSans'))).toBe(true)
  expect(loaded().filter((file) => file.startsWith('node_modules/@pdf-lib/fontkit/')).length).toBeGreaterThan(0)
})

test('on PostgreSQL and Redis, the built server loads pg and ioredis from node_modules and serves sync', async () => {
  postgres = await startPostgres()
  redis = await startRedis()
  const { url, loaded } = await startBuilt({
    DATABASE_URL: await postgres.createDatabase(),
    REDIS_URL: redis.url,
    KEYPLAN_TOKEN_SECRET: `k1:${Buffer.alloc(32, 7).toString('base64url')}`,
  })
  const workshop = await createWorkshop(url)
  await syncRoundTrip(url, workshop.id)
  expect(packagesOf(loaded())).toEqual([...BOOT_PACKAGES, 'ioredis', 'pg'].sort())
  expect(lazyChunks(loaded())).toEqual(['PostgresStore', 'RedisLink'])
}, POSTGRES_START_TIMEOUT_MS)

// Two copies of Yjs in one process break `instanceof` checks between them (Yjs warns "Yjs was
// already imported"): the bundle holds none of Yjs's code and imports node_modules/yjs, which
// y-protocols imports too.
test('the built server holds one copy of Yjs: node_modules/yjs', async () => {
  const regions = readdirSync(BUILT)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) => readFileSync(join(BUILT, file), 'utf8').match(/^\/\/#region node_modules\/(yjs|lib0|y-protocols)\/.*$/gm) ?? [])
  expect(regions).toEqual([])
  const { loaded, url } = await startBuilt({})
  await syncRoundTrip(url, (await createWorkshop(url)).id)
  expect(loaded().filter((file) => file.startsWith('node_modules/yjs/'))).toEqual(['node_modules/yjs/dist/yjs.mjs'])
})
