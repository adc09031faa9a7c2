/**
 * docs/security.md [A23], docs/server-rules.md [I1]: with REDIS_URL set (several instances), the
 * database (DATABASE_URL), the organisation key and the token secret must come from the
 * environment; a start without them says so in one line and exits 1, generating nothing into
 * DATA_DIR.
 */
import fs from 'node:fs'
import { afterEach, beforeAll, expect, test } from 'vitest'
import { ensureServerBuilt } from '../helpers/buildClient.ts'
import { TEST_ORG_KEY, tempDataDir } from '../helpers/startServer.ts'
import { killGroup, spawnBundledServer, type Spawned } from '../helpers/spawnedServer.ts'

let running: Spawned | undefined
beforeAll(() => ensureServerBuilt(), 300_000)
afterEach(() => {
  killGroup(running)
  running = undefined
})

const TOKEN_SECRET = `k1:${Buffer.alloc(32, 7).toString('base64url')}`
// Never reached: the check comes before any connection.
const REDIS_URL = 'redis://127.0.0.1:1'
const DATABASE_URL = 'postgres://keyplan@127.0.0.1:1/keyplan'

/** The server bundle `npm start` runs, started without npm. */
const start = (env: Record<string, string>) =>
  spawnBundledServer({ PORT: '0', LOG_LEVEL: 'info', KEYPLAN_ORG_KEY: '', KEYPLAN_TOKEN_SECRET: '', ...env })

test.each([
  ['neither secret', { DATABASE_URL }, 'KEYPLAN_ORG_KEY and KEYPLAN_TOKEN_SECRET'],
  ['no token secret', { DATABASE_URL, KEYPLAN_ORG_KEY: TEST_ORG_KEY }, 'KEYPLAN_TOKEN_SECRET'],
  ['no organisation key', { DATABASE_URL, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET }, 'KEYPLAN_ORG_KEY'],
  ['no database (SQLite is one instance\'s)', { KEYPLAN_ORG_KEY: TEST_ORG_KEY, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET }, 'DATABASE_URL'],
  ['nothing', {}, 'DATABASE_URL, KEYPLAN_ORG_KEY and KEYPLAN_TOKEN_SECRET'],
])('[A23] REDIS_URL with %s: one line naming what is missing, exit 1, nothing generated', async (_case, secrets, missing) => {
  const dataDir = tempDataDir()
  running = start({ DATA_DIR: dataDir, REDIS_URL, ...secrets })
  expect((await running.exited).code).toBe(1)
  expect(running.stderr().trim().split('\n')).toEqual([
    `keyplan: REDIS_URL is set (several instances), so the database and the secrets must come from the environment: set ${missing} to the same value on every instance (deploy/README.md)`,
  ])
  expect(running.stdout()).toBe('')
  expect(fs.readdirSync(dataDir)).toEqual([])
})

test('[A23] without REDIS_URL (one instance) the secrets are still generated into DATA_DIR', async () => {
  const dataDir = tempDataDir()
  running = start({ DATA_DIR: dataDir })
  await running.listening
  expect(fs.readdirSync(dataDir)).toEqual(expect.arrayContaining(['org-key', 'token-secret']))
})
