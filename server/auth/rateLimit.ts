/**
 * A fixed-window rate limiter keyed by client address (`docs/security.md` [A10]), used for failed
 * token and organisation-key checks, and reusable for connection attempts per address.
 *
 * Memory is bounded: at most `maxKeys` windows are kept. Windows live in a Map ordered by their
 * start, so expired ones are dropped from the front as new ones arrive, and when the Map is full
 * the oldest window is evicted (an attacker would need `maxKeys` distinct addresses to flush one).
 *
 * @example
 * ```ts
 * const failures = new RateLimiter({ limit: 20, windowMs: 60_000, maxKeys: 10_000 })
 * const key = addressKey(remoteAddress)
 * if (failures.isLimited(key)) return tooManyRequests()
 * if (!verifyToken(...).ok) failures.hit(key)
 * ```
 */
import net from 'node:net'

export type RateLimiterOptions = {
  /** Events allowed per key and window; the one after is limited. */
  limit: number
  windowMs: number
  /** Most keys remembered at once. */
  maxKeys: number
}

type Window = { start: number; count: number }

/** Counts events per key in fixed windows; see the module comment. */
export class RateLimiter {
  readonly #options: RateLimiterOptions
  readonly #windows = new Map<string, Window>()

  constructor(options: RateLimiterOptions) {
    if (options.limit < 1 || options.windowMs < 1 || options.maxKeys < 1) throw new Error('invalid rate limit options')
    this.#options = options
  }

  /** Records one event for `key`; returns false when this event is over the limit. */
  hit(key: string, nowMs: number = Date.now()): boolean {
    this.#sweep(nowMs)
    let window = this.#windows.get(key)
    if (window === undefined || nowMs - window.start >= this.#options.windowMs) {
      // Delete before set so the Map stays ordered by window start.
      this.#windows.delete(key)
      if (this.#windows.size >= this.#options.maxKeys) this.#evictOldest()
      window = { start: nowMs, count: 0 }
      this.#windows.set(key, window)
    }
    window.count += 1
    return window.count <= this.#options.limit
  }

  /** Whether `key` has used up its window, without recording anything. */
  isLimited(key: string, nowMs: number = Date.now()): boolean {
    const window = this.#windows.get(key)
    if (window === undefined || nowMs - window.start >= this.#options.windowMs) return false
    return window.count >= this.#options.limit
  }

  /** Number of keys remembered (for tests and metrics). */
  get size(): number {
    return this.#windows.size
  }

  #sweep(nowMs: number): void {
    for (const [key, window] of this.#windows) {
      if (nowMs - window.start < this.#options.windowMs) break
      this.#windows.delete(key)
    }
  }

  #evictOldest(): void {
    const oldest = this.#windows.keys().next()
    if (!oldest.done) this.#windows.delete(oldest.value)
  }
}

/**
 * The rate-limit key of a client address: IPv4 as is (also when IPv4-mapped, `::ffff:1.2.3.4`),
 * IPv6 reduced to its /64 prefix, because one host usually holds a whole /64.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1] !== undefined) return mapped[1]
  if (net.isIPv4(address)) return address
  if (!net.isIPv6(address)) return address
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address, lowercase, without leading zeros. */
function expandIPv6(address: string): string[] {
  const withoutZone = address.split('%')[0] ?? address
  const [head = '', tail] = withoutZone.split('::') as [string, string | undefined] // at most one '::'
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  // An embedded IPv4 tail (`64:ff9b::1.2.3.4`) fills two groups.
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0)
  const missing = 8 - width(headGroups) - width(tailGroups)
  const groups = [...headGroups, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailGroups]
  return groups.map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)))
}
