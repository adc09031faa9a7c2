import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CloseCode } from '../../shared/protocol.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { SessionRegistry, type Closable } from '../../server/auth/SessionRegistry.ts'

/** An expiry no test reaches. */
const LATER = Date.now() + 3_600_000

class FakeConn implements Closable {
  closedWith: { code: CloseCode; reason: string } | undefined
  private listeners: Array<() => void> = []
  close(code: CloseCode, reason: string) {
    if (this.closedWith) return
    this.closedWith = { code, reason }
    for (const listener of this.listeners) listener()
  }
  onClose(listener: () => void) {
    this.listeners.push(listener)
  }
}

describe('[A4][A6] open sessions are closed when access changes', () => {
  it('closes only the matching sessions of the workshop and forgets closed ones', () => {
    const registry = new SessionRegistry<FakeConn>()
    const guest = new FakeConn()
    const team = new FakeConn()
    const otherGuest = new FakeConn()
    expect(registry.register(guest, { workshopId: 'w1', board: 'actions', role: 'guest', expiresAtMs: LATER }, 0)).toBe(true)
    expect(registry.register(team, { workshopId: 'w1', board: 'actions', role: 'team', expiresAtMs: LATER }, 0)).toBe(true)
    expect(registry.register(otherGuest, { workshopId: 'w2', board: 'actions', role: 'guest', expiresAtMs: LATER }, 0)).toBe(true)

    registry.bump('w1')
    expect(registry.closeWhere('w1', (s) => s.role === 'guest', CLOSE_CODES.unauthorized, 'link revoked')).toBe(1)
    expect(guest.closedWith).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })
    expect(team.closedWith).toBeUndefined()
    expect(otherGuest.closedWith).toBeUndefined()
    expect(registry.sessions('w1')).toEqual([{ workshopId: 'w1', board: 'actions', role: 'team', expiresAtMs: LATER }])
  })

  it('refuses a session checked before an access change that registers after it', () => {
    const registry = new SessionRegistry<FakeConn>()
    const epochAtCheck = registry.epoch('w1')
    registry.bump('w1') // e.g. the guest links were revoked while the check awaited storage
    expect(registry.register(new FakeConn(), { workshopId: 'w1', board: 'actions', role: 'guest', expiresAtMs: LATER }, epochAtCheck)).toBe(false)
    expect(registry.sessions('w1')).toEqual([])
    // Other workshops are unaffected.
    expect(registry.register(new FakeConn(), { workshopId: 'w2', board: 'actions', role: 'guest', expiresAtMs: LATER }, 0)).toBe(true)
  })
})

describe('[A3] an open session is closed when its token expires', () => {
  afterEach(() => vi.useRealTimers())

  it('closes with 4401 at the expiry, not before, and forgets the session', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3) })
    const registry = new SessionRegistry<FakeConn>()
    const conn = new FakeConn()
    registry.register(conn, { workshopId: 'w1', board: 'actions', role: 'team', expiresAtMs: Date.now() + 60_000 }, 0)
    vi.advanceTimersByTime(59_999)
    expect(conn.closedWith).toBeUndefined()
    vi.advanceTimersByTime(1)
    expect(conn.closedWith).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'token expired' })
    expect(registry.sessions('w1')).toEqual([])
  })

  it('reaches an expiry beyond the longest timer (30-day links) in steps', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3) })
    const registry = new SessionRegistry<FakeConn>()
    const conn = new FakeConn()
    const thirtyDays = 30 * 24 * 3_600_000
    registry.register(conn, { workshopId: 'w1', board: 'actions', role: 'guest', expiresAtMs: Date.now() + thirtyDays }, 0)
    vi.advanceTimersByTime(thirtyDays - 1)
    expect(conn.closedWith).toBeUndefined()
    vi.advanceTimersByTime(1)
    expect(conn.closedWith).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'token expired' })
  })

  it('a token that expired while the socket was opening closes it at registration, and nothing is kept', () => {
    const registry = new SessionRegistry<FakeConn>()
    const conn = new FakeConn()
    expect(registry.register(conn, { workshopId: 'w1', board: 'actions', role: 'team', expiresAtMs: Date.now() - 1 }, 0)).toBe(true)
    expect(conn.closedWith).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'token expired' })
    expect(registry.sessions('w1')).toEqual([])
  })

  it('a session closed before its expiry leaves no timer behind', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3) })
    const registry = new SessionRegistry<FakeConn>()
    const conn = new FakeConn()
    registry.register(conn, { workshopId: 'w1', board: 'actions', role: 'team', expiresAtMs: Date.now() + 60_000 }, 0)
    conn.close(CLOSE_CODES.goingAway, 'bye')
    expect(vi.getTimerCount()).toBe(0)
  })
})
