/**
 * Per-connection token buckets for the sync protocol (docs/server-rules.md [S28], [S30], [S31]):
 * each rate refills continuously and holds at most two seconds' worth, so a connection may burst
 * to twice its rate and then keeps to it. Over a bucket, the frame is refused and the connection
 * closed with 4429.
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

/** One token bucket: `rate` tokens per second, at most `2 × rate` held. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = 2 * rate
    this.last = now()
  }

  /** Takes `n` tokens if there are enough; false (and nothing taken) otherwise. */
  take(n = 1): boolean {
    const now = this.now()
    this.tokens = Math.min(2 * this.rate, this.tokens + ((now - this.last) / 1000) * this.rate)
    this.last = now
    if (n > this.tokens) return false
    this.tokens -= n
    return true
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
  readonly work: TokenBucket

  constructor(rates: ConnectionRates) {
    this.updates = new TokenBucket(rates.updates)
    this.entries = new TokenBucket(rates.entries)
    this.updateBytes = new TokenBucket(rates.updateBytes)
    this.syncStep1 = new TokenBucket(rates.syncStep1)
    this.awareness = new TokenBucket(rates.awareness)
    this.awarenessBytes = new TokenBucket(rates.awarenessBytes)
    this.work = new TokenBucket(rates.work)
  }

  /** Takes one update of `bytes` bytes inserting `entries` entries; the name of the rate exceeded, if any. */
  takeUpdate(bytes: number, entries: number): string | undefined {
    if (!this.updates.take()) return 'updates'
    if (!this.updateBytes.take(bytes)) return 'update bytes'
    if (entries > 0 && !this.entries.take(entries)) return 'entries'
    return undefined
  }

  /** Takes one awareness update of `bytes` bytes; the name of the rate exceeded, if any. */
  takeAwareness(bytes: number): string | undefined {
    if (!this.awareness.take()) return 'awareness updates'
    if (!this.awarenessBytes.take(bytes)) return 'awareness bytes'
    return undefined
  }
}
