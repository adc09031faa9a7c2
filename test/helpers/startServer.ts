/**
 * Starts the real Keyplan server in this process on port 0 with a temp DATA_DIR.
 *
 * @example
 * ```ts
 * const server = await startServer()
 * afterAll(() => server.close())
 * const workshop = await server.createWorkshop()
 * const client = await connectClient(server.syncUrl, `${workshop.id}/swot`)
 * ```
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WorkshopSchema, type Workshop } from '../../shared/api.ts'
import { createServer, type CreateServerOptions, type KeyplanServer } from '../../server/app.ts'
import { EnvSchema, type Config } from '../../server/env.ts'
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
  /** POSTs a workshop and returns it (throws on a non-201). */
  createWorkshop(body?: { account: string; title: string }): Promise<Workshop>
  /** Graceful close of server and store; the data dir stays (pass it to the next server). */
  stop(): Promise<void>
  /** stop() and delete the data dir. */
  close(): Promise<void>
}

/** A fresh temp directory for a DATA_DIR. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keyplan-test-'))
}

/** Test defaults: port 0, quiet logs, everything else as in production unless overridden. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDataDir(),
    maxFrameBytes: 16 * 1024 * 1024,
    maxBufferedBytes: 64 * 1024 * 1024,
    roomUnloadGraceMs: 100,
    compactAfterUpdates: 500,
    compactAfterBytes: 4 * 1024 * 1024,
    pingIntervalMs: 30_000,
    snapshotIntervalMs: 10 * 60_000,
    sqliteSynchronous: 'NORMAL',
    // LOG_LEVEL=debug npx vitest ... shows the server's logs.
    logLevel: EnvSchema.shape.LOG_LEVEL.parse(process.env.LOG_LEVEL ?? 'silent'),
    ...overrides,
  }
}

/** Starts a server; `overrides` may set `dataDir` to reopen existing data. */
export async function startServer(overrides: Partial<Config> = {}, options: CreateServerOptions = {}): Promise<TestServer> {
  const config = testConfig(overrides)
  const store = new SqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous })
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
    stop,
    async close() {
      await stop()
      fs.rmSync(config.dataDir, { recursive: true, force: true })
    },
  }
}

/** POSTs a workshop to the server at `url`. */
export async function createWorkshop(
  url: string,
  body: { account: string; title: string } = { account: 'Acme Corp', title: 'FY27 planning' },
): Promise<Workshop> {
  const response = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (response.status !== 201) throw new Error(`POST /api/workshops: ${response.status} ${await response.text()}`)
  return WorkshopSchema.parse(await response.json())
}
