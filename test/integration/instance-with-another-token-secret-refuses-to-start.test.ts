/**
 * docs/security.md [A23]: instances of one deployment sign links with the same keys. An instance
 * given another secret under a key id the deployment already uses would refuse every link the
 * others give out, and count each refusal against the person's address (QA q36a: it started
 * without a word). It stops at start with one line naming the key, exit 1; a rotation that adds
 * a key with a new id starts; a link signed by the first instance opens on the rotated one.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { spawnBundledServer } from '../helpers/spawnedServer.ts'
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { TEST_ORG_KEY, createWorkshop, tempDataDir } from '../helpers/startServer.ts'

const TIMEOUT_MS = 240_000
const secret = (fill: number) => Buffer.alloc(32, fill).toString('base64url')

let postgres: PostgresCluster
let databaseUrl: string
const children: ChildServer[] = []
const dataDirs: string[] = []

beforeAll(async () => {
  postgres = await startPostgres()
  databaseUrl = await postgres.createDatabase()
}, TIMEOUT_MS)

afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL')
  await Promise.all(children.map((child) => child.exited))
  await postgres?.stop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** Starts the bundled server with `environment` and waits for it to exit (a refused start). */
async function refusedStart(environment: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const spawned = spawnBundledServer({ PORT: '0', LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: TEST_ORG_KEY, ...environment })
  // A server that starts anyway is stopped and reported as such (no exit code), not waited for.
  const started = await Promise.race([spawned.listening.then(() => true, () => false), spawned.exited.then(() => false)])
  if (started) spawned.process.kill('SIGKILL')
  const { code } = await spawned.exited
  return { code: started ? null : code, stderr: spawned.stderr() }
}

function env(tokenSecret: string): Record<string, string> {
  const dataDir = tempDataDir()
  dataDirs.push(dataDir)
  return { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, KEYPLAN_TOKEN_SECRET: tokenSecret }
}

test('another secret under a key id the deployment uses: refused at start in one line; a new id beside the old one starts [A23]', async () => {
  const first = await startChildServer(env(`k1:${secret(1)}`))
  children.push(first)
  const workshop = await createWorkshop(first.url)

  const refused = await refusedStart(env(`k1:${secret(2)}`))
  expect(refused.code).toBe(1)
  const lines = refused.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toContain('KEYPLAN_TOKEN_SECRET: key k1 is not the secret')
  // Never a secret in the line.
  expect(refused.stderr).not.toContain(secret(2))
  expect(refused.stderr).not.toContain(secret(1))

  // Rotation: a new key first, the deployment's k1 after it.
  const rotated = await startChildServer(env(`k2:${secret(3)},k1:${secret(1)}`))
  children.push(rotated)
  const read = await fetch(`${rotated.url}/api/workshops/${workshop.id}`, { headers: { authorization: `Bearer ${workshop.tokens.team}` } })
  expect(read.status).toBe(200)
  // k2 is the deployment's now too: another secret under it is refused as well.
  const second = await refusedStart(env(`k2:${secret(4)}`))
  expect(second.code).toBe(1)
  expect(second.stderr).toContain('key k2 is not the secret')
}, TIMEOUT_MS)
