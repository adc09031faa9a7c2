/**
 * The open sync sessions of each workshop, with the role and board each was admitted with, so that
 * a revocation or a board turned internal closes the affected connections at once
 * (`docs/security.md` [A4], [A6]), and each connection is closed with 4401 when its token expires
 * ([A3]): a link checked once at connect does not grant access past its expiry.
 *
 * A connection is authorized asynchronously (the access state is read from storage) and registered
 * when its socket opens. An access change in between would be missed, so every change bumps the
 * workshop's epoch: a session authorized under an older epoch is refused at registration and must
 * reconnect (and be checked again).
 *
 * @example
 * ```ts
 * const epoch = sessions.epoch(workshopId)            // before reading the access state
 * const auth = await authorize(...)
 * // later, when the socket opens:
 * if (!sessions.register(conn, { workshopId, board, role, expiresAtMs }, epoch)) conn.close(CLOSE_CODES.tryAgainLater, 'access changed, reconnect')
 * // on revocation:
 * sessions.closeWhere(workshopId, (s) => s.role === 'guest', CLOSE_CODES.unauthorized, TOKEN_REFUSED.revoked)
 * ```
 */
import type { BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES, TOKEN_REFUSED, type CloseCode } from '../../shared/protocol.ts'
import { canSeeBoard, type CustomerFacing, type Role } from '../../shared/roles.ts'

/** What the registry needs of a connection (the server's `Connection` fits). */
export type Closable = {
  close(code: CloseCode, reason: string): void
  onClose(listener: () => void): void
  /** [A24] From now on, what is sent waits for {@link releaseSends}; each send is stamped with {@link sendMark}. */
  holdSends?(): void
  /** [A24] Sends what was held with a stamp below `before`, in order; the rest stays held. */
  releaseSends?(before: number): void
  /** [A24] Sends everything held and holds no more. */
  stopHoldingSends?(): void
}

/**
 * [A24] The stamp of sends held from guests: a counter raised by {@link nextSendMark} before each
 * read of access state, so that a send stamped below it was made before that read began.
 */
let currentMark = 0

/** The stamp a send held now carries. */
export function sendMark(): number {
  return currentMark
}

/** Raises the stamp and gives it: every send held before this call has a lower one. */
export function nextSendMark(): number {
  return ++currentMark
}

/**
 * What a session was admitted as, and until when (its token's expiry, ms since the epoch).
 * `archived`: the workshop was archived when the session was admitted ([A21], [A24]).
 * `generation`: its role's generation then ([A4]); {@link SessionRegistry.closeRevoked} compares it.
 */
export type Session = { workshopId: string; board: BoardId; role: Role; expiresAtMs: number; archived?: boolean; generation?: number }

/** Longest delay Node's timers take (about 24.8 days); a later expiry is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** [A3] The open connections whose tokens expire at one instant, and the timer that closes them. */
type Expiry<C> = { connections: Set<C>; timer: NodeJS.Timeout | undefined }

export class SessionRegistry<C extends Closable = Closable> {
  readonly #byWorkshop = new Map<string, Map<C, Session>>()
  readonly #epochs = new Map<string, number>()
  /**
   * [A3] One timer per expiry instant, not per connection: the participants of a link share its
   * token's expiry (issue 14: a timer and its closures are ~0.3 KB of heap each).
   */
  readonly #expiries = new Map<number, Expiry<C>>()
  /** [A24] Set while access changes of other instances may go unheard (Redis away): guests' sends are held. */
  #holdingGuests = false

  /** The workshop's access epoch; read it before reading the access state a session is checked against. */
  epoch(workshopId: string): number {
    return this.#epochs.get(workshopId) ?? 0
  }

  /**
   * Records that the workshop's access state changed; call it once the change is stored, before
   * closing the affected sessions. Epochs are never forgotten (one number per workshop whose
   * access ever changed): resetting one could let a check from before the change pass.
   */
  bump(workshopId: string): void {
    this.#epochs.set(workshopId, this.epoch(workshopId) + 1)
  }

  /**
   * Registers `conn` if the workshop's access did not change since `epoch`; returns false (and
   * registers nothing) otherwise. The session is forgotten when the connection closes.
   */
  register(conn: C, session: Session, epoch: number): boolean {
    if (this.epoch(session.workshopId) !== epoch) return false
    let sessions = this.#byWorkshop.get(session.workshopId)
    if (!sessions) {
      sessions = new Map()
      this.#byWorkshop.set(session.workshopId, sessions)
    }
    sessions.set(conn, session)
    if (this.#holdingGuests && session.role === 'guest') conn.holdSends?.()
    conn.onClose(() => {
      this.#leaveExpiry(conn, session.expiresAtMs)
      this.#forget(conn, session.workshopId)
    })
    // After onClose: a token that expired while the connection was being set up closes it at once.
    if (session.expiresAtMs <= Date.now()) conn.close(CLOSE_CODES.unauthorized, TOKEN_REFUSED.expired)
    else this.#joinExpiry(conn, session.expiresAtMs)
    return true
  }

  /** Closes every session of `workshopId` matching `predicate`; returns how many. */
  closeWhere(workshopId: string, predicate: (session: Session) => boolean, code: CloseCode, reason: string): number {
    const sessions = this.#byWorkshop.get(workshopId)
    if (!sessions) return 0
    let closed = 0
    for (const [conn, session] of [...sessions]) {
      if (!predicate(session)) continue
      conn.close(code, reason)
      closed++
    }
    return closed
  }

  /**
   * [A24] While access changes made on other instances may go unheard (Redis away, their events
   * lost), what this instance sends a guest waits until a read of the workshop's access state made
   * after it was sent ({@link releaseGuests}) found the guest may still see it: a board turned
   * internal on another instance, then written to by a team member here, never reaches this
   * instance's guests on it (QA q36a: it did, for up to a second, until the next read).
   */
  holdGuests(): void {
    if (this.#holdingGuests) return
    this.#holdingGuests = true
    for (const sessions of this.#byWorkshop.values()) {
      for (const [conn, session] of sessions) if (session.role === 'guest') conn.holdSends?.()
    }
  }

  /** [A24] The workshop's access was read (and applied) after stamp `before` was raised: its guests get what was held before it. */
  releaseGuests(workshopId: string, before: number): void {
    for (const [conn, session] of this.#byWorkshop.get(workshopId) ?? []) if (session.role === 'guest') conn.releaseSends?.(before)
  }

  /** [A24] Access changes are heard again: guests get what was held, and nothing more is held. */
  stopHoldingGuests(): void {
    if (!this.#holdingGuests) return
    this.#holdingGuests = false
    for (const sessions of this.#byWorkshop.values()) {
      for (const [conn, session] of sessions) if (session.role === 'guest') conn.stopHoldingSends?.()
    }
  }

  /** [A6] Closes the sessions of `workshopId` on boards their role may no longer see with `customerFacing` (4403); returns how many. */
  closeHidden(workshopId: string, customerFacing: CustomerFacing): number {
    return this.closeWhere(workshopId, (s) => !canSeeBoard(s.role, s.board, customerFacing), CLOSE_CODES.forbidden, 'board is no longer customer-facing')
  }

  /**
   * [A4][A24] Closes the sessions of `workshopId` admitted under a generation of their role older
   * than `generations` (4401); returns how many. A revocation whose event was lost (Redis away
   * before this instance noticed) is applied by the first read of the access state, which has no
   * earlier read to compare with.
   */
  closeRevoked(workshopId: string, generations: Readonly<Record<Role, number>>): number {
    return this.closeWhere(workshopId, (s) => s.generation !== undefined && s.generation < generations[s.role], CLOSE_CODES.unauthorized, TOKEN_REFUSED.revoked)
  }

  /** Workshops with open sessions. */
  workshops(): string[] {
    return [...this.#byWorkshop.keys()]
  }

  /** Open sessions of a workshop (for tests and diagnostics). */
  sessions(workshopId: string): Session[] {
    return [...(this.#byWorkshop.get(workshopId)?.values() ?? [])]
  }

  /** Closes `conn` with 4401 at `expiresAtMs`, with every other connection expiring then. */
  #joinExpiry(conn: C, expiresAtMs: number): void {
    const known = this.#expiries.get(expiresAtMs)
    if (known) {
      known.connections.add(conn)
      return
    }
    const expiry: Expiry<C> = { connections: new Set([conn]), timer: undefined }
    this.#expiries.set(expiresAtMs, expiry)
    const arm = () => {
      const remaining = expiresAtMs - Date.now()
      if (remaining <= 0) {
        this.#expiries.delete(expiresAtMs)
        // Each close runs its listener, which leaves a set no longer in the map.
        for (const expired of [...expiry.connections]) expired.close(CLOSE_CODES.unauthorized, TOKEN_REFUSED.expired)
        return
      }
      // unref: an open connection's expiry must not keep a stopping process alive.
      expiry.timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS)).unref()
    }
    arm()
  }

  /** A closed connection no longer waits for its expiry; the last one stops the timer. */
  #leaveExpiry(conn: C, expiresAtMs: number): void {
    const expiry = this.#expiries.get(expiresAtMs)
    if (!expiry?.connections.delete(conn) || expiry.connections.size > 0) return
    clearTimeout(expiry.timer)
    this.#expiries.delete(expiresAtMs)
  }

  #forget(conn: C, workshopId: string): void {
    const sessions = this.#byWorkshop.get(workshopId)
    if (!sessions) return
    sessions.delete(conn)
    if (sessions.size === 0) this.#byWorkshop.delete(workshopId)
  }
}
