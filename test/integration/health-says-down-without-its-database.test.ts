/**
 * docs/server-rules.md [I5]: an instance on PostgreSQL whose database went away cannot store
 * anything anyone writes; `/api/health` says so with 503 and `database: 'down'` (QA q36a: it said
 * `ok`, so neither a monitor nor a balancer could tell).
 */
import fs from 'node:fs'
import { afterAll, expect, test } from 'vitest'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { tempDataDir } from '../helpers/startServer.ts'

const TIMEOUT_MS = 240_000
const dataDir = tempDataDir()
let postgres: PostgresCluster | undefined
let server: ChildServer | undefined

afterAll(async () => {
  server?.process.kill('SIGKILL')
  await server?.exited
  await postgres?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function health(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server?.url}/api/health`)
  return { status: response.status, body: await response.json() }
}

test('health: ok with the database, 503 down without it [I5]', async () => {
  postgres = await startPostgres()
  server = await startChildServer({ DATA_DIR: dataDir, DATABASE_URL: await postgres.createDatabase(), KEYPLAN_TOKEN_SECRET: `k1:${Buffer.alloc(32, 7).toString('base64url')}` })
  expect(await health()).toEqual({ status: 200, body: { status: 'ok', rooms: 0, database: 'ready', fanout: 'postgres-polling', presence: 'postgres-polling' } })

  await postgres.stop()
  postgres = undefined
  let answer = await health()
  for (let i = 0; i < 600 && answer.status === 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    answer = await health()
  }
  expect(answer).toEqual({ status: 503, body: expect.objectContaining({ status: 'down', database: 'down' }) })
}, TIMEOUT_MS)
