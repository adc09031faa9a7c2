import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, expect, test } from 'vitest'
import { serverEntry } from '../../scripts/serverBuild.mjs'
import { ensureServerBuilt } from '../helpers/buildClient.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { ROOT, killGroup, spawnServer, type Spawned } from '../helpers/spawnedServer.ts'
import { TEST_ORG_KEY, createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { getEntry, setEntry } from '../helpers/testEntries.ts'

// Built under the hook's longer timeout (a fresh clone's first build on a loaded machine can
// outlast a test's).
beforeAll(() => ensureServerBuilt(), 300_000)

let running: Spawned | undefined
afterEach(() => {
  killGroup(running)
  running = undefined
})

const RECORDER = join(ROOT, 'test', 'helpers', 'recordModuleLoads.mjs')
const BUILT = join(ROOT, 'dist', 'node', 'server')

// Node's ESM loader keeps records for every module file it loads, for the process's life, and a
// package imported whole brings all its files: the server `npm start` runs is one bundle, so that
// booting and serving sync read our bundle's files and, of the packages, only the native one
// (docs/sync-server-targets.md, Memory, fourteenth session).
test('the built server boots and serves sync from its bundle: no package module but better-sqlite3, lazy chunks unread', async () => {
  const log = join(tempDataDir(), 'modules.log')
  running = spawnServer(process.execPath, ['--import', RECORDER, serverEntry], {
    PORT: '0',
    DATA_DIR: tempDataDir(),
    LOG_LEVEL: 'warn',
    KEYPLAN_ORG_KEY: TEST_ORG_KEY,
    MODULE_LOG: log,
  })
  const url = await running.listening
  const workshop = await createWorkshop(url)
  const syncUrl = `${url.replace(/^http/, 'ws')}/sync`
  const writer = await connectSynced(syncUrl, `${workshop.id}/swot`)
  const reader = await connectSynced(syncUrl, `${workshop.id}/swot`)
  setEntry(writer.doc, 'from', 'the bundle')
  await waitFor(() => getEntry(reader.doc, 'from') === 'the bundle', 'the relay')
  writer.destroy()
  reader.destroy()

  const files = readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('file:')).map((line) => relative(ROOT, fileURLToPath(line)))
  const packages = [...new Set(files.filter((file) => file.startsWith('node_modules/')).map((file) => file.split('/')[1]))]
  expect(packages).toEqual(['better-sqlite3'])
  expect(files.filter((file) => !file.startsWith('node_modules/') && !file.startsWith('dist/node/server/'))).toEqual([])
  // The PostgreSQL store, the Redis link and the PDF export, with pg, ioredis and pdf-lib, load
  // only when configured or asked for.
  expect(files.filter((file) => /\/(PostgresStore|RedisLink|planPdf)-[^/]*\.js$/.test(file))).toEqual([])
  expect(files.filter((file) => file.startsWith('dist/'))).toContain('dist/node/server/main.js')
})

// Two copies of Yjs in one process break `instanceof` checks between them (Yjs warns "Yjs was
// already imported"): the bundle holds Yjs's module once, shared by lib0, y-protocols and ours.
test('the built server holds one copy of Yjs', () => {
  const regions = readdirSync(BUILT)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) => readFileSync(join(BUILT, file), 'utf8').match(/^\/\/#region node_modules\/yjs\/.*$/gm) ?? [])
  expect(regions).toEqual(['//#region node_modules/yjs/dist/yjs.mjs'])
})
