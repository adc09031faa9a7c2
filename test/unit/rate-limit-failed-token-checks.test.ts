import { describe, expect, it } from 'vitest'
import { RateLimiter, addressKey } from '../../server/auth/rateLimit.ts'

describe('[A10] rate limit on failed token checks', () => {
  it('allows `limit` failures per window, then limits that address only, until the window ends', () => {
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, maxKeys: 100 })
    const t0 = 1_000_000
    expect([1, 2, 3].map(() => limiter.hit('10.0.0.1', t0))).toEqual([true, true, true])
    expect(limiter.isLimited('10.0.0.1', t0 + 1)).toBe(true)
    expect(limiter.hit('10.0.0.1', t0 + 2)).toBe(false)
    expect(limiter.isLimited('10.0.0.2', t0 + 2)).toBe(false)
    expect(limiter.isLimited('10.0.0.1', t0 + 60_000)).toBe(false)
    expect(limiter.hit('10.0.0.1', t0 + 60_000)).toBe(true)
  })

  it('isLimited records nothing', () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 10 })
    for (let i = 0; i < 10; i++) expect(limiter.isLimited('a', i)).toBe(false)
    expect(limiter.size).toBe(0)
  })

  it('keeps memory bounded: expired windows are dropped, and the oldest is evicted when full', () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 50 })
    for (let i = 0; i < 10_000; i++) limiter.hit(`addr-${i}`, 0)
    expect(limiter.size).toBe(50)
    // The newest keys are the ones kept.
    expect(limiter.isLimited('addr-9999', 1)).toBe(true)
    expect(limiter.isLimited('addr-0', 1)).toBe(false)
    // Once their windows have passed, the next hit sweeps them away.
    limiter.hit('late', 5000)
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
