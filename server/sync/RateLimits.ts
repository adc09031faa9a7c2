/**
 * Per-connection token buckets for the sync protocol (docs/server-rules.md [S28], [S30], [S31]):
 * each rate refills continuously and holds at most two seconds' worth, so a connection may burst
 * to twice its rate and then keeps to it. A document update over its buckets waits until they hold
 * it (the connection is not read meanwhile, [S28]); any other frame over a bucket is refused and the
 * connection closed with 4429.
 */

/** Rates per second of one connection; bursts of twice as many. */
export type ConnectionRates = {
  /** Document updates (sync step 2 and update messages). */
  updates: number
  /** Record-log entries those updates insert. */
  entries: number
  /** Bytes of those updates. */
  updateBytes: number
  /** Sync step 1 requests. */
  syncStep1: number
  /** Awareness updates. */
  awareness: number
  /** Bytes of those awareness updates. */
  awarenessBytes: number
  /** Struct visits Yjs makes to integrate the connection's updates ([S27]). */
  work: number
}

/** The buckets' clock, in milliseconds. */
const clock = (): number => performance.now()

/** How many echoes of others' awareness states a connection may send per awareness update it may send. */
export const AWARENESS_ECHOES_PER_UPDATE = 16

/**
 * One token bucket: `rate` tokens per second, at most `2 × rate` held. Eight per connection, so
 * a bucket holds numbers only (issue 14: a clock function per bucket was half its heap).
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(private readonly rate: number) {
    this.tokens = 2 * rate
    this.last = clock()
  }

  /** Takes `n` tokens if there are enough at `at` (the shared clock's reading); false (and nothing taken) otherwise. */
  take(n = 1, at = clock()): boolean {
    this.refill(at)
    if (n > this.tokens) return false
    this.tokens -= n
    return true
  }

  /** Milliseconds until the bucket holds `n` tokens: 0 when it does, Infinity when it never can (over two seconds' worth). */
  waitFor(n: number, at = clock()): number {
    if (n > 2 * this.rate) return Number.POSITIVE_INFINITY
    this.refill(at)
    return n <= this.tokens ? 0 : ((n - this.tokens) / this.rate) * 1000
  }

  private refill(at: number): void {
    this.tokens = Math.min(2 * this.rate, this.tokens + ((at - this.last) / 1000) * this.rate)
    this.last = at
  }
}

/** The buckets of one connection. */
export class ConnectionRateLimits {
  readonly updates: TokenBucket
  readonly entries: TokenBucket
  readonly updateBytes: TokenBucket
  readonly syncStep1: TokenBucket
  readonly awareness: TokenBucket
  readonly awarenessBytes: TokenBucket
  /** [S31] Awareness updates that only echo states the room has: a stock provider re-sends every change it hears. */
  readonly awarenessEchoes: TokenBucket
  readonly work: TokenBucket

  constructor(rates: ConnectionRates) {
    this.updates = new TokenBucket(rates.updates)
    this.entries = new TokenBucket(rates.entries)
    this.updateBytes = new TokenBucket(rates.updateBytes)
    this.syncStep1 = new TokenBucket(rates.syncStep1)
    this.awareness = new TokenBucket(rates.awareness)
    this.awarenessBytes = new TokenBucket(rates.awarenessBytes)
    this.awarenessEchoes = new TokenBucket(AWARENESS_ECHOES_PER_UPDATE * rates.awareness)
    this.work = new TokenBucket(rates.work)
  }

  /**
   * Takes one update of `bytes` bytes inserting `entries` entries if every bucket holds it: 0. Else
   * nothing is taken and the answer is how many milliseconds until they do (Infinity for an update
   * larger than two seconds' worth, which never fits).
   */
  takeUpdate(bytes: number, entries: number): number {
    // One reading of the clock for the three buckets (six per update otherwise), on every update's path.
    const now = clock()
    const wait = Math.max(this.updates.waitFor(1, now), this.updateBytes.waitFor(bytes, now), entries > 0 ? this.entries.waitFor(entries, now) : 0)
    if (wait > 0) return wait
    this.updates.take(1, now)
    this.updateBytes.take(bytes, now)
    if (entries > 0) this.entries.take(entries, now)
    return 0
  }

  /**
   * Takes one awareness update that only echoes states the room has (nothing kept): such echoes have
   * a budget of their own, {@link AWARENESS_ECHOES_PER_UPDATE} times the awareness rate, since a
   * stock provider echoes what every other peer says (QA q33a: a guest's flood relayed to a stock
   * peer got that peer closed for its echoes). The name of the rate exceeded, if any.
   */
  takeAwarenessEcho(): string | undefined {
    return this.awarenessEchoes.take() ? undefined : 'awareness echoes'
  }

  /** Takes one awareness update of `bytes` bytes; the name of the rate exceeded, if any. */
  takeAwareness(bytes: number): string | undefined {
    if (!this.awareness.take()) return 'awareness updates'
    if (!this.awarenessBytes.take(bytes)) return 'awareness bytes'
    return undefined
  }
}
