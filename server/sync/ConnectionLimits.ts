/**
 * Counts open sync sockets per board room and per client address (IPv6 per /64) and refuses one
 * over either cap (`docs/security.md` [A13]); guests' sockets also per room, where they may take
 * at most {@link guestSlots} of the room's slots, so that the team and the facilitator can always
 * connect. A slot is taken when an admitted socket opens and given back exactly once when it
 * closes, whatever closed it.
 *
 * @example
 * ```ts
 * const limits = new ConnectionLimits({ perRoom: 200, perAddress: 50 })
 * const slot = limits.acquire('w1/swot', remoteAddress, role === 'guest')
 * if (!slot.ok) return ws.close(CLOSE_CODES.tooManyConnections, slot.reason)
 * ws.on('close', slot.release)
 * ```
 */
import { addressKey } from '../auth/rateLimit.ts'

export type ConnectionLimitsOptions = {
  /** Most sockets per room (`<workshopId>/<board>`). */
  perRoom: number
  /** Most sockets per address key ({@link addressKey}), over all rooms. */
  perAddress: number
}

/** Why a socket is refused a slot: the close reason sent with 4503. */
export const CAP_REASONS = { room: 'board is full, try later', address: 'too many connections from this address' } as const

/**
 * [A13] The slots of a room of `perRoom` that guests may hold together: half, at least one. The
 * other half stays for the team and the facilitator (QA q33a: one guest with four addresses held
 * all 200 slots of a shared board, and the team got 4503).
 */
export function guestSlots(perRoom: number): number {
  return Math.max(1, Math.floor(perRoom / 2))
}

export type Slot = { ok: true; release: () => void } | { ok: false; reason: string }

/** Open-socket counters; see the module comment. */
export class ConnectionLimits {
  readonly #options: ConnectionLimitsOptions
  readonly #rooms = new Map<string, number>()
  readonly #addresses = new Map<string, number>()
  /** Guests' sockets per room. */
  readonly #guests = new Map<string, number>()

  constructor(options: ConnectionLimitsOptions) {
    if (options.perRoom < 1 || options.perAddress < 1) throw new Error('invalid connection limits')
    this.#options = options
  }

  /** Takes a slot for a socket of `room` from `address` (a guest's when `guest`), or says which cap is reached. */
  acquire(room: string, address: string | undefined, guest = false): Slot {
    const key = addressKey(address)
    if (this.roomCount(room) >= this.#options.perRoom) return { ok: false, reason: CAP_REASONS.room }
    // A guest over its share meets a full board, as it would over the room's cap.
    if (guest && this.guestCount(room) >= guestSlots(this.#options.perRoom)) return { ok: false, reason: CAP_REASONS.room }
    if (this.addressCount(address) >= this.#options.perAddress) return { ok: false, reason: CAP_REASONS.address }
    increment(this.#rooms, room, 1)
    increment(this.#addresses, key, 1)
    if (guest) increment(this.#guests, room, 1)
    let released = false
    return {
      ok: true,
      release: () => {
        if (released) return
        released = true
        increment(this.#rooms, room, -1)
        increment(this.#addresses, key, -1)
        if (guest) increment(this.#guests, room, -1)
      },
    }
  }

  /** Open sockets of `room`. */
  roomCount(room: string): number {
    return this.#rooms.get(room) ?? 0
  }

  /** Guests' open sockets of `room`. */
  guestCount(room: string): number {
    return this.#guests.get(room) ?? 0
  }

  /** Open sockets from `address`'s key (its /64 for IPv6). */
  addressCount(address: string | undefined): number {
    return this.#addresses.get(addressKey(address)) ?? 0
  }

  /** Copies of the counts per room, per address key and of guests per room (written to Redis by `ClusterConnectionLimits`). */
  counts(): { rooms: Map<string, number>; addresses: Map<string, number>; guests: Map<string, number> } {
    return { rooms: new Map(this.#rooms), addresses: new Map(this.#addresses), guests: new Map(this.#guests) }
  }

  /** Open sockets in all rooms. */
  get total(): number {
    let sum = 0
    for (const count of this.#rooms.values()) sum += count
    return sum
  }
}

/** Adds `delta` to `key`, deleting it at zero so that memory follows the open sockets. */
function increment(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta
  if (next <= 0) counts.delete(key)
  else counts.set(key, next)
}
