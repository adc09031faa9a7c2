/**
 * [A3] Issue 14 (memory): connections whose tokens expire at the same instant (the participants of
 * one link) wait for it with one timer between them, not one each; they are all closed with 4401
 * when it comes, and the last one to close stops it. Counted as live timers (after the GC that
 * `v8.queryObjects` runs); the real expiry over a socket is
 * `test/integration/forged-expired-revoked-tokens-closed-4401.test.ts`.
 */
import { expect, test } from 'vitest'
import { CLOSE_CODES, type CloseCode } from '../../shared/protocol.ts'
import { SessionRegistry, type Closable } from '../../server/auth/SessionRegistry.ts'
import { waitFor } from '../helpers/clients.ts'
import { liveTimers } from '../helpers/liveTimers.ts'

/** A connection that records how it was closed and runs its close listeners, as `Connection` does. */
class FakeConnection implements Closable {
  closedWith: CloseCode | undefined
  private readonly listeners: (() => void)[] = []
  close(code: CloseCode): void {
    if (this.closedWith !== undefined) return
    this.closedWith = code
    for (const listener of this.listeners.splice(0)) listener()
  }
  onClose(listener: () => void): void {
    this.listeners.push(listener)
  }
}

test('ten sessions of one token hold one expiry timer, closed together when it comes [A3]', async () => {
  const sessions = new SessionRegistry<FakeConnection>()
  const before = liveTimers()
  const later = Date.now() + 3_600_000
  const linked = Array.from({ length: 10 }, () => new FakeConnection())
  for (const conn of linked) expect(sessions.register(conn, { workshopId: 'w', board: 'swot', role: 'guest', expiresAtMs: later }, 0)).toBe(true)
  expect(liveTimers() - before).toBe(1)
  for (const conn of linked) conn.close(CLOSE_CODES.goingAway)
  expect(liveTimers() - before).toBe(0)

  // A near expiry: every session of it is closed with 4401 and forgotten.
  const soon = Date.now() + 50
  const expiring = Array.from({ length: 3 }, () => new FakeConnection())
  for (const conn of expiring) sessions.register(conn, { workshopId: 'w', board: 'swot', role: 'guest', expiresAtMs: soon }, 0)
  await waitFor(() => expiring.every((conn) => conn.closedWith !== undefined), 'the sessions expired')
  expect(expiring.map((conn) => conn.closedWith)).toEqual([CLOSE_CODES.unauthorized, CLOSE_CODES.unauthorized, CLOSE_CODES.unauthorized])
  expect(sessions.sessions('w')).toEqual([])
})
