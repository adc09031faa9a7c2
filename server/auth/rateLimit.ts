/**
 * A fixed-window rate limiter keyed by client address (`docs/security.md` [A10]), used for failed
 * token and organisation-key checks: `rate-limiter-flexible`'s memory backend, or with several
 * instances its Redis backend shared by all of them, with the memory one as its insurance while
 * Redis is away ([A25]); with a bound on the keys this instance remembers.
 *
 * Memory is bounded: at most `maxKeys` windows are kept. The keys are also listed here, ordered by
 * window start, so expired ones are dropped from the front as new ones arrive, and when the list is
 * full the oldest window is evicted (an attacker would need `maxKeys` distinct addresses to flush
 * one). The backend forgets a window when it ends, too.
 *
 * @example
 * ```ts
 * const failures = new RateLimiter({ limit: 20, windowMs: 60_000, maxKeys: 10_000 })
 * const key = addressKey(remoteAddress)
 * if (await failures.isLimited(key)) return tooManyRequests()
 * if (!(await verifyToken(...)).ok) await failures.hit(key)
 * ```
 */
import ipaddr from 'ipaddr.js'
import net from 'node:net'
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'
import type { RedisLink } from '../cluster/RedisLink.ts'

export type RateLimiterOptions = {
  /** Events allowed per key and window; the one after is limited. */
  limit: number
  windowMs: number
  /** Most keys remembered at once. */
  maxKeys: number
}

/** Counts events per key in fixed windows; see the module comment. */
export class RateLimiter {
  readonly #options: RateLimiterOptions
  /** This instance's windows: the backend without Redis, its insurance with it. */
  readonly #memory: RateLimiterMemory
  readonly #backend: RateLimiterMemory | RateLimiterRedis
  /** Each remembered key and the end of its window (ms), oldest window first. */
  readonly #windowEnds = new Map<string, number>()

  /**
   * With `redis` ([A25]), the windows are counted in Redis under `keyPrefix`, shared by every
   * instance; while Redis is away each instance counts in its own memory (the insurance limiter).
   */
  constructor(options: RateLimiterOptions, redis?: { link: RedisLink; keyPrefix: string }) {
    if (options.limit < 1 || options.windowMs < 1 || options.maxKeys < 1) throw new Error('invalid rate limit options')
    this.#options = options
    // The window starts with a key's first event and does not move with later ones: a fixed window.
    this.#memory = new RateLimiterMemory({ points: options.limit, duration: options.windowMs / 1000 })
    this.#backend = redis
      ? new RateLimiterRedis({
          storeClient: redis.link.commands,
          keyPrefix: redis.keyPrefix,
          points: options.limit,
          duration: options.windowMs / 1000,
          // A command to a Redis that is away fails at once (RedisLink), and the memory decides.
          rejectIfRedisNotReady: true,
          insuranceLimiter: this.#memory,
        })
      : this.#memory
  }

  /** Records one event for `key`; resolves false when this event is over the limit. */
  async hit(key: string): Promise<boolean> {
    // The bookkeeping below runs before the first await, so concurrent hits cannot interleave in it
    // (the memory limiter's delete is synchronous under its promise).
    const nowMs = Date.now()
    this.#sweep(nowMs)
    const end = this.#windowEnds.get(key)
    if (end === undefined || end <= nowMs) {
      // Delete before set so the list stays ordered by window start.
      this.#windowEnds.delete(key)
      if (this.#windowEnds.size >= this.#options.maxKeys) this.#evictOldest()
      this.#windowEnds.set(key, nowMs + this.#options.windowMs)
    }
    const result = await this.#backend.penalty(key, 1)
    return result.consumedPoints <= this.#options.limit
  }

  /** Whether `key` has used up its window, without recording anything. */
  async isLimited(key: string): Promise<boolean> {
    const result = await this.#backend.get(key)
    return result !== null && result.msBeforeNext > 0 && result.consumedPoints >= this.#options.limit
  }

  /** Number of keys remembered (for tests and metrics). */
  get size(): number {
    return this.#windowEnds.size
  }

  #sweep(nowMs: number): void {
    for (const [key, end] of this.#windowEnds) {
      if (end > nowMs) break
      this.#windowEnds.delete(key)
      // Only this instance's memory: Redis expires its windows itself, and another instance's
      // events must not be forgotten because this one evicted a key.
      void this.#memory.delete(key)
    }
  }

  #evictOldest(): void {
    const oldest = this.#windowEnds.keys().next()
    if (oldest.done) return
    this.#windowEnds.delete(oldest.value)
    void this.#memory.delete(oldest.value)
  }
}

/**
 * The rate-limit key of a client address: IPv4 as is (also when IPv4-mapped, `::ffff:1.2.3.4`),
 * IPv6 reduced to its /64 prefix, because one host usually holds a whole /64.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown'
  // node:net decides what is an address: ipaddr.js would also read `127.1` or `0x7f.0.0.1`.
  if (net.isIP(address) === 0) return address
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address() // kind() checked
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)) // kind() is ipv6 here
  return `${prefix.join(':')}::/64`
}
