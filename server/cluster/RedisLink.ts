/**
 * The instance's link to Redis (`REDIS_URL`, issue 17): one connection for commands and shared
 * counters, one for subscriptions (a subscribed Redis connection can run nothing else). Both
 * reconnect on their own with a capped back-off; commands issued while Redis is away fail at once
 * instead of queueing, and those it does not answer fail after a deadline, so callers fall back
 * (sync keeps working on PostgreSQL alone) rather than wait. {@link RedisLink.state} says whether Redis is usable now, for `/api/health`.
 *
 * @example
 * ```ts
 * const redis = RedisLink.connect(config.redisUrl, log)
 * redis.onSubscriberReady(() => resubscribeEverything())
 * await redis.commands.publish('keyplan:board:w1/swot', frame)
 * ```
 */
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../log.ts'
import { PUBLISH_ROW_SCRIPT, RAISE_GENERATION_SCRIPT } from './busMessages.ts'

/** The scripts {@link RedisLink.connect} defines on its command connection (EVALSHA, loaded on first use). */
type Scripts = {
  keyplanPublishRow(generationKey: string, channel: string, head: Buffer): Promise<number>
  keyplanRaiseGeneration(generationKey: string, generation: number): Promise<number>
}

/** Longest wait between two reconnect attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000
/**
 * Longest a command waits for its answer. A Redis that stops answering without closing the
 * connection (paused, overloaded, a half-open link) stays `ready` to ioredis; without a deadline
 * every caller would wait for it: each signed-in request in its failed-token check, each publish.
 * Timed out, a command fails as it does while Redis is away, and the caller's fallback decides
 * (the rate limiter's memory, the store's log). Every command Keyplan sends is O(1).
 */
const COMMAND_TIMEOUT_MS = 2_000

/** How often the link asks Redis whether it still answers (a PING on the command connection). */
const WATCH_EVERY_MS = 1_000
/**
 * A PING not answered within this long: Redis stopped answering with its connections open (paused,
 * swapping, a half-open link). ioredis keeps such a link `ready`, so without this every instance
 * went on as if Redis carried its events while none arrived (QA of session 37: a board made
 * internal on one instance while Redis was paused never reached the others).
 */
const SILENT_AFTER_MS = 1_500

/** Whether Redis can be used now: `ready` once both connections are up, `down` otherwise. */
export type RedisState = 'ready' | 'down'

export class RedisLink {
  private readonly readyListeners = new Set<() => void>()
  private readonly downListeners = new Set<() => void>()
  private closed = false
  /** Set while Redis does not answer the watch's PING (its connections may still be open). */
  private silent = false
  private watching: NodeJS.Timeout | undefined
  private pinging = false

  private constructor(
    /** Commands, counters, `PUBLISH`. Fails fast while Redis is away (no offline queue), and after {@link COMMAND_TIMEOUT_MS} while it is silent. */
    readonly commands: Redis,
    /** `SUBSCRIBE` only. Subscriptions are restored by ioredis after a reconnect. */
    readonly subscriber: Redis,
  ) {}

  /**
   * Connects to `url` (`redis://host:port/db`). Never throws for an unreachable server: the link
   * starts `down` and comes up when Redis does.
   */
  static connect(url: string, log: Logger): RedisLink {
    const options: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      lazyConnect: false,
    }
    const commands = new Redis(url, { ...options, commandTimeout: COMMAND_TIMEOUT_MS })
    commands.defineCommand('keyplanPublishRow', { numberOfKeys: 2, lua: PUBLISH_ROW_SCRIPT })
    commands.defineCommand('keyplanRaiseGeneration', { numberOfKeys: 1, lua: RAISE_GENERATION_SCRIPT })
    const link = new RedisLink(commands, new Redis(url, { ...options, enableOfflineQueue: true }))
    for (const [role, connection] of [['commands', link.commands], ['subscriber', link.subscriber]] as const) {
      connection.on('ready', () => {
        log.info('redis.ready', { role })
        if (link.state === 'ready') for (const listener of link.readyListeners) listener()
      })
      connection.on('end', () => log.warn('redis.closed', { role }))
      connection.on('close', () => link.tellDown())
      // ioredis emits 'error' on every failed attempt; without a listener Node would throw.
      connection.on('error', (error: Error) => log.warn('redis.error', { role, message: error.message }))
    }
    link.watching = setInterval(() => void link.watch(log), WATCH_EVERY_MS)
    link.watching.unref()
    return link
  }

  /** One PING: a Redis that does not answer it in time is taken as down until it answers again. */
  private async watch(log: Logger): Promise<void> {
    if (this.pinging || this.closed || this.commands.status !== 'ready') return
    this.pinging = true
    let timer: NodeJS.Timeout | undefined
    const answered = await new Promise<boolean>((resolve) => {
      this.commands.ping().then(
        () => resolve(true),
        () => resolve(false),
      )
      // Judged after the I/O the event loop has waiting (setImmediate runs after it): a process that
      // was busy past the deadline has the answer queued, and is not told Redis went silent.
      timer = setTimeout(() => setImmediate(() => resolve(false)), SILENT_AFTER_MS)
    })
    clearTimeout(timer)
    this.pinging = false
    if (this.closed || answered === !this.silent) return
    this.silent = !answered
    if (this.silent) {
      log.warn('redis.silent', { afterMs: SILENT_AFTER_MS })
      this.tellDown()
    } else {
      log.info('redis.answering', {})
      if (this.state === 'ready') for (const listener of this.readyListeners) listener()
    }
  }

  private tellDown(): void {
    for (const listener of this.downListeners) listener()
  }

  /**
   * [S39] Publishes a board row's message (`head`: all but its `known` fields) on `channel` with the
   * generation `generationKey` holds appended, in one atomic step; resolves with that generation,
   * undefined when there is no such key ([S41]).
   */
  async publishRow(generationKey: string, channel: string, head: Uint8Array): Promise<number | undefined> {
    const known = await (this.commands as unknown as Scripts).keyplanPublishRow(generationKey, channel, Buffer.from(head)) // defined in connect
    return known < 0 ? undefined : known
  }

  /** [S39] Raises `generationKey` to `generation` (never lowers it). */
  async raiseGeneration(generationKey: string, generation: number): Promise<void> {
    await (this.commands as unknown as Scripts).keyplanRaiseGeneration(generationKey, generation) // defined in connect
  }

  /** `ready` when both connections are up and Redis answers, `down` while either reconnects or it is silent. */
  get state(): RedisState {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready' && !this.silent ? 'ready' : 'down'
  }

  /**
   * Calls `listener` each time the link goes down: a connection closed, or Redis stopped answering
   * with its connections open. @returns a function that removes the listener
   */
  onDown(listener: () => void): () => void {
    this.downListeners.add(listener)
    return () => this.downListeners.delete(listener)
  }

  /**
   * Calls `listener` each time the link becomes ready again (after a start or an outage), so
   * callers can catch up on what they may have missed while Redis was away.
   * @returns a function that removes the listener
   */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener)
    return () => this.readyListeners.delete(listener)
  }

  /** Closes both connections; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.watching)
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()])
    this.commands.disconnect()
    this.subscriber.disconnect()
  }
}
