/**
 * Server configuration, parsed from the environment once at boot. Tests build a {@link Config}
 * directly (see `test/helpers/startServer.ts`).
 */
import path from 'node:path'
import { z } from 'zod'
import { OrgKeySchema } from './auth/secrets.ts'
import { parseTokenKeys, type TokenKeys } from './auth/tokens.ts'
import type { UpdateLimits } from './sync/inspectUpdate.ts'
import type { ConnectionRates } from './sync/RateLimits.ts'

const MiB = 1024 * 1024

/** The longest delay Node's timers take: a longer one runs after 1 ms instead (QA q32b: PING_INTERVAL_MS=3000000000 dropped every connection in a loop). */
const MAX_TIMER_MS = 2_147_483_647

/**
 * A whole number written in plain digits, from `min` to `max` (QA q32b: `Number()`'s syntax let
 * PORT=1e3 listen on 1000, PORT=0x1000 on 4096, and 1e400 failed as "expected number, received
 * number").
 */
const whole = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number in digits, from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(fallback)

/** A count or size: a whole number from `min`. */
const int = (min: number, fallback: number) => whole(min, Number.MAX_SAFE_INTEGER, fallback)

/** A delay in milliseconds: from `min` to what Node's timers take. */
const ms = (min: number, fallback: number) => whole(min, MAX_TIMER_MS, fallback)

/** An http(s) origin (no path, query or credentials), normalised to `URL.origin`. */
const publicUrlSchema = () => z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .transform((value) => new URL(value))
  .refine(
    (url) => url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '',
    'must be an origin only, e.g. https://keyplan.example.com (links are minted at its root)',
  )
  .transform((url) => url.origin)

/** The log levels LOG_LEVEL accepts. */
export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error', 'silent'])

/**
 * Environment variables the server reads, with their defaults. Built by `parseEnv`, once at boot,
 * and dropped after: kept in a module constant, its ~150 zod schemas stayed in every server's heap
 * (0.9 MB, issue 14).
 */
const envSchema = () => z.object({
  /** TCP port; 0 picks a free one (the server prints the one it got). */
  PORT: whole(0, 65535, 8787),
  /** Interface to bind; `0.0.0.0` to let a team on the same network join. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Directory of `keyplan.sqlite`; created if missing. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * A PostgreSQL 15+ database (`postgres://user:password@host:5432/keyplan`) to store everything in
   * instead of `keyplan.sqlite`; migrated at start (docs/decisions/003-postgres-store.md).
   */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// or postgresql:// URL' }).optional(),
  /**
   * A Redis 7 server (`redis://host:6379/0`) for what crosses instances when several run on one
   * `DATABASE_URL` (issue 17): fan-out, presence, revocation, shared counters. Setting it is what
   * several-instance mode means (docs/server-rules.md [I1]): `DATABASE_URL`, `KEYPLAN_ORG_KEY` and
   * `KEYPLAN_TOKEN_SECRET` are then required ([A23]).
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Largest websocket frame accepted; larger ones close the connection with 1009. Just over MAX_UPDATE_BYTES: a larger frame could only be refused ([S28]). */
  MAX_FRAME_BYTES: int(1024, 9 * MiB),
  /** A peer whose unsent data exceeds this is disconnected (slow consumer). */
  MAX_BUFFERED_BYTES: int(1024, 64 * MiB),
  /**
   * Most bytes of departed peers' updates kept in memory, over every board, while their boards
   * cannot store them; a later one over it is dropped with an error (docs/server-rules.md [S3]).
   */
  MAX_KEPT_DEPARTED_BYTES: int(1024, 64 * MiB),
  /** Most sync connections to one board, guests' at most half of them; more are closed with 4503 (docs/security.md [A13]). */
  MAX_CONNECTIONS_PER_ROOM: int(1, 200),
  /**
   * Most sync connections from one client address, IPv6 per /64, over all boards; more are closed
   * with 4503 ([A13]). A customer's office behind one NAT counts as one address.
   */
  MAX_CONNECTIONS_PER_ADDRESS: int(1, 50),
  /**
   * Largest awareness update (one cursor/presence message); a larger one closes its connection
   * with 1009 and is not relayed ([A14]). Bounds every single client state too.
   */
  MAX_AWARENESS_BYTES: int(1024, 64 * 1024),
  /** Largest client update; a larger one closes its connection with 4422 (docs/server-rules.md [S28]). */
  MAX_UPDATE_BYTES: int(1024, 8 * MiB),
  /** Most Yjs structs (items) in one client update ([S28]). */
  MAX_UPDATE_STRUCTS: int(1, 50_000),
  /** Most record-log entries one client update inserts ([S28]); a paste of 2,000 notes is 2,000. */
  MAX_UPDATE_ENTRIES: int(1, 20_000),
  /** Most delete-set ranges in one client update ([S28]); a step 2 carries its doc's whole delete set. */
  MAX_UPDATE_DELETE_RANGES: int(1, 100_000),
  /**
   * Most struct visits Yjs may need to integrate one client update (conflict scans and delete-set
   * walks, [S27]); more is refused with 4422. Bounds the event-loop stall one update can cause.
   */
  MAX_UPDATE_WORK: int(1_000, 500_000),
  /**
   * Most records (notes, cards, lines, …) one board may hold, its shared and internal documents
   * together; an update that adds records past it is refused with 4422 "board full" ([S28]). A
   * workshop board holds a few hundred to a few thousand.
   */
  MAX_BOARD_RECORDS: int(1, 10_000),
  /**
   * Most content one board may hold, its two documents together, as the JSON length of their live
   * records (a character counts as a byte); an update that grows a board past it is refused with
   * 4422 "board full" ([S28]). 5,000 notes are ~3 MB; pasted images count whole.
   */
  MAX_BOARD_BYTES: int(1024, 32 * MiB),
  /**
   * Client updates per second per connection (bursts of twice as many); more closes it with 4429
   * ([S28]). A page writes at most once per animation frame (60/s in a drag, 120/s on a 120 Hz
   * display); the default leaves room above that and above scripted clients that batch.
   */
  UPDATES_PER_SECOND: int(1, 240),
  /** Record-log entries per second per connection (bursts of twice as many) ([S28]). */
  UPDATE_ENTRIES_PER_SECOND: int(1, 20_000),
  /** Update bytes per second per connection (bursts of twice as many) ([S28]). */
  UPDATE_BYTES_PER_SECOND: int(1024, 8 * MiB),
  /**
   * Struct visits per second per connection that Yjs may need to integrate its updates (bursts of
   * twice as many) ([S28]); appends at the end of the log cost next to nothing.
   */
  UPDATE_WORK_PER_SECOND: int(1_000, 1_000_000),
  /** Sync step 1 requests per second per connection (bursts of twice as many) ([S30]). */
  SYNC_STEP1_PER_SECOND: int(1, 2),
  /** Awareness updates per second per connection (bursts of twice as many) ([S31]). */
  AWARENESS_PER_SECOND: int(1, 60),
  /** Awareness bytes per second per connection (bursts of twice as many) ([S31]). */
  AWARENESS_BYTES_PER_SECOND: int(1024, 64 * 1024),
  /**
   * Largest REST request body; a larger one is answered 413 `payload_too_large` before it is read
   * or parsed (docs/security.md [A20]). The API's bodies are a few hundred bytes.
   */
  MAX_REQUEST_BODY_BYTES: int(1024, 64 * 1024),
  /**
   * Reverse proxies in front of the server whose `X-Forwarded-For` entries to trust: the client
   * address that per-address limits count is then the one the outermost proxy saw ([A16]). 0: the
   * socket's peer (the proxy itself, if there is one).
   */
  TRUST_PROXY_HOPS: whole(0, 10, 0),
  /** How long an empty room stays in memory before it is unloaded. */
  ROOM_UNLOAD_GRACE_MS: ms(0, 5_000),
  /** Compact a document's update log once it holds this many rows... */
  COMPACT_AFTER_UPDATES: int(1, 500),
  /** ...or this many bytes of updates. */
  COMPACT_AFTER_BYTES: int(1, 4 * MiB),
  /**
   * On PostgreSQL (several instances): how often open rooms read rows other instances stored
   * while Redis is away or not configured; with Redis, ten times as seldom, as a safety net.
   */
  CLUSTER_POLL_MS: ms(50, 1_000),
  /** On PostgreSQL: how long an instance stays a board's compactor after its last compaction. */
  COMPACTION_LEASE_MS: ms(500, 30_000),
  /**
   * Periodic snapshots: a workshop edited since its last snapshot gets one this often (10 min).
   * At most a day: Node runs a longer timer after 1 ms instead.
   */
  SNAPSHOT_INTERVAL_MS: whole(1_000, 24 * 60 * 60_000, 10 * 60_000),
  /**
   * How long `POST /snapshots` waits for the saving page's own last edits to reach the server
   * before it answers 409 ([S42]).
   */
  SNAPSHOT_SEEN_WAIT_MS: whole(0, 60_000, 5_000),
  /** Days a board's change history is kept; older changes are deleted hourly and at boot ([H8]). */
  HISTORY_RETENTION_DAYS: whole(1, 3650, 30),
  /** A writer's edits form one change until they pause this long ([H2]). */
  HISTORY_IDLE_MS: ms(0, 2_000),
  /** ...or until the change is this old, however busy they are ([H2]). */
  HISTORY_MAX_MS: ms(0, 30_000),
  /** Interval of websocket pings; a peer that misses one whole interval is dropped. */
  PING_INTERVAL_MS: ms(100, 30_000),
  /**
   * SQLite `synchronous` in WAL mode: NORMAL survives a killed process (the promise of [S1]);
   * FULL also survives power loss, at one fsync per group commit. See docs/server-rules.md [S15].
   */
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  LOG_LEVEL: LogLevelSchema.default('info'),
  /**
   * The organisation key that creates and lists workshops. Unset: generated at first start into
   * DATA_DIR/org-key (mode 0600) and printed once (docs/security.md [A8]).
   */
  KEYPLAN_ORG_KEY: OrgKeySchema.optional(),
  /**
   * Token signing keys, `kid:secret` comma-separated (secrets base64/base64url, 32+ bytes): the
   * first signs new links, all verify, so a rotated-out key keeps its links working until they
   * expire (docs/security.md [A9]). Unset: the generated `DATA_DIR/token-secret`, key id `local`.
   */
  KEYPLAN_TOKEN_SECRET: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseTokenKeys(text)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) })
        return z.NEVER
      }
    })
    .optional(),
  /**
   * The origin users reach Keyplan at, e.g. `https://keyplan.example.com`; invite links are minted
   * on it ([A15]). Unset: the origin of the request, which is wrong behind a TLS-terminating proxy
   * (links would say `http://` and the internal host).
   */
  PUBLIC_URL: publicUrlSchema().optional(),
})

/** The parsed configuration the server runs with. */
export type Config = {
  port: number
  host: string
  dataDir: string
  /** `DATABASE_URL`: store in PostgreSQL; undefined: SQLite in `dataDir`. */
  databaseUrl: string | undefined
  /** `REDIS_URL`: cross-instance messaging and counters; undefined: one instance. */
  redisUrl: string | undefined
  maxFrameBytes: number
  maxBufferedBytes: number
  /** `MAX_KEPT_DEPARTED_BYTES`: departed peers' updates kept while their boards cannot store them ([S3]). */
  maxKeptDepartedBytes: number
  maxConnectionsPerRoom: number
  maxConnectionsPerAddress: number
  maxAwarenessBytes: number
  /** `MAX_REQUEST_BODY_BYTES`: largest REST request body ([A20]). */
  maxRequestBodyBytes: number
  /** `MAX_UPDATE_*`: caps of one client update ([S27], [S28]). */
  updateLimits: UpdateLimits
  /** Per-connection rates (per second; bursts of twice as many) ([S28], [S30], [S31]). */
  rates: ConnectionRates
  roomUnloadGraceMs: number
  compactAfterUpdates: number
  compactAfterBytes: number
  /** `CLUSTER_POLL_MS`: PostgreSQL polling of open rooms without Redis (docs/decisions/005-several-instances.md). */
  clusterPollMs: number
  /** `COMPACTION_LEASE_MS`: the compaction lease of a board on PostgreSQL. */
  compactionLeaseMs: number
  pingIntervalMs: number
  snapshotIntervalMs: number
  snapshotSeenWaitMs: number
  /** `HISTORY_RETENTION_DAYS`: how long board change history is kept. */
  historyRetentionDays: number
  /** `HISTORY_IDLE_MS`: the pause that closes a writer's change. */
  historyIdleMs: number
  /** `HISTORY_MAX_MS`: the longest a writer's change stays open. */
  historyMaxMs: number
  sqliteSynchronous: 'NORMAL' | 'FULL'
  logLevel: z.infer<typeof LogLevelSchema>
  /** `TRUST_PROXY_HOPS`: trusted reverse proxies in front (their `X-Forwarded-For` entries). */
  trustProxyHops: number
  /** `KEYPLAN_ORG_KEY`; undefined: use (or create) the one in `dataDir`. */
  orgKey: string | undefined
  /** `KEYPLAN_TOKEN_SECRET`, parsed; undefined: use (or create) the secret in `dataDir`. */
  tokenKeys: TokenKeys | undefined
  /** `PUBLIC_URL` as an origin; undefined: invite links use the request's origin. */
  publicUrl: string | undefined
}

/** The one line a several-instance start without its database or secrets stops with ([I1], [A23]). */
export function severalInstancesNeedSecrets(missing: readonly string[]): string {
  const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : (missing[0] ?? '')
  return `keyplan: REDIS_URL is set (several instances), so the database and the secrets must come from the environment: set ${list} to the same value on every instance (deploy/README.md)`
}

/**
 * Parses `env` (normally `process.env`). Throws an Error listing every invalid variable.
 *
 * @example `const config = parseEnv(process.env)`
 */
export function parseEnv(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" (e.g. `PORT= npm start`), not 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const result = envSchema().safeParse(present)
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  const e = result.data
  // The frame cap sits above the update cap: an update over it is refused (4422, named), where a
  // frame over its cap is only cut off (1009) (QA q32b: MAX_FRAME_BYTES=1024 was taken silently).
  if (e.MAX_FRAME_BYTES < e.MAX_UPDATE_BYTES) {
    throw new Error(`Invalid environment:\n  MAX_FRAME_BYTES: must be at least MAX_UPDATE_BYTES (${e.MAX_UPDATE_BYTES}): an update larger than the frame cap is cut off (1009) instead of refused with a reason (4422)`)
  }
  // [I1][A23] several instances share one database and their secrets: a SQLite file or a secret
  // generated into DATA_DIR is one instance's.
  if (e.REDIS_URL !== undefined) {
    const missing = (['DATABASE_URL', 'KEYPLAN_ORG_KEY', 'KEYPLAN_TOKEN_SECRET'] as const).filter((name) => e[name] === undefined)
    if (missing.length > 0) throw new Error(severalInstancesNeedSecrets(missing))
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    maxKeptDepartedBytes: e.MAX_KEPT_DEPARTED_BYTES,
    maxConnectionsPerRoom: e.MAX_CONNECTIONS_PER_ROOM,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    maxAwarenessBytes: e.MAX_AWARENESS_BYTES,
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    updateLimits: {
      maxBytes: e.MAX_UPDATE_BYTES,
      maxStructs: e.MAX_UPDATE_STRUCTS,
      maxEntries: e.MAX_UPDATE_ENTRIES,
      maxDeleteRanges: e.MAX_UPDATE_DELETE_RANGES,
      maxWork: e.MAX_UPDATE_WORK,
      maxBoardRecords: e.MAX_BOARD_RECORDS,
      maxBoardBytes: e.MAX_BOARD_BYTES,
    },
    rates: {
      updates: e.UPDATES_PER_SECOND,
      entries: e.UPDATE_ENTRIES_PER_SECOND,
      updateBytes: e.UPDATE_BYTES_PER_SECOND,
      work: e.UPDATE_WORK_PER_SECOND,
      syncStep1: e.SYNC_STEP1_PER_SECOND,
      awareness: e.AWARENESS_PER_SECOND,
      awarenessBytes: e.AWARENESS_BYTES_PER_SECOND,
    },
    roomUnloadGraceMs: e.ROOM_UNLOAD_GRACE_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    compactAfterBytes: e.COMPACT_AFTER_BYTES,
    clusterPollMs: e.CLUSTER_POLL_MS,
    compactionLeaseMs: e.COMPACTION_LEASE_MS,
    pingIntervalMs: e.PING_INTERVAL_MS,
    snapshotIntervalMs: e.SNAPSHOT_INTERVAL_MS,
    snapshotSeenWaitMs: e.SNAPSHOT_SEEN_WAIT_MS,
    historyRetentionDays: e.HISTORY_RETENTION_DAYS,
    historyIdleMs: e.HISTORY_IDLE_MS,
    historyMaxMs: e.HISTORY_MAX_MS,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    logLevel: e.LOG_LEVEL,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    orgKey: e.KEYPLAN_ORG_KEY,
    tokenKeys: e.KEYPLAN_TOKEN_SECRET,
    publicUrl: e.PUBLIC_URL,
  }
}
