/**
 * Board sync across instances (issue 17, docs/decisions/005-several-instances.md). Every instance
 * serves every board; PostgreSQL's per-board log is the truth, Redis only a hint:
 *
 * - An instance stores its clients' updates (group commit, per-board numbers without gaps), then
 *   publishes each stored row `(board, seq, bytes)` on the board's channel.
 * - Another instance with that room open applies rows in sequence order and relays them to its
 *   clients at once: they are checked and durable already, so they are never stored again. A gap
 *   in the numbers (a message the bus dropped, an instance killed between its commit and its
 *   publish) is filled from PostgreSQL with `readUpdatesSince` after a short wait, and so is
 *   everything after Redis comes back, and whatever a periodic safety poll finds.
 * - Without Redis the same reads run on a timer for every open room: slower, nothing lost.
 * - Awareness (presence) crosses instances on the same channel; the states of an instance that
 *   stops sending heartbeats are removed everywhere.
 * - Compaction of a board is done by one instance at a time, under a lease with an epoch that the
 *   compaction's transaction checks ({@link CompactionLeases}).
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { Logger } from '../log.ts'
import { FencedError, type CompactionLeases, type Store } from '../store/Store.ts'
import type { CompactionCluster } from '../sync/LogCompactor.ts'
import type { Room } from '../sync/Room.ts'
import { BUS_KIND, HEARTBEAT_CHANNEL, boardChannel, decodeBusMessage, encodeBusMessage, type BusMessage } from './busMessages.ts'
import type { RedisLink } from './RedisLink.ts'

/** How updates reach the other instances now: through Redis, or by polling PostgreSQL alone. */
export type FanoutMode = 'redis' | 'postgres-polling'

export type BoardFanoutOptions = {
  store: Store & CompactionLeases
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
  /** Heartbeat interval; an instance silent for three is taken for dead. */
  heartbeatMs: number
}

/** Rows received ahead of a gap are kept up to this many; beyond, the catch-up reads them again. */
const MAX_PENDING_ROWS = 1_000
/** Heartbeats an instance may miss before its clients' presence is removed. */
const MISSED_HEARTBEATS = 3

/** One open room followed by the fan-out. */
type Follow = {
  room: Room
  channel: string
  /** Every row of the board up to this one is applied in the room's doc. */
  applied: number
  /** This instance's own rows above `applied` (stored out of order with other instances' rows). */
  own: Set<number>
  /** Other instances' rows above `applied + 1`, waiting for the gap to fill. */
  pending: Map<number, Uint8Array>
  gapTimer: NodeJS.Timeout | undefined
  catchingUp: Promise<void> | undefined
  /** Another catch-up was asked for while one ran. */
  again: boolean
  stop: () => void
}

/** The origin of awareness changes that came from (or are about) another instance. */
class RemoteInstance {
  lastSeenMs = Date.now()
  /** Awareness client ids it announced, per board. */
  readonly clients = new Map<string, Set<number>>()
  constructor(readonly id: string) {}
}

export class BoardFanout implements CompactionCluster {
  /** This process, as other instances and compaction leases know it. */
  readonly instanceId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  private readonly follows = new Map<string, Follow>()
  private readonly instances = new Map<string, RemoteInstance>()
  /** Compaction lease epochs this instance holds, by board. */
  private readonly leases = new Map<string, number>()
  private readonly releases = new Set<Promise<void>>()
  private readonly timer: NodeJS.Timeout
  private readonly heartbeat: NodeJS.Timeout | undefined
  private readonly stopReady: (() => void) | undefined
  private lastPollMs = 0
  private readySinceMs = 0
  private mode: FanoutMode
  private closed = false

  constructor(private readonly options: BoardFanoutOptions) {
    const { redis } = options
    this.mode = redis?.state === 'ready' ? 'redis' : 'postgres-polling'
    this.timer = setInterval(() => this.tick(), options.pollMs)
    this.timer.unref()
    if (redis) {
      redis.subscriber.on('messageBuffer', this.onMessage)
      void redis.subscriber.subscribe(HEARTBEAT_CHANNEL).catch(() => undefined)
      this.heartbeat = setInterval(() => this.publish(HEARTBEAT_CHANNEL, { kind: BUS_KIND.heartbeat, instance: this.instanceId }), options.heartbeatMs)
      this.heartbeat.unref()
      this.stopReady = redis.onReady(() => this.redisReady())
      if (redis.state === 'ready') this.readySinceMs = Date.now()
    }
  }

  /** How updates cross instances right now, for `/api/health`. */
  get fanout(): FanoutMode {
    return this.options.redis?.state === 'ready' ? 'redis' : 'postgres-polling'
  }

  /** RoomManager `onRoomLoaded`: follows the room's commits and awareness, and other instances' rows. */
  follow(room: Room): void {
    if (this.closed) return
    const channel = boardChannel(room.name)
    const f: Follow = {
      room,
      channel,
      applied: room.loadedSeq,
      own: new Set(),
      pending: new Map(),
      gapTimer: undefined,
      catchingUp: undefined,
      again: false,
      stop: () => undefined,
    }
    const onCommitted = (seq: number, update: Uint8Array) => {
      // [S1] the row is committed: only now may other instances hear of it.
      this.publish(channel, { kind: BUS_KIND.update, instance: this.instanceId, seq, update })
      this.accept(f, seq, undefined)
    }
    const onAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => this.onAwareness(f, changes, origin)
    room.on('committed', onCommitted)
    room.awareness.on('update', onAwareness)
    const onDestroy = () => this.unfollow(f)
    room.doc.on('destroy', onDestroy)
    f.stop = () => {
      room.off('committed', onCommitted)
      room.awareness.off('update', onAwareness)
      room.doc.off('destroy', onDestroy)
      clearTimeout(f.gapTimer)
    }
    this.follows.set(room.name, f)
    const subscribed = this.options.redis?.subscriber.subscribe(channel).catch(() => undefined) ?? Promise.resolve()
    // Rows stored between the room's load and the subscription reached nobody here: read them.
    void subscribed.then(() => {
      if (this.follows.get(room.name) !== f) return
      void this.catchUp(f)
      this.publish(channel, { kind: BUS_KIND.awarenessQuery, instance: this.instanceId })
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
    const f = this.follows.get(docName)
    if (f) await this.catchUp(f)
  }

  /** {@link CompactionCluster}: the room's applied prefix, once it is followed. */
  appliedSeq(docName: string): number | undefined {
    return this.follows.get(docName)?.applied
  }

  /** {@link CompactionCluster}: compacts under this instance's lease of the board, taking it if free. */
  async compact(docName: string, merged: Uint8Array, upToSeq: number): Promise<boolean> {
    const { store, log, leaseMs } = this.options
    let epoch = this.leases.get(docName)
    if (epoch === undefined) {
      epoch = await store.acquireCompactionLease(docName, this.instanceId, leaseMs)
      if (epoch === undefined) {
        log.debug('cluster.lease_held_elsewhere', { room: docName })
        return false
      }
      this.leases.set(docName, epoch)
      log.info('cluster.lease_acquired', { room: docName, epoch })
    }
    try {
      await store.compactDocumentFenced(docName, merged, upToSeq, { owner: this.instanceId, epoch, ttlMs: leaseMs })
      return true
    } catch (error) {
      if (!(error instanceof FencedError)) throw error
      // Another instance took the board over while this one was away (paused, cut off): it wrote nothing.
      if (this.leases.get(docName) === epoch) this.leases.delete(docName)
      log.warn('sync.compaction_fenced', { room: docName, epoch })
      return false
    }
  }

  /** Stops following; lets this instance's compaction leases go. Called after the rooms closed. */
  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    clearInterval(this.heartbeat)
    this.stopReady?.()
    this.options.redis?.subscriber.off('messageBuffer', this.onMessage)
    for (const f of [...this.follows.values()]) this.unfollow(f)
    await Promise.allSettled([...this.releases])
  }

  private unfollow(f: Follow): void {
    f.stop()
    const name = f.room.name
    if (this.follows.get(name) !== f) return
    this.follows.delete(name)
    void this.options.redis?.subscriber.unsubscribe(f.channel).catch(() => undefined)
    const epoch = this.leases.get(name)
    if (epoch !== undefined) {
      // The room is gone from here: whoever serves the board next may compact it at once.
      this.leases.delete(name)
      const release: Promise<void> = this.options.store
        .releaseCompactionLease(name, this.instanceId, epoch)
        .catch((error: unknown) => this.options.log.warn('cluster.lease_release_failed', { room: name, error: String(error) }))
        .finally(() => this.releases.delete(release))
      this.releases.add(release)
    }
  }

  /** Row `seq` of the room's board: this instance's own (`update` undefined) or another's. */
  private accept(f: Follow, seq: number, update: Uint8Array | undefined): void {
    if (seq <= f.applied) return
    if (seq === f.applied + 1) {
      if (update) f.room.applyRemote(update, seq)
      f.applied = seq
      this.drain(f)
      return
    }
    if (update === undefined) f.own.add(seq)
    else if (f.pending.size < MAX_PENDING_ROWS) f.pending.set(seq, update)
    // A gap: the rows between are usually on the bus already; if not soon, PostgreSQL has them.
    this.waitForGap(f)
  }

  /** Applies what follows `applied` without a gap. */
  private drain(f: Follow): void {
    for (;;) {
      const next = f.applied + 1
      if (f.own.delete(next)) {
        f.applied = next
        continue
      }
      const update = f.pending.get(next)
      if (update === undefined) break
      f.pending.delete(next)
      f.room.applyRemote(update, next)
      f.applied = next
    }
    for (const seq of f.own) if (seq <= f.applied) f.own.delete(seq)
    for (const seq of f.pending.keys()) if (seq <= f.applied) f.pending.delete(seq)
    if (f.own.size === 0 && f.pending.size === 0) {
      clearTimeout(f.gapTimer)
      f.gapTimer = undefined
    } else {
      // Rows above a gap the last read did not reach (committed after it): wait for them again.
      this.waitForGap(f)
    }
  }

  /** Reads the log if a gap in the room's numbers is not filled by the bus soon. */
  private waitForGap(f: Follow): void {
    f.gapTimer ??= setTimeout(() => {
      f.gapTimer = undefined
      void this.catchUp(f)
    }, this.options.gapWaitMs)
  }

  /** Reads and applies every row above `applied` from PostgreSQL (one read at a time per room). */
  private catchUp(f: Follow): Promise<void> {
    if (f.catchingUp) {
      f.again = true
      return f.catchingUp
    }
    const run = async () => {
      do {
        f.again = false
        let since
        try {
          since = await this.options.store.readUpdatesSince(f.room.name, f.applied)
        } catch (error) {
          this.options.log.warn('cluster.catch_up_failed', { room: f.room.name, error: String(error) })
          return
        }
        if (this.follows.get(f.room.name) !== f) return
        for (const [i, seq] of since.seqs.entries()) {
          if (seq <= f.applied) continue
          const update = since.updates[i]
          // Applied even when the number is one of this instance's own rows: another instance's
          // compaction may have stored its merged row under that number, holding rows this room
          // lacks. An own row applied again changes nothing (Yjs skips what the doc has).
          if (update !== undefined) f.room.applyRemote(update, seq)
          f.applied = seq
        }
        this.drain(f)
      } while (f.again)
    }
    f.catchingUp = run().finally(() => {
      f.catchingUp = undefined
    })
    return f.catchingUp
  }

  private onAwareness(f: Follow, { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    if (origin instanceof RemoteInstance) {
      let clients = origin.clients.get(f.room.name)
      if (!clients) origin.clients.set(f.room.name, (clients = new Set()))
      for (const id of [...added, ...updated]) clients.add(id)
      for (const id of removed) clients.delete(id)
      return
    }
    // Every instance times out silent states on its own.
    if (origin === 'timeout') return
    const changed = [...added, ...updated, ...removed]
    if (changed.length === 0) return
    this.publish(f.channel, {
      kind: BUS_KIND.awareness,
      instance: this.instanceId,
      update: awarenessProtocol.encodeAwarenessUpdate(f.room.awareness, changed),
    })
  }

  private readonly onMessage = (channelBuffer: Buffer, data: Buffer): void => {
    let message: BusMessage
    try {
      message = decodeBusMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    } catch (error) {
      this.options.log.warn('cluster.bad_message', { error: String(error) })
      return
    }
    if (message.instance === this.instanceId) return
    const from = this.instance(message.instance)
    from.lastSeenMs = Date.now()
    if (message.kind === BUS_KIND.heartbeat) return
    const f = this.follows.get(channelBuffer.toString().slice(boardChannel('').length))
    if (!f) return
    switch (message.kind) {
      case BUS_KIND.update:
        this.accept(f, message.seq, message.update)
        return
      case BUS_KIND.awareness:
        try {
          awarenessProtocol.applyAwarenessUpdate(f.room.awareness, message.update, from)
        } catch (error) {
          this.options.log.warn('cluster.bad_awareness', { room: f.room.name, instance: message.instance, error: String(error) })
        }
        return
      case BUS_KIND.awarenessQuery: {
        const local = [...f.room.connections].flatMap((conn) => [...conn.awarenessIds]).filter((id) => f.room.awareness.getStates().has(id))
        if (local.length === 0) return
        this.publish(f.channel, { kind: BUS_KIND.awareness, instance: this.instanceId, update: awarenessProtocol.encodeAwarenessUpdate(f.room.awareness, local) })
        return
      }
    }
  }

  private instance(id: string): RemoteInstance {
    let found = this.instances.get(id)
    if (!found) this.instances.set(id, (found = new RemoteInstance(id)))
    return found
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
    this.readySinceMs = Date.now()
    // Instances were unheard while Redis was away, not dead.
    for (const instance of this.instances.values()) instance.lastSeenMs = this.readySinceMs
    // What was published while this instance was not listening is in PostgreSQL.
    for (const f of this.follows.values()) {
      void this.catchUp(f)
      this.publish(f.channel, { kind: BUS_KIND.awarenessQuery, instance: this.instanceId })
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
      for (const f of this.follows.values()) void this.catchUp(f)
    }
    if (mode === 'redis') this.removeSilentInstances(now)
  }

  /** Removes the presence of clients of instances that stopped sending heartbeats (killed, cut off). */
  private removeSilentInstances(now: number): void {
    const silence = MISSED_HEARTBEATS * this.options.heartbeatMs
    if (now - this.readySinceMs < silence) return
    for (const [id, instance] of this.instances) {
      if (now - instance.lastSeenMs < silence) continue
      this.instances.delete(id)
      for (const [name, clients] of instance.clients) {
        const room = this.follows.get(name)?.room
        const present = [...clients].filter((client) => room?.awareness.getStates().has(client))
        if (room && present.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, present, instance)
      }
      this.options.log.warn('cluster.instance_gone', { instance: id })
    }
  }
}
