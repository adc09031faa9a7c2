/**
 * Boots the server: parses the environment, opens the store, serves, and shuts down gracefully on
 * SIGTERM/SIGINT/SIGHUP. Run with `node --import tsx server/index.ts`. Prints on stdout the line
 * `listening on http://HOST:PORT`, which tests parse to find the port when PORT=0, preceded at
 * first start (without KEYPLAN_ORG_KEY) by the one-time notice of the generated organisation key.
 */
import { createServer } from './app.ts'
import { parseEnv, type Config } from './env.ts'
import { createLogger } from './log.ts'
import { PostgresStore } from './store/PostgresStore.ts'
import { SqliteStore } from './store/SqliteStore.ts'
import type { Store } from './store/Store.ts'
import { lowerBackgroundThreads, requestEventLoopSlice, startThreadPool } from './threadPriority.ts'

let config: Config
try {
  config = parseEnv(process.env)
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}

const log = createLogger(config.logLevel)
let store: Store
try {
  store = config.databaseUrl === undefined
    ? new SqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous })
    : await PostgresStore.open(config.databaseUrl)
} catch (error) {
  // Never print DATABASE_URL: it may hold a password.
  process.stderr.write(`Cannot open the ${config.databaseUrl === undefined ? 'SQLite' : 'PostgreSQL'} store: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
const server = await createServer(config, store, { log })
// [S24] once every thread has started (V8's at boot, libuv's pool on its first task).
await startThreadPool()
const priority = lowerBackgroundThreads(config.backgroundThreadNice)
// [S25] from the event loop thread itself: the request is for the calling thread.
const slice = await requestEventLoopSlice(config.eventLoopSliceUs)
process.stdout.write(`listening on ${server.url}\n`)
log.info('server.started', { url: server.url, dataDir: config.dataDir, store: config.databaseUrl === undefined ? 'sqlite' : 'postgresql' })
if (priority.applied) log.info('server.background_threads', { nice: config.backgroundThreadNice, threads: priority.threads })
else log.info('server.background_threads_unchanged', { reason: priority.reason })
if (slice.applied) log.info('server.event_loop_slice', { us: slice.sliceUs, kernelDefaultUs: slice.kernelDefaultUs })
else log.info('server.event_loop_slice_unchanged', { reason: slice.reason })

// A bug in a background task (a flush, a compaction, an unload) must not take every workshop
// down with it; input errors never get here ([S6]).
process.on('unhandledRejection', (reason) => log.error('process.unhandled_rejection', { error: String(reason) }))

let shuttingDown = false
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return
  shuttingDown = true
  log.info('server.shutdown', { signal })
  try {
    await server.close()
    await store.close()
    process.exit(0)
  } catch (error) {
    log.error('server.shutdown_failed', { error: String(error) })
    process.exit(1)
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// `npm start` forwards SIGHUP too (terminal closed).
process.on('SIGHUP', () => void shutdown('SIGHUP'))
