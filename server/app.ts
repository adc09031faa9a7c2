/**
 * Composes the one server process: REST API under `/api`, websocket sync under
 * `/sync/:workshopId/:board`, and the built client (`dist/client`) for everything else.
 */
import fs from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { WebSocketServer } from 'ws'
import { CONTROL_PATH } from '../shared/control.ts'
import { BOARD_IDS } from '../shared/boards.ts'
import type * as Y from 'yjs'
import { hasRecord, observeRecordIds, readRecordKept } from '../shared/docLayout.ts'
import { CLOSE_CODES, SYNC_PATH, syncRoomName } from '../shared/protocol.ts'
import { internalRoomName, partRoomName, resolveSensitivity, type SensitivityOverrides } from '../shared/sensitivity.ts'
import { accessRoutes } from './api/access.ts'
import { accountRoutes } from './api/accounts.ts'
import { HttpError, errorResponse } from './api/errors.ts'
import { historyRoutes } from './api/history.ts'
import { schemaRoutes } from './api/schema.ts'
import { snapshotCurationRoutes } from './api/snapshotCuration.ts'
import { snapshotRoutes } from './api/snapshots.ts'
import { WorkshopRemoval } from './api/WorkshopRemoval.ts'
import { workshopRoutes } from './api/workshops.ts'
import { clientAddress } from './auth/clientAddress.ts'
import { authGuards } from './auth/middleware.ts'
import { RateLimiter } from './auth/rateLimit.ts'
import { loadSecrets, type Secrets } from './auth/secrets.ts'
import { keyFingerprint } from './auth/tokens.ts'
import { securityHeaders } from './auth/securityHeaders.ts'
import { SessionRegistry } from './auth/SessionRegistry.ts'
import { ControlEvents } from './cluster/ControlEvents.ts'
import { AccessEvents } from './cluster/AccessEvents.ts'
import { BoardFanout } from './cluster/BoardFanout.ts'
import { ClusterConnectionLimits } from './cluster/ClusterConnectionLimits.ts'
import type { RedisLink } from './cluster/RedisLink.ts'
import { authorizeControl, type ControlAdmission } from './control/authorizeControl.ts'
import { ControlHub, type ControlPeer } from './control/ControlHub.ts'
import type { Config } from './env.ts'
import { HistoryRecorder, rememberConnectionRole } from './history/HistoryRecorder.ts'
import { createLogger, type Logger } from './log.ts'
import { SnapshotService } from './snapshot/SnapshotService.ts'
import type { CompactionLeases, SharedPresence, Store } from './store/Store.ts'
import {
  BAD_SYNC_PATH,
  authorize,
  parseSyncPath,
  type Authorization,
  type SyncConnectionRequest,
} from './sync/authorize.ts'
import { Connection, clientSource, parseParticipantKey, parseUserId } from './sync/Connection.ts'
import { ConnectionLimits } from './sync/ConnectionLimits.ts'
import { isOversizedAwareness } from './sync/decodeMessage.ts'
import type { Room } from './sync/Room.ts'
import { RoomManager } from './sync/RoomManager.ts'
import { acceptWebSockets, type AdmittedUpgrade, type UpgradeRequest } from './webSocketUpgrades.ts'

/**
 * The repository root: the nearest directory above `from` with a package.json. This file runs
 * from server/ (tsx) or, bundled, from dist/node/server/ (`npm start`).
 */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return path.resolve(from, '..')
  }
}

/** Where `npm run build` puts the client. */
export const CLIENT_DIR = path.join(repositoryRoot(import.meta.dirname), 'dist', 'client')

export type CreateServerOptions = {
  log?: Logger
  /** Runs before an empty room is unloaded, once its changes are durable (see RoomManager). */
  beforeUnload?: (room: Room) => Promise<void> | void
  /** Runs once per room, right after it loaded (see RoomManager). */
  onRoomLoaded?: (room: Room) => void
  /**
   * Admission of sync connections; by default {@link authorize}: a token of the workshop whose
   * role may see the board (docs/security.md [A1]–[A7]).
   */
  authorize?: (connection: SyncConnectionRequest) => Promise<Authorization>
  /** The built client to serve; {@link CLIENT_DIR} by default. */
  clientDir?: string
  /** Where a newly generated organisation key is printed once ([A8]); stdout by default. */
  announce?: (line: string) => void
  /**
   * The process's link to Redis (`REDIS_URL`, several instances, docs/server-rules.md [I1]):
   * access changes, failed-check windows and connection caps then span every instance ([A24],
   * [A25]). Its owner (server/index.ts) closes it after the server.
   */
  redis?: RedisLink
}

/** How long a killed instance's connection counts outlive it in Redis ([A25]). */
export const INSTANCE_COUNTS_TTL_MS = 10_000

/**
 * Failed token or organisation-key checks allowed per client address and minute ([A10]): enough
 * for a workshop room behind one NAT whose links expired, far too few to guess a key.
 */
export const FAILED_AUTH_LIMIT = { limit: 30, windowMs: 60_000, maxKeys: 10_000 } as const

/** A running server. */
export type KeyplanServer = {
  app: Hono
  httpServer: Server
  /** `http://host:port` it listens on (the real port when `config.port` is 0). */
  url: string
  port: number
  rooms: RoomManager
  /** Takes, lists and restores snapshots; its periodic trigger stops on `close()`. */
  snapshots: SnapshotService
  /** Records each board's change history ([H1]); its retention timer stops on `close()`. */
  history: HistoryRecorder
  store: Store
  config: Config
  log: Logger
  /** The organisation key and the token signing secret ([A8], [A9]). */
  secrets: Secrets
  /** Open sync sessions by workshop, closed on revocation or when a board turns internal. */
  sessions: SessionRegistry<Connection>
  /** Open sync sockets per room and per address on this instance ([A13]). */
  connections: ConnectionLimits
  /** The same over every instance, through Redis when there is one ([A25]). */
  clusterConnections: ClusterConnectionLimits
  /** Access changes to and from the other instances ([A24]). */
  accessEvents: AccessEvents
  /** Room control: presence across boards, summon, timer, votes (docs/decisions/002-room-control-channel.md). */
  control: ControlHub
  /** `REDIS_URL`'s connections; undefined without it. */
  redis: RedisLink | undefined
  /**
   * On a store shared by several instances (PostgreSQL): board sync across them; its `fanout` says
   * whether through Redis or by polling PostgreSQL (docs/decisions/005-several-instances.md).
   */
  fanout: BoardFanout | undefined
  /**
   * Graceful shutdown ([S12]): stops accepting, writes every pending update, closes sockets with
   * 1001. Does not close `store` (its owner does).
   */
  close(): Promise<void>
}

/**
 * Builds the app on `store` and starts listening on `config.host:config.port`.
 *
 * @example
 * ```ts
 * const server = await createServer(parseEnv(process.env), new SqliteStore(dataDir))
 * console.log(`listening on ${server.url}`)
 * ```
 */
export async function createServer(config: Config, store: Store, options: CreateServerOptions = {}): Promise<KeyplanServer> {
  const log = options.log ?? createLogger(config.logLevel)
  const secrets = loadSecrets({ dataDir: config.dataDir, orgKeyFromEnv: config.orgKey, tokenKeysFromEnv: config.tokenKeys, announce: options.announce })
  // [A23] Another secret under a key id the deployment already signs with: this instance would
  // refuse every link the others give out, and count each refusal against the person's address
  // (QA q36a: it started without a word, and rate-limited everyone behind one office address).
  if (config.tokenKeys !== undefined && store.claimDeploymentKeys) {
    const differing = await store.claimDeploymentKeys(config.tokenKeys.map((key) => ({ kid: key.kid, fingerprint: keyFingerprint(key) })))
    if (differing.length > 0) {
      throw new Error(
        `KEYPLAN_TOKEN_SECRET: ${differing.map((kid) => `key ${kid}`).join(', ')} ${differing.length === 1 ? 'is' : 'are'} not the secret the deployment's other instances use under that id (give every instance the same KEYPLAN_TOKEN_SECRET; to change a key, add one with a new id: deploy/README.md)`,
      )
    }
  }
  const redis = options.redis
  // [A25] one window per address over every instance, in this memory while Redis is away.
  const failures = new RateLimiter(FAILED_AUTH_LIMIT, redis && { link: redis, keyPrefix: 'keyplan:failed-auth' })
  const sessions = new SessionRegistry<Connection>()
  const connections = new ConnectionLimits({ perRoom: config.maxConnectionsPerRoom, perAddress: config.maxConnectionsPerAddress })
  const clusterConnections = new ClusterConnectionLimits(
    connections,
    redis,
    { perRoom: config.maxConnectionsPerRoom, perAddress: config.maxConnectionsPerAddress, ttlMs: INSTANCE_COUNTS_TTL_MS },
    log,
  )
  const guards = authGuards({ orgKey: secrets.orgKey, tokenKeys: secrets.tokenKeys, access: store, failures, trustProxyHops: config.trustProxyHops })
  const fanout = hasCompactionLeases(store)
    ? new BoardFanout({
        store,
        redis,
        log,
        pollMs: config.clusterPollMs,
        safetyPollMs: 10 * config.clusterPollMs,
        gapWaitMs: GAP_WAIT_MS,
        leaseMs: config.compactionLeaseMs,
        heartbeatMs: HEARTBEAT_MS,
      })
    : undefined
  const rooms = new RoomManager({
    store,
    log,
    roomUnloadGraceMs: config.roomUnloadGraceMs,
    compactAfterUpdates: config.compactAfterUpdates,
    compactAfterBytes: config.compactAfterBytes,
    updateLimits: config.updateLimits,
    maxKeptDepartedBytes: config.maxKeptDepartedBytes,
    // Called only once rooms load, after `snapshots` below exists.
    beforeUnload: async (room) => {
      await options.beforeUnload?.(room)
      // Issue 13: the history follows the shared document only (guests may read it).
      if (room.part === 'shared') await history.roomUnloading(room)
      await snapshots.roomUnloading(room)
    },
    cluster: fanout,
    beforeJoin: fanout && ((room) => fanout.caughtUp(room.name)),
    // [S37] a room whose append was refused read a change this instance had not heard of: as if heard.
    heardSensitivity: (workshopId, overrides, generation) => {
      // [S39] rows published from now on tell the others of it, should its changer have died first.
      void fanout?.announceGeneration(workshopId, generation)
      roomsHeardSensitivity(workshopId, overrides, generation)
      control.sensitivityChanged(workshopId, overrides)
    },
    onRoomLoaded: (room) => {
      fanout?.follow(room)
      if (room.part === 'shared') {
        history.roomLoaded(room)
        // A guest's counts of an open vote follow its items out of (and back into) the shared part.
        observeRecordIds(room.doc, (ids) =>
          control.boardItemsChanged(
            room.workshopId,
            room.board,
            ids,
            () => ids.some((id) => !hasRecord(room.doc, id)),
            () => room.whenDurable(),
          ),
        )
      }
      snapshots.roomLoaded(room)
      options.onRoomLoaded?.(room)
    },
  })
  const snapshots = new SnapshotService({
    store,
    rooms,
    log,
    intervalMs: config.snapshotIntervalMs,
    seenWaitMs: config.snapshotSeenWaitMs,
    // Boards changed on another instance drop no live plan here: it is read again after 5 s.
    ...(redis && { liveMaxAgeMs: 5_000 }),
    // [I3] a session ends when nobody is left on any instance.
    ...(redis && {
      connectedAnywhere: async (workshopId: string) =>
        (await Promise.all(BOARD_IDS.map((board) => clusterConnections.roomCount(syncRoomName(workshopId, board))))).some((count) => count > 0),
    }),
  })
  const history = new HistoryRecorder({
    store,
    log,
    idleMs: config.historyIdleMs,
    maxMs: config.historyMaxMs,
    retentionDays: config.historyRetentionDays,
    // [H10] other instances may have open changes in the journal of a shared store.
    sharedStore: fanout !== undefined,
  })
  // [H10] open changes a crash left in the journal are stored, and [H8] retention runs, at boot, before the first request.
  await history.start()
  // [C14] room control across instances, through Redis.
  const controlEvents = redis && new ControlEvents({ redis, log, heartbeatMs: HEARTBEAT_MS })
  const control = new ControlHub({
    store,
    log,
    ...(controlEvents && { cluster: controlEvents }),
    // [C8] a shape of the board: loaded here when a voter is on it (and its internal part, when a
    // team member is: an item there is internal, never voted on), else loaded for the check.
    itemOf: (workshopId, board, item) =>
      // [C14] Loaded for the check when no page here has it open (QA q29a: a cast on an instance
      // where the board was open only elsewhere was refused).
      rooms.withRoom(workshopId, board, (room) => {
        const shapeIn = (doc: Y.Doc | undefined) => {
          const found = doc ? readRecordKept(doc, item) : null // one record, not the board composed
          return found?.['typeName'] === 'shape' && typeof found['type'] === 'string' ? found['type'] : undefined
        }
        const shared = shapeIn(room.doc)
        if (shared !== undefined) return { type: shared, internal: false }
        const internal = shapeIn(room.internal?.doc)
        return internal === undefined ? undefined : { type: internal, internal: true }
      }),
    sharedItemsOf: (workshopId, board, items) =>
      rooms.withRoom(workshopId, board, async (room) => {
        // [C14] What other instances stored and announced first is in (a change told of on room control).
        await fanout?.caughtUp(room.name)
        return new Set(items.filter((item) => readRecordKept(room.doc, item)?.['typeName'] === 'shape'))
      }),
  })
  /** [A24][S37] This instance's rooms of the workshop judge by a sensitivity another instance stored. */
  const roomsHeardSensitivity = (workshopId: string, overrides: SensitivityOverrides, generation: number | undefined): void => {
    const sensitivity = resolveSensitivity(overrides)
    for (const board of BOARD_IDS) {
      const shared = rooms.get(syncRoomName(workshopId, board))
      const internal = rooms.get(internalRoomName(workshopId, board))
      // The shared room sets its internal room's too (and nothing when it knew the generation).
      if (shared) shared.heardSensitivityChange(sensitivity, generation)
      else if (internal) internal.sensitivity = sensitivity
    }
  }
  const accessEvents = new AccessEvents({
    redis,
    sessions,
    // Which boards and fields a guest sees changed on another instance: the live plan a guest's
    // link pickers read is read again ([A42]).
    control: {
      revoked: (workshopId, role) => control.revoked(workshopId, role),
      closeRevoked: (workshopId, generations, linksChanged) => control.closeRevoked(workshopId, generations, linksChanged),
      workshopChanged: (workshopId) => control.workshopChanged(workshopId),
      workshopIds: () => control.workshopIds(),
      accessChanged: (workshopId, customerFacing) => {
        snapshots.forgetLive(workshopId)
        control.accessChanged(workshopId, customerFacing)
      },
      sensitivityChanged: (workshopId, overrides) => {
        snapshots.forgetLive(workshopId)
        control.sensitivityChanged(workshopId, overrides)
      },
    },
    access: store,
    workshops: store,
    log,
    // [A35] values were moved by the instance that stored the change (and reach this one as rows);
    // [S37] this one's loaded boards move again, for what it accepted before it heard.
    onSensitivity: (workshopId, overrides, generation) => roomsHeardSensitivity(workshopId, overrides, generation),
  })
  accessEvents.start()
  controlEvents?.start(control)
  // ws closes a connection whose frame exceeds maxPayload with 1009 itself ([S6]).
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes })
  let closing = false
  const removal = new WorkshopRemoval({
    store,
    rooms,
    sessions,
    snapshots,
    log,
    onRemoving: (workshopId) => accessEvents.publish({ kind: 'deleted', workshopId }),
    // [S39] one instance deletes the workshop, so one deletes its key: the others need not hear of it.
    onRemoved: async (workshopId) => fanout?.forgetGeneration(workshopId),
  })
  const admit =
    options.authorize ??
    (async (connection: SyncConnectionRequest): Promise<Authorization> => {
      // [A21] a workshop being deleted takes no new connections.
      if (removal.isRemoving(connection.workshopId)) return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'workshop deleted' }
      const auth = await authorize({ access: store, sessions, tokenKeys: secrets.tokenKeys, failures }, connection)
      // [A21] an archived workshop is read-only for every role.
      if (auth.ok && (await store.getWorkshop(auth.workshopId))?.archivedAt !== undefined) return { ...auth, readOnly: true, archived: true }
      return auth
    })

  const app = new Hono()
  // [A12] first, so that every response (errors, static files, the SPA) carries the headers.
  app.use('*', securityHeaders())
  app.onError((error, c) => {
    if (error instanceof HttpError) return errorResponse(c, error.status, error.code, error.message)
    log.error('http.error', { method: c.req.method, path: c.req.path, error: String(error) })
    return errorResponse(c, 500, 'internal', 'internal server error')
  })

  // [A20] every REST body is capped before any route reads it, whoever sends it.
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.maxRequestBodyBytes,
      onError: (c) => {
        // The rest of the body is never read: the connection cannot carry another request, and a
        // client that reused it would see it closed under its next request.
        c.header('connection', 'close')
        return errorResponse(c, 413, 'payload_too_large', `the body is larger than ${config.maxRequestBodyBytes} bytes`)
      },
    }),
  )
  // [I5] 200 with Redis away: an instance without Redis still serves (per-instance limits), and a
  // balancer that took every instance out when Redis went away would stop the whole service. 503
  // with the database away: nothing anyone writes can be stored (QA q36a: it said ok).
  app.get('/api/health', async (c) => {
    const database = store.reachable && ((await store.reachable(HEALTH_DATABASE_TIMEOUT_MS)) ? 'ready' : 'down')
    const status = database === 'down' ? 'down' : redis === undefined || redis.state === 'ready' ? 'ok' : 'degraded'
    return c.json(
      {
        status,
        rooms: rooms.names().length,
        ...(database && { database }),
        ...(redis && { redis: redis.state }),
        ...(fanout && { fanout: fanout.fanout, presence: fanout.presenceMode }),
      },
      status === 'down' ? 503 : 200,
    )
  })
  app.route(
    '/api/workshops',
    workshopRoutes({
      store,
      guards,
      tokenKeys: secrets.tokenKeys,
      publicUrl: config.publicUrl,
      log,
      sessions,
      removal,
      onArchivedChanged: (workshopId, archived) => accessEvents.publish({ kind: 'archived', workshopId, archived }),
      // [C13] a new name reaches every open page at once, on every instance.
      onChanged: (workshopId) => {
        control.workshopChanged(workshopId)
        accessEvents.publish({ kind: 'workshop', workshopId })
      },
    }),
  )
  app.route(
    '/api/workshops',
    accessRoutes({
      guards,
      access: store,
      workshops: store,
      tokenKeys: secrets.tokenKeys,
      publicUrl: config.publicUrl,
      sessions,
      log,
      onSettingsChanged: (workshopId, customerFacing) => {
        snapshots.forgetLive(workshopId)
        control.accessChanged(workshopId, customerFacing)
        accessEvents.publish({ kind: 'settings', workshopId, customerFacing })
      },
      onRevoked: (workshopId, role) => {
        control.revoked(workshopId, role)
        accessEvents.publish({ kind: 'revoked', workshopId, role })
      },
      // [S39][S40] before the change commits: every row published from then on, by any instance,
      // carries it, and a receiver judging such a row waits for the commit. Not raised (Redis away
      // for this instance, or slow): the change rolls back.
      announceSensitivity: fanout && ((workshopId, generation) => fanout.announceChange(workshopId, generation, ANNOUNCE_UNDER_LOCK_MS)),
      // [A35] every board's values move now, loaded or not, so no stored view keeps a stale split.
      onSensitivityChanged: async (workshopId, sensitivity, generation) => {
        for (const board of BOARD_IDS) {
          await rooms.withRoom(workshopId, board, async (room) => {
            // [S37] rows of other instances stored before the change are moved too: the marker
            // this move writes vouches for every row the log holds before the change. [S39] Judged
            // by the change first: what the catch-up reads that is internal now is held from guests.
            room.judgeBy(sensitivity, generation)
            await fanout?.caughtUp(room.name)
            return room.rebalance(sensitivity)
          })
        }
        // [C11] after the moves: team pages route their next write of a field by its new sensitivity.
        snapshots.forgetLive(workshopId)
        control.sensitivityChanged(workshopId, sensitivity)
        accessEvents.publish({ kind: 'sensitivity', workshopId, overrides: sensitivity, generation })
      },
    }),
  )
  app.route('/api/workshops', snapshotCurationRoutes({ store, guards }))
  app.route('/api/workshops', snapshotRoutes({ store, snapshots, guards }))
  app.route(
    '/api/accounts',
    accountRoutes({
      store,
      guards,
      tokenKeys: secrets.tokenKeys,
      publicUrl: config.publicUrl,
      log,
      // [C13] as a rename in the Share panel: every open page of its workshops, on every instance.
      onWorkshopChanged: (workshopId) => {
        control.workshopChanged(workshopId)
        accessEvents.publish({ kind: 'workshop', workshopId })
      },
    }),
  )
  app.route('/api/workshops', historyRoutes({ store, rooms, history, guards, log }))
  app.route('/api/schema', schemaRoutes())
  app.all('/api/*', (c) => errorResponse(c, 404, 'not_found', 'no such API route'))

  // Plain GETs of the websocket paths; their upgrades are taken by `acceptWebSockets` below.
  app.all(`${SYNC_PATH}/*`, (c) => errorResponse(c, 426, 'upgrade_required', 'connect with a websocket'))
  app.all(`${CONTROL_PATH}/*`, (c) => errorResponse(c, 426, 'upgrade_required', 'connect with a websocket'))

  mountClient(app, options.clientDir ?? CLIENT_DIR)

  const admitSync = async (request: UpgradeRequest): Promise<AdmittedUpgrade> => {
    // No closure below names `request`: the socket's handlers would keep its URL and query (~0.5 KB)
    // for as long as it is open. What they need of it is read here.
    const { path } = request
    const userParam = request.params.get('user')
    const keyParam = request.params.get('key')
    const parsed = parseSyncPath(path)
    // [A16] behind trusted proxies, the address the outermost one saw.
    const address = clientAddress(request.remoteAddress, request.forwardedFor, config.trustProxyHops)
    const auth: Authorization = closing
      ? { ok: false, code: CLOSE_CODES.goingAway, reason: 'server shutting down' }
      : !parsed
        ? BAD_SYNC_PATH
        : await admit({ ...parsed, params: request.params, address }).catch(
            (error: unknown): Authorization => {
              log.error('sync.authorize_failed', { path, error: String(error) })
              return { ok: false, code: CLOSE_CODES.internalError, reason: 'could not check access' }
            },
          )
    if (!auth.ok) {
      return {
        open(ws) {
          // [S11] accept, then close with a 44xx code: a refused upgrade reaches browsers as a bare 1006.
          log.info('sync.rejected', { path, code: auth.code, reason: auth.reason })
          ws.close(auth.code, auth.reason)
        },
        abandon() {},
      }
    }
    // [A13] counted only once admitted, so refused sockets cost no slot; taken before the socket
    // opens because counting over every instance ([A25]) waits for Redis.
    const roomName = partRoomName(auth.workshopId, auth.board, auth.part)
    // A guest takes at most its share of the board's slots: the team's stay free ([A13]).
    const slot = await clusterConnections.acquire(roomName, address, auth.role === 'guest')
    return {
      abandon() {
        if (slot.ok) slot.release()
      },
      open(ws) {
        // Over a cap the socket is closed before it joins a room, so it receives no document data.
        if (!slot.ok) {
          log.info('sync.over_capacity', { room: roomName, reason: slot.reason })
          ws.close(CLOSE_CODES.tooManyConnections, slot.reason)
          return
        }
        const conn = new Connection(ws, {
          docName: roomName,
          readOnly: auth.readOnly,
          role: auth.role,
          // [S29] who this participant is, so that its reconnection may take over its client ids.
          userId: parseUserId(userParam),
          key: parseParticipantKey(keyParam),
          source: clientSource(address, secrets.orgKey, `${auth.role}:${auth.tokenId ?? ''}`),
          rates: config.rates,
          maxBufferedBytes: config.maxBufferedBytes,
          pingIntervalMs: config.pingIntervalMs,
          log,
        })
        // Given back when the socket closes, whoever closed it ([A13]).
        ws.on('close', (code: number) => {
          slot.release()
          conn.handleSocketClosed(code)
        })
        ws.on('error', (error: Error) => log.warn('sync.socket_error', { room: conn.docName, conn: conn.id, error: String(error) }))
        ws.on('message', (data, isBinary) => {
          const frame = isBinary ? (data as Buffer) : data.toString() // binaryType nodebuffer: one Buffer per message
          // [A14] before the frame is queued or decoded, so an oversized awareness update is never relayed.
          if (isOversizedAwareness(frame, config.maxAwarenessBytes)) {
            conn.close(CLOSE_CODES.messageTooBig, 'awareness update too large')
            return
          }
          conn.receive(frame)
        })
        // [A4][A6] access changed while this connection was being checked: check it again.
        const session = { workshopId: auth.workshopId, board: auth.board, role: auth.role, expiresAtMs: auth.expiresAtMs, archived: auth.archived === true, generation: auth.generation }
        if (!sessions.register(conn, session, auth.epoch)) {
          conn.close(CLOSE_CODES.tryAgainLater, 'access changed, reconnect')
          return
        }
        rememberConnectionRole(conn, auth.role)
        log.info('sync.open', { room: conn.docName, conn: conn.id, role: auth.role, readOnly: auth.readOnly, tokenId: auth.tokenId })
        void rooms.connect(conn, auth.workshopId, auth.board, auth.part)
      },
    }
  }

  const admitControl = async (request: UpgradeRequest): Promise<AdmittedUpgrade> => {
    const address = clientAddress(request.remoteAddress, request.forwardedFor, config.trustProxyHops)
    const auth: ControlAdmission = closing
      ? { ok: false, code: CLOSE_CODES.goingAway, reason: 'server shutting down' }
      : await authorizeControl(
          { tokenKeys: secrets.tokenKeys, access: store, failures },
          { pathname: request.path, params: request.params, address },
        ).catch((error: unknown): ControlAdmission => {
          log.error('control.authorize_failed', { error: String(error) })
          return { ok: false, code: CLOSE_CODES.internalError, reason: 'could not check access' }
        })
    return {
      abandon() {},
      open(ws) {
        if (!auth.ok) {
          log.info('control.rejected', { code: auth.code, reason: auth.reason })
          ws.close(auth.code, auth.reason)
          return
        }
        // Frames that arrive while the workshop's state loads wait for it, in order.
        const peer: Promise<ControlPeer | undefined> = control.join(auth, {
          send: (text) => {
            if (ws.readyState === ws.OPEN) ws.send(text)
          },
          close: (code, reason) => ws.close(code, reason),
        })
        log.info('control.open', { workshop: auth.workshopId, role: auth.role, tokenId: auth.tokenId })
        ws.on('message', (data, isBinary) => {
          const frame = isBinary ? (data as Buffer) : data.toString() // binaryType nodebuffer: one Buffer per message
          void peer.then((p) => p && control.receive(p, frame))
        })
        ws.on('close', () => void peer.then((p) => p && control.leave(p)))
      },
    }
  }

  const httpServer = createAdaptorServer({ fetch: app.fetch }) as Server // no createServer option: plain node:http
  acceptWebSockets(httpServer, wss, [
    { prefix: SYNC_PATH, admit: admitSync },
    { prefix: CONTROL_PATH, admit: admitControl },
  ])
  // A request Node's parser refuses (headers or URL over 16 KiB, a malformed request line or Host)
  // gets a JSON answer like every other refusal (QA q28c: the connection was dropped unanswered);
  // any other socket error is a closed connection, never a crash.
  httpServer.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Reset by the client, or a response already under way: nothing more can be said.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) return void socket.destroy()
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW'
    const body = JSON.stringify({ error: tooLarge ? { code: 'headers_too_large', message: 'the request line and headers are over 16 KiB' } : { code: 'bad_request', message: 'the request could not be parsed' } })
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  })
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject)
      resolve()
    })
  })
  const port = (httpServer.address() as AddressInfo).port // a TCP listener always has an AddressInfo
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= (async () => {
      closing = true
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeIdleConnections()
      await snapshots.close()
      await rooms.close()
      await fanout?.close()
      control.closeAll(CLOSE_CODES.goingAway, 'server shutting down')
      accessEvents.close()
      controlEvents?.close()
      // After the rooms: their last changes close and are stored before the store is.
      await history.close()
      for (const ws of wss.clients) ws.close(CLOSE_CODES.goingAway, 'server shutting down')
      // Peers have a moment to answer the close handshake; then the sockets are cut.
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate()
        httpServer.closeAllConnections()
      }, 2_000)
      await stopped
      clearTimeout(cut)
      await clusterConnections.close()
      log.info('server.closed', {})
    })()
    return closed
  }

  return {
    app, httpServer, url, port, rooms, snapshots, history, store, config, log, secrets, sessions, connections, clusterConnections, accessEvents, control, redis, fanout, close,
  }
}

/** How long a gap in a board's numbers waits for the bus before it is read from PostgreSQL. */
const GAP_WAIT_MS = 100
/**
 * [S40] How long a sensitivity change waits for Redis to raise its generation, its row lock held
 * (every append of the workshop waits for it): a Redis that does not answer by then is taken as
 * away, as when it is down, and the change rolls back (503).
 */
const ANNOUNCE_UNDER_LOCK_MS = 1_000
/** [I5] How long `/api/health` waits for the database to answer before it says `down`. */
const HEALTH_DATABASE_TIMEOUT_MS = 2_000
/** How often an instance tells the others it is alive (presence of a silent one goes after three). */
const HEARTBEAT_MS = 2_000

/** A store several instances share, which can fence compactions and share presence (PostgreSQL). */
function hasCompactionLeases(store: Store): store is Store & CompactionLeases & SharedPresence {
  return 'compactDocumentFenced' in store && 'acquireCompactionLease' in store && 'releaseCompactionLease' in store && 'writePresence' in store
}

function mountClient(app: Hono, clientDir: string): void {
  const indexFile = path.join(clientDir, 'index.html')
  if (!fs.existsSync(indexFile)) {
    app.get('*', (c) =>
      c.text('Keyplan: the client is not built yet. Run `npm run build` (or `npm start`), then reload.', 503),
    )
    return
  }
  app.use('*', serveStatic({ root: clientDir }))
  // SPA fallback: client-side routes such as /w/:id/:board get index.html.
  app.get('*', async (c) => c.html(await fs.promises.readFile(indexFile, 'utf8')))
}
