import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RateLimiter, addressKey } from '../../server/auth/rateLimit.ts'

describe('[A10] rate limit on failed token checks', () => {
  // rate-limiter-flexible reads the clock and ends windows with timers: both are faked here.
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
  afterEach(() => vi.useRealTimers())

  it('allows `limit` failures per window, then limits that address only, until the window ends', async () => {
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, maxKeys: 100 })
    expect([await limiter.hit('10.0.0.1'), await limiter.hit('10.0.0.1'), await limiter.hit('10.0.0.1')]).toEqual([true, true, true])
    vi.advanceTimersByTime(1)
    expect(await limiter.isLimited('10.0.0.1')).toBe(true)
    vi.advanceTimersByTime(1)
    expect(await limiter.hit('10.0.0.1')).toBe(false)
    expect(await limiter.isLimited('10.0.0.2')).toBe(false)
    vi.advanceTimersByTime(60_000 - 2)
    expect(await limiter.isLimited('10.0.0.1')).toBe(false)
    expect(await limiter.hit('10.0.0.1')).toBe(true)
  })

  it('isLimited records nothing', async () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 10 })
    for (let i = 0; i < 10; i++) {
      expect(await limiter.isLimited('a')).toBe(false)
      vi.advanceTimersByTime(1)
    }
    expect(limiter.size).toBe(0)
  })

  it('keeps memory bounded: expired windows are dropped, and the oldest is evicted when full', async () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 50 })
    for (let i = 0; i < 10_000; i++) await limiter.hit(`addr-${i}`)
    expect(limiter.size).toBe(50)
    vi.advanceTimersByTime(1)
    // The newest keys are the ones kept.
    expect(await limiter.isLimited('addr-9999')).toBe(true)
    expect(await limiter.isLimited('addr-0')).toBe(false)
    // Once their windows have passed, the next hit sweeps them away.
    vi.advanceTimersByTime(5000 - 1)
    await limiter.hit('late')
    expect(limiter.size).toBe(1)
  })

  it('rejects nonsensical options', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1000, maxKeys: 10 })).toThrow()
  })
})

describe('[A10] address keys', () => {
  it('IPv4 and IPv4-mapped IPv6 share a key', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7')
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7')
  })

  it('IPv6 addresses of one /64 share a key, in any spelling', () => {
    const a = addressKey('2001:db8:1:2::1')
    expect(a).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a)
    expect(addressKey('2001:DB8:1:2:0:0:0:9')).toBe(a)
    expect(addressKey('2001:db8:1:3::1')).not.toBe(a)
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('1::2:3:4:5:192.0.2.7')).toBe('1:0:2:3::/64')
  })

  it('unknown addresses share one key', () => {
    expect(addressKey(undefined)).toBe('unknown')
    expect(addressKey('')).toBe('unknown')
  })
})
