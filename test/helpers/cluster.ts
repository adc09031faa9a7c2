/**
 * Several Keyplan instances as child processes on one real PostgreSQL and one real Redis, as
 * issue 17 runs them: one test file starts a cluster, each test a database and its instances.
 * The instances share a DATA_DIR only for its secrets (the workshop's links work on all of them);
 * everything durable is in PostgreSQL.
 *
 * @example
 * ```ts
 * const cluster = useCluster()
 * test('...', async () => {
 *   const env = await cluster.env()
 *   const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
 * })
 * ```
 */
import fs from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import { startChildServer, type ChildServer } from './childServer.ts'
import { connectSynced, type TestClient } from './clients.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from './postgres.ts'
import { startRedis, type RedisServer } from './redis.ts'
import { tempDataDir } from './startServer.ts'

/** The token secret every instance of a test cluster shares (`k1:` + 32 bytes). */
const CLUSTER_TOKEN_SECRET = `k1:${Buffer.alloc(32, 5).toString('base64url')}`

export const CLUSTER_TEST_TIMEOUT_MS = 240_000

export type TestCluster = {
  postgres(): PostgresCluster
  redis(): RedisServer
  /** The environment of instances of a new, empty database (extra variables added). */
  env(extra?: Record<string, string>): Promise<Record<string, string>>
  /** Starts an instance (`options` as {@link startChildServer}'s); it is SIGKILLed after the file if still running. */
  start(env: Record<string, string>, options?: Parameters<typeof startChildServer>[1]): Promise<ChildServer>
}

/** Starts PostgreSQL and Redis before the file's tests and stops them (and any instance left) after. */
export function useCluster(): TestCluster {
  let postgres: PostgresCluster | undefined
  let redis: RedisServer | undefined
  let dataDir: string | undefined
  const children: ChildServer[] = []
  beforeAll(async () => {
    ;[postgres, redis] = await Promise.all([startPostgres(), startRedis()])
    dataDir = tempDataDir()
  }, POSTGRES_START_TIMEOUT_MS)
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL')
    await Promise.all(children.map((child) => child.exited))
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    await redis?.stop()
    await postgres?.stop()
  })
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (beforeAll)`)
    return value
  }
  return {
    postgres: () => started(postgres, 'PostgreSQL'),
    redis: () => started(redis, 'Redis'),
    async env(extra = {}) {
      return {
        DATABASE_URL: await started(postgres, 'PostgreSQL').createDatabase(),
        REDIS_URL: started(redis, 'Redis').url,
        // Several-instance mode takes its secrets from the environment ([A23]).
        KEYPLAN_TOKEN_SECRET: CLUSTER_TOKEN_SECRET,
        DATA_DIR: started(dataDir, 'DATA_DIR'),
        ...extra,
      }
    },
    async start(env, options) {
      const child = await startChildServer(env, options)
      children.push(child)
      return child
    },
  }
}

/** An instance's `GET /api/health` body ([I5]). */
export async function healthOf(server: ChildServer): Promise<Record<string, unknown>> {
  return (await (await fetch(`${server.url}/api/health`)).json()) as Record<string, unknown> // [I5] always a JSON object
}

/** Polls an instance's health until `predicate` holds; rejects after `timeoutMs` (a safety net, not a timing assertion). */
export async function untilHealth(server: ChildServer, predicate: (health: Record<string, unknown>) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now()
  while (!predicate(await healthOf(server))) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The name `client` sees in `other`'s presence. */
export function nameSeen(client: TestClient, other: TestClient): unknown {
  return client.provider.awareness.getStates().get(other.doc.clientID)?.user?.name
}

/** Alice on instance `a` and Bob on instance `b`, synced to `room`, each named in their presence. */
export async function namedClients(a: ChildServer, b: ChildServer, room: string): Promise<{ alice: TestClient; bob: TestClient }> {
  const alice = await connectSynced(a.syncUrl, room)
  const bob = await connectSynced(b.syncUrl, room)
  alice.provider.awareness.setLocalStateField('user', { name: 'Alice' })
  bob.provider.awareness.setLocalStateField('user', { name: 'Bob' })
  return { alice, bob }
}

/**
 * How many moves of `room`'s values (`sync.parts_moved`, logged at `info`) an instance logged after
 * `from` characters of its log, for a change or a held row: not the one each load logs, which may
 * come before the change it is waited for.
 */
export const movesLogged = (server: ChildServer, room: string, from = 0): number =>
  server
    .stderr()
    .slice(from)
    .split('\n')
    .filter((line) => line.includes('"msg":"sync.parts_moved"') && line.includes(`"room":"${room}"`) && line.includes('"onLoad":false')).length
