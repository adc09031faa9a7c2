/**
 * Starts the real Keyplan server in this process on port 0 with a temp DATA_DIR and the
 * organisation key {@link TEST_ORG_KEY}.
 *
 * Workshops created through these helpers remember their team token, and `connectClient` /
 * `rawClient` send it when a test passes no token of its own; tests of the access rules pass
 * `params: { token }` (or `defaultToken: false`) explicitly.
 *
 * @example
 * ```ts
 * const server = await startServer()
 * afterAll(() => server.close())
 * const workshop = await server.createWorkshop()
 * const client = await connectClient(server.syncUrl, `${workshop.id}/swot`)            // as team
 * const guest = connectClient(server.syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.guest } })
 * ```
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CreatedWorkshopSchema, type CreatedWorkshop } from '../../shared/api.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import type { Role } from '../../shared/roles.ts'
import { newClaims, signToken, type TokenClaims } from '../../server/auth/tokens.ts'
import { createServer, type CreateServerOptions, type KeyplanServer } from '../../server/app.ts'
import { LogLevelSchema, type Config } from '../../server/env.ts'
import { createLogger } from '../../server/log.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'

export type TestServer = {
  server: KeyplanServer
  store: SqliteStore
  config: Config
  dataDir: string
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `ws://127.0.0.1:PORT/sync`, the provider's server URL. */
  syncUrl: string
  /** POSTs a workshop with the organisation key and returns it with its links and tokens (throws on a non-201). */
  createWorkshop(body?: { account: string; title: string; linkTtlDays?: number; timeZone?: string }): Promise<TestWorkshop>
  /** Signs a token with this server's secret (for workshops that do not exist, expired tokens...). */
  mintToken(workshopId: string, role: Role, overrides?: Partial<TokenClaims>): Promise<string>
  /** Graceful close of server and store; the data dir stays (pass it to the next server). */
  stop(): Promise<void>
  /** stop() and delete the data dir. */
  close(): Promise<void>
}

/** A fresh temp directory for a DATA_DIR. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keyplan-test-'))
}

/** The organisation key of test servers (`KEYPLAN_ORG_KEY`). */
export const TEST_ORG_KEY = 'keyplan-test-organisation-key'

/** A created workshop, with the token of each of its links. */
export type TestWorkshop = CreatedWorkshop & { tokens: Record<Role, string> }

/** Team tokens of workshops created by these helpers, sent by default by `connectClient` and `rawClient`. */
export const defaultTokens = new Map<string, string>()

/** Facilitator tokens of workshops created by these helpers, sent by default by {@link workshopFetch}. */
const facilitatorTokens = new Map<string, string>()

/** The facilitator token of a workshop the helpers created (browsers open its link by default). */
export function facilitatorToken(workshopId: string): string | undefined {
  return facilitatorTokens.get(workshopId)
}

/**
 * `fetch` that sends the facilitator token of the workshop named in an `/api/workshops/<id>/…`
 * URL, when the helpers created that workshop and the request carries no `authorization` of its
 * own. For tests of other rules than access; access tests pass their credential explicitly.
 *
 * @example `import { workshopFetch as fetch } from '../helpers/startServer.ts'`
 */
export function workshopFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const id = /\/api\/workshops\/([^/?#]+)/.exec(new URL(input).pathname)?.[1]
  const token = id === undefined ? undefined : facilitatorTokens.get(id)
  const headers = new Headers(init.headers)
  if (token !== undefined && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`)
  return fetch(input, { ...init, headers })
}

/** PUTs `body` to the workshop's `path` (`settings`, `sensitivity`, …) as its facilitator; throws unless 200. */
export async function putAsFacilitator(server: Pick<TestServer, 'url'>, workshop: Pick<TestWorkshop, 'id' | 'tokens'>, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (response.status !== 200) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`)
}

/**
 * Saves a snapshot of workshop `workshopId` as its facilitator ({@link workshopFetch}), named `label`
 * if given, expects 201, and gives the plan record.
 */
export async function takeSnapshot(server: Pick<TestServer, 'url'>, workshopId: string, label?: string): Promise<PlanRecord> {
  const response = await workshopFetch(`${server.url}/api/workshops/${workshopId}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(label === undefined ? {} : { label }),
  })
  if (response.status !== 201) throw new Error(`saving a snapshot answered ${response.status}: ${await response.text()}`)
  return PlanRecordSchema.parse(await response.json())
}

/** Test defaults: port 0, quiet logs, everything else as in production unless overridden. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDataDir(),
    databaseUrl: undefined,
    redisUrl: undefined,
    maxFrameBytes: 16 * 1024 * 1024,
    maxBufferedBytes: 64 * 1024 * 1024,
    maxKeptDepartedBytes: 64 * 1024 * 1024,
    maxConnectionsPerRoom: 200,
    maxConnectionsPerAddress: 50,
    maxAwarenessBytes: 64 * 1024,
    maxRequestBodyBytes: 64 * 1024,
    updateLimits: { maxBytes: 8 * 1024 * 1024, maxStructs: 50_000, maxEntries: 20_000, maxDeleteRanges: 100_000, maxWork: 500_000, maxBoardRecords: 10_000, maxBoardBytes: 32 * 1024 * 1024 },
    rates: { updates: 240, entries: 20_000, updateBytes: 8 * 1024 * 1024, work: 1_000_000, syncStep1: 2, awareness: 60, awarenessBytes: 64 * 1024 },
    roomUnloadGraceMs: 100,
    compactAfterUpdates: 500,
    compactAfterBytes: 4 * 1024 * 1024,
    clusterPollMs: 1_000,
    compactionLeaseMs: 30_000,
    pingIntervalMs: 30_000,
    snapshotIntervalMs: 10 * 60_000,
    snapshotSeenWaitMs: 5_000,
    historyRetentionDays: 30,
    historyIdleMs: 2_000,
    historyMaxMs: 30_000,
    sqliteSynchronous: 'NORMAL',
    // LOG_LEVEL=debug npx vitest ... shows the server's logs.
    logLevel: LogLevelSchema.parse(process.env.LOG_LEVEL ?? 'silent'),
    // Applied by server/index.ts only, never by createServer: in-process servers leave vitest's threads be.
    trustProxyHops: 0,
    orgKey: TEST_ORG_KEY,
    tokenKeys: undefined,
    publicUrl: undefined,
    ...overrides,
  }
}

/**
 * Starts a server; `overrides` may set `dataDir` to reopen existing data. `openStore` opens its
 * store (e.g. a SqliteStore subclass that fails or stalls on demand); the test gets that store.
 */
export async function startServer<S extends SqliteStore = SqliteStore>(
  overrides: Partial<Config> = {},
  options: CreateServerOptions = {},
  openStore: (config: Config) => S = (config) => new SqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous }) as S, // the default S is SqliteStore
): Promise<TestServer & { store: S }> {
  const config = testConfig(overrides)
  const store = openStore(config)
  const server = await createServer(config, store, { log: createLogger(config.logLevel), ...options })
  const url = server.url
  let stopped: Promise<void> | undefined
  const stop = () => {
    stopped ??= server.close().then(() => store.close())
    return stopped
  }
  return {
    server,
    store,
    config,
    dataDir: config.dataDir,
    url,
    syncUrl: `${url.replace(/^http/, 'ws')}/sync`,
    createWorkshop: (body) => createWorkshop(url, body),
    mintToken: (workshopId, role, overrides = {}) =>
      signToken(server.secrets.tokenKeys, { ...newClaims({ workshopId, role, gen: 0, ttlSeconds: 3600 }), ...overrides }),
    stop,
    async close() {
      await stop()
      fs.rmSync(config.dataDir, { recursive: true, force: true })
    },
  }
}

/** POSTs a workshop to the server at `url` with the organisation key; remembers its team token. */
export async function createWorkshop(
  url: string,
  body: { account: string; title: string; linkTtlDays?: number; timeZone?: string } = { account: 'Acme Corp', title: 'FY27 planning' },
  orgKey: string = TEST_ORG_KEY,
): Promise<TestWorkshop> {
  const response = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${orgKey}` },
    body: JSON.stringify(body),
  })
  if (response.status !== 201) throw new Error(`POST /api/workshops: ${response.status} ${await response.text()}`)
  return registerWorkshop(CreatedWorkshopSchema.parse(await response.json()))
}

/**
 * A workshop created by another route (`POST /api/accounts/:id/workshops`) with its tokens,
 * remembered like those of {@link createWorkshop}.
 */
export function registerWorkshop(created: CreatedWorkshop): TestWorkshop {
  const token = (link: string) => new URL(link).searchParams.get('token') ?? ''
  const tokens = {
    facilitator: token(created.links.facilitator),
    team: token(created.links.team),
    viewer: token(created.links.viewer),
    guest: token(created.links.guest),
  }
  defaultTokens.set(created.id, tokens.team)
  facilitatorTokens.set(created.id, tokens.facilitator)
  return { ...created, tokens }
}
