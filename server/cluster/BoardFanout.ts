/**
 * Board sync across instances (issue 17, docs/decisions/005-several-instances.md). Every instance
 * serves every board; PostgreSQL's per-board log is the truth, Redis only a hint:
 *
 * - An instance stores its clients' updates (group commit, per-board numbers without gaps), then
 *   publishes each stored row `(board, seq, bytes)` on the board's channel.
 * - Another instance with that room open applies rows in sequence order and relays them to its
 *   clients at once ({@link BoardSequence}): they are checked and durable already, so they are
 *   never stored again. A gap in the numbers is filled from PostgreSQL with `readUpdatesSince`
 *   after a short wait, and so is everything after Redis comes back, and whatever a periodic
 *   safety poll finds.
 * - Without Redis the same reads run on a timer for every open room: slower, nothing lost.
 * - Presence crosses instances on the same channel ({@link ClusterPresence}).
 * - Compaction of a board is done by one instance at a time ({@link CompactionLeaseHolder}).
 *
 * This class is the transport: it subscribes to the channels of the rooms it follows, decodes
 * what arrives and hands it on, and runs the poll timer.
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type { Logger } from '../log.ts'
import type { CompactionLeases, SharedPresence, Store } from '../store/Store.ts'
import type { CompactionCluster } from '../sync/LogCompactor.ts'
import type { Room, RowJudged } from '../sync/Room.ts'
import { BoardSequence } from './BoardSequence.ts'
import { BUS_KIND, HEARTBEAT_CHANNEL, boardChannel, decodeBusMessage, encodeBusMessage, encodeRowForScript, sensitivityGenerationKey, type BusMessage } from './busMessages.ts'
import { ClusterPresence, MISSED_HEARTBEATS } from './ClusterPresence.ts'
import { CompactionLeaseHolder } from './CompactionLeaseHolder.ts'
import type { RedisLink } from './RedisLink.ts'

const BOARD_CHANNEL_PREFIX = boardChannel('')

/** How updates reach the other instances now: through Redis, or by polling PostgreSQL alone. */
export type FanoutMode = 'redis' | 'postgres-polling'

export type BoardFanoutOptions = {
  store: Store & CompactionLeases & SharedPresence
  /** Undefined: no `REDIS_URL`, PostgreSQL polling only. */
  redis: RedisLink | undefined
  log: Logger
  /** Poll interval for open rooms while Redis is away (or not configured). */
  pollMs: number
  /** Safety poll interval for open rooms while Redis works (a last message may have been dropped). */
  safetyPollMs: number
  /** How long a gap in a board's numbers may wait for the bus before it is read from PostgreSQL. */
  gapWaitMs: number
  /** How long a compaction lease lasts; each fenced compaction extends it. */
  leaseMs: number
  /** Heartbeat interval; an instance silent for three is taken for dead (and its presence rows expire after three). */
  heartbeatMs: number
}

/** [S41] How many times a writer re-creating a lost generation key raises it while the store is ahead. */
const RECREATE_ROUNDS = 3

/** One open room followed by the fan-out. */
type Follow = {
  room: Room
  channel: string
  sequence: BoardSequence
  stop: () => void
}

export class BoardFanout implements CompactionCluster {
  /** This process, as other instances and compaction leases know it. */
  readonly instanceId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  private readonly follows = new Map<string, Follow>()
  private readonly presence: ClusterPresence
  private readonly leases: CompactionLeaseHolder
  private readonly timer: NodeJS.Timeout
  /** [S39] Looks for rows held from guests whose writer is gone, once per heartbeat. */
  private readonly takeOverTimer: NodeJS.Timeout
  private readonly stopReady: (() => void) | undefined
  private lastPollMs = 0
  private mode: FanoutMode
  private closed = false

  constructor(private readonly options: BoardFanoutOptions) {
    const { redis, store, log } = options
    this.mode = this.fanout
    this.presence = new ClusterPresence({
      instanceId: this.instanceId,
      publish: (channel, message) => this.publish(channel, message),
      room: (docName) => this.follows.get(docName)?.room,
      log,
      heartbeatMs: redis && options.heartbeatMs,
      shared: store,
      sharedTtlMs: MISSED_HEARTBEATS * options.heartbeatMs,
    })
    this.leases = new CompactionLeaseHolder({ store, log, owner: this.instanceId, leaseMs: options.leaseMs })
    this.timer = setInterval(() => this.tick(), options.pollMs)
    this.timer.unref()
    this.takeOverTimer = setInterval(() => this.takeOverHeldRows(Date.now()), options.heartbeatMs)
    this.takeOverTimer.unref()
    if (redis) {
      redis.subscriber.on('messageBuffer', this.onMessage)
      void redis.subscriber.subscribe(HEARTBEAT_CHANNEL).catch(() => undefined)
      this.stopReady = redis.onReady(() => this.redisReady())
      if (redis.state === 'ready') this.presence.redisReady(Date.now())
    }
  }

  /** How updates cross instances right now, for `/api/health`. */
  get fanout(): FanoutMode {
    return this.options.redis?.state === 'ready' ? 'redis' : 'postgres-polling'
  }

  /** How presence crosses instances right now, for `/api/health`: the same way as updates ([S33]). */
  get presenceMode(): FanoutMode {
    return this.fanout
  }

  /** RoomManager `onRoomLoaded`: follows the room's commits and awareness, and other instances' rows. */
  follow(room: Room): void {
    if (this.closed) return
    const channel = boardChannel(room.name)
    const sequence = new BoardSequence(room, { store: this.options.store, log: this.options.log, gapWaitMs: this.options.gapWaitMs })
    const onCommitted = (seq: number, update: Uint8Array, _room: Room, judged: RowJudged) => {
      // [S1] the row is committed: only now may other instances hear of it.
      this.publishRow(room, channel, seq, update, judged)
      sequence.accept(seq, undefined)
    }
    room.on('committed', onCommitted)
    const stopPresence = this.presence.follow(room, channel)
    const f: Follow = { room, channel, sequence, stop: () => undefined }
    const onDestroy = () => this.unfollow(f)
    room.doc.on('destroy', onDestroy)
    f.stop = () => {
      room.off('committed', onCommitted)
      stopPresence()
      room.doc.off('destroy', onDestroy)
      sequence.stop()
    }
    this.follows.set(room.name, f)
    const subscribed = this.options.redis?.subscriber.subscribe(channel).catch(() => undefined) ?? Promise.resolve()
    // Rows stored between the room's load and the subscription reached nobody here: read them.
    void subscribed.then(() => {
      if (this.follows.get(room.name) !== f) return
      void sequence.catchUp()
      this.presence.query(channel)
    })
  }

  /**
   * Resolves once the room has applied every row PostgreSQL holds for it now. A client joining
   * here may hold rows another instance stored and relayed but this one has not heard of (that
   * instance died before publishing, or the bus is slow); its next update builds on them, and the
   * guard would refuse it as referencing structs the board does not have ([S26]). So a connection
   * joins only after this ([S32]).
   */
  async caughtUp(docName: string): Promise<void> {
    await this.follows.get(docName)?.sequence.catchUp()
  }

  /** {@link CompactionCluster}: the room's applied prefix, once it is followed. */
  appliedSeq(docName: string): number | undefined {
    return this.follows.get(docName)?.sequence.applied
  }

  /** {@link CompactionCluster}: compacts under this instance's lease of the board, taking it if free. */
  compact(docName: string, merged: Uint8Array, upToSeq: number): Promise<boolean> {
    return this.leases.compact(docName, merged, upToSeq)
  }

  /**
   * [S39] Raises the workshop's sensitivity generation on Redis: from then on every row published,
   * by any instance, however late, tells receivers of it. For what an instance learnt from the
   * store (a publish that found a newer generation or none, a refused append): without Redis, or
   * with Redis away, nothing is raised (logged); rows then travel through the store, whose
   * catch-up reads the sensitivity first. Never throws.
   */
  async announceGeneration(workshopId: string, generation: number): Promise<void> {
    if (this.options.redis?.state !== 'ready') return
    await this.raise(workshopId, generation).catch((error: unknown) => {
      this.options.log.warn('cluster.generation_announce_failed', { workshop: workshopId, error: String(error) })
    })
  }

  /**
   * [S40] Raises the generation of a change about to commit (its transaction open, the access
   * row's lock held). Rejects when Redis is configured and does not hold the raise within
   * `timeoutMs` (away for this instance, reconnecting for longer, failing, or silent): the change
   * must then roll back, since an instance that has not heard of it would relay rows published
   * after its commit by the old sensitivity (they would carry the old generation). A late answer
   * after the timeout leaves the key ahead of the store, which only costs judging rows by content
   * until the next change. Without Redis (PostgreSQL polling only) resolves: no row carries a
   * generation then.
   */
  async announceChange(workshopId: string, generation: number, timeoutMs: number): Promise<void> {
    const { redis } = this.options
    if (!redis) return
    let timer: NodeJS.Timeout | undefined
    let stopWaiting: (() => void) | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`generation not raised within ${timeoutMs} ms (Redis ${redis.state})`)), timeoutMs)
    })
    try {
      // Connecting at start, or back from a short outage: it may be ready within the deadline.
      if (redis.state !== 'ready') await Promise.race([new Promise<void>((resolve) => (stopWaiting = redis.onReady(resolve))), timedOut])
      const raised = this.raise(workshopId, generation)
      // A late answer after the timeout is a raise all the same; its failure has been answered for.
      raised.catch(() => undefined)
      await Promise.race([raised, timedOut])
    } finally {
      clearTimeout(timer)
      stopWaiting?.()
    }
  }

  private async raise(workshopId: string, generation: number): Promise<void> {
    const { redis } = this.options
    if (!redis) return
    await redis.raiseGeneration(sensitivityGenerationKey(workshopId), generation)
  }

  /**
   * [S39] Deletes a permanently deleted workshop's generation key, so Redis keeps none of it. Called
   * once the store has removed the workshop's rows: no change of its sensitivity can be stored any
   * more, so nothing raises the key again, and a row of it still published (a writer that paused
   * before its publish) only reads the key, which the publish script never creates; it finds 0,
   * which matters to no one, every session of the workshop being closed and its rooms refused. Redis
   * down: the key is left (logged), the deletion goes on.
   */
  async forgetGeneration(workshopId: string): Promise<void> {
    const { redis, log } = this.options
    if (!redis) return
    await redis.commands.del(sensitivityGenerationKey(workshopId)).catch((error: unknown) => {
      log.warn('cluster.generation_forget_failed', { workshop: workshopId, error: String(error) })
    })
  }

  /** Stops following; lets this instance's compaction leases go. Called after the rooms closed. */
  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    clearInterval(this.takeOverTimer)
    this.stopReady?.()
    await this.presence.close()
    this.options.redis?.subscriber.off('messageBuffer', this.onMessage)
    for (const f of [...this.follows.values()]) this.unfollow(f)
    await this.leases.settled()
  }

  private unfollow(f: Follow): void {
    f.stop()
    const name = f.room.name
    if (this.follows.get(name) !== f) return
    this.follows.delete(name)
    void this.options.redis?.subscriber.unsubscribe(f.channel).catch(() => undefined)
    this.leases.release(name)
  }

  private readonly onMessage = (channelBuffer: Buffer, data: Buffer): void => {
    // The subscriber connection is shared: the access events' channel is not the bus's (JSON, not a bus message).
    const channel = channelBuffer.toString()
    if (channel !== HEARTBEAT_CHANNEL && !channel.startsWith(BOARD_CHANNEL_PREFIX)) return
    let message: BusMessage
    try {
      message = decodeBusMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    } catch (error) {
      this.options.log.warn('cluster.bad_message', { error: String(error) })
      return
    }
    if (message.instance === this.instanceId) return
    const from = this.presence.heard(message.instance)
    if (message.kind === BUS_KIND.heartbeat) return
    const f = this.follows.get(channel.slice(BOARD_CHANNEL_PREFIX.length))
    if (!f) return
    switch (message.kind) {
      case BUS_KIND.update:
        f.sequence.accept(message.seq, message.update, message)
        return
      case BUS_KIND.awareness:
        this.presence.applyRemote(f.room, from, message.update)
        return
      case BUS_KIND.awarenessQuery:
        this.presence.answerQuery(f.room, f.channel)
        return
    }
  }

  /**
   * [S39] Publishes a committed row with how it was judged; Redis appends the newest generation it
   * knows of the workshop. One newer than the room's (this instance has not heard of a change, and
   * published a row stored before it): the room reads the stored sensitivity, which moves its board
   * ([S37]), so that the receivers holding the row get the writer's move. [S41] No generation (the
   * key was lost with a Redis restart, or never raised): the room reads it too, for the same move,
   * and raises the key to the stored one, so that later rows tell receivers again.
   */
  private publishRow(room: Room, channel: string, seq: number, update: Uint8Array, judged: RowJudged): void {
    const { redis, log } = this.options
    if (redis?.state !== 'ready') return
    const head = encodeRowForScript({ kind: BUS_KIND.update, instance: this.instanceId, seq, update, generation: judged.generation, clean: judged.clean })
    redis
      .publishRow(sensitivityGenerationKey(room.workshopId), channel, head)
      .then(async (known) => {
        const generation = room.sensitivityGeneration
        if (generation === undefined) return
        if (known !== undefined && known <= generation) return
        const stored = await room.readStoredSensitivity()
        // A workshop that is gone gets no key again.
        if (known === undefined && stored !== undefined) await this.recreateGeneration(room, stored)
      })
      .catch((error: unknown) => log.debug('cluster.publish_failed', { channel, error: String(error) }))
  }

  /**
   * [S41] Re-creates a key Redis lost with the generation read from the store. That read may come
   * just before a change raised the key, and Redis may restart between that raise and this one: the
   * key would then be re-created one generation behind the change, and rows published after it
   * would tell no one of it. So the store is read again after each raise, settled ([S40]: it waits
   * for a change in flight, whose raise came before this one), and the key raised again while the
   * store is ahead; after {@link RECREATE_ROUNDS} rounds (a restart per round) it is logged.
   */
  private async recreateGeneration(room: Room, stored: number): Promise<void> {
    let raised = stored
    for (let round = 0; round < RECREATE_ROUNDS; round++) {
      await this.announceGeneration(room.workshopId, raised)
      const now = await room.readStoredSensitivity()
      if (now === undefined || now <= raised) return
      raised = now
    }
    this.options.log.warn('cluster.generation_behind_store', { workshop: room.workshopId, stored: raised })
  }

  /**
   * [S39] Rows another instance wrote are held from guests until its move reaches them; exactly one
   * instance moves. Only if the writer is gone (silent for {@link MISSED_HEARTBEATS} heartbeats) or
   * unknown (rows read from the store) and the rows were held as long, the instance holding the
   * board's compaction lease ([S35]) moves them, the others still waiting for its rows.
   */
  private takeOverHeldRows(now: number): void {
    const deadMs = MISSED_HEARTBEATS * this.options.heartbeatMs
    for (const f of this.follows.values()) {
      const held = f.room.heldRows
      if (!held || now - held.sinceMs < deadMs) continue
      const gone = [...held.writers].some((writer) => writer === undefined || !this.presence.alive(writer, now, deadMs))
      if (!gone) continue
      void this.leases
        .lead(f.room.name)
        .then((leads) => (leads ? f.room.moveHeld() : undefined))
        .catch((error: unknown) => this.options.log.warn('sync.held_rows_move_failed', { room: f.room.name, error: String(error) }))
    }
  }

  /** Publishes if Redis is up; when it is not, the others read the log from PostgreSQL. */
  private publish(channel: string, message: BusMessage): void {
    const { redis } = this.options
    if (redis?.state !== 'ready') return
    redis.commands.publish(channel, Buffer.from(encodeBusMessage(message))).catch((error: unknown) => {
      this.options.log.debug('cluster.publish_failed', { channel, error: String(error) })
    })
  }

  private redisReady(): void {
    this.presence.redisReady(Date.now())
    // What was published while this instance was not listening is in PostgreSQL.
    for (const f of this.follows.values()) {
      void f.sequence.catchUp()
      this.presence.query(f.channel)
    }
  }

  private tick(): void {
    const mode = this.fanout
    if (mode !== this.mode) {
      this.mode = mode
      if (mode === 'redis') this.options.log.info('cluster.fanout_restored', { fanout: mode })
      else this.options.log.warn('cluster.fanout_degraded', { fanout: mode })
    }
    const now = Date.now()
    if (now - this.lastPollMs >= (mode === 'redis' ? this.options.safetyPollMs : this.options.pollMs)) {
      this.lastPollMs = now
      for (const f of this.follows.values()) void f.sequence.catchUp()
      if (mode === 'postgres-polling') void this.presence.shareThroughStore([...this.follows.values()].map((f) => f.room), now)
    }
    if (mode === 'redis') this.presence.removeSilentInstances(now)
  }
}
