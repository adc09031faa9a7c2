/**
 * The connection caps of docs/security.md [A13], counted over every instance through Redis
 * ([A25]). Each instance keeps its own counts in a Redis hash (`keyplan:conns:<instance>`: one
 * field per room, one per address key, one per room for its guests) that expires unless the instance refreshes it, and lists
 * itself in a sorted set with the time its hash expires. Taking a slot is one Lua script, atomic
 * in Redis: it sums the room's and the address's counts over the live instances, refuses over a
 * cap, and otherwise counts the slot in this instance's hash. So two instances can never both
 * admit the last slot, and the counts of a killed instance disappear within `ttlMs`.
 *
 * The local {@link ConnectionLimits} always counts too, and alone decides while Redis is away (the
 * caps then hold per instance). When Redis returns, this instance's hash is written again from
 * the local counts, which are the truth about its own sockets.
 *
 * @example
 * ```ts
 * const limits = new ClusterConnectionLimits(new ConnectionLimits({ perRoom: 200, perAddress: 50 }), redis, { ttlMs: 15_000 }, log)
 * const slot = await limits.acquire('w1/swot', remoteAddress, role === 'guest')
 * if (!slot.ok) return ws.close(CLOSE_CODES.tooManyConnections, slot.reason)
 * ```
 */
import { randomBytes } from 'node:crypto'
import { addressKey } from '../auth/rateLimit.ts'
import type { Logger } from '../log.ts'
import { CAP_REASONS, guestSlots, type ConnectionLimits, type Slot } from '../sync/ConnectionLimits.ts'
import type { RedisLink } from './RedisLink.ts'

const PREFIX = 'keyplan:conns:'
const INSTANCES = `${PREFIX}instances`

/**
 * KEYS[1] the instances set, KEYS[2] this instance's hash; ARGV: instance id, room field, address
 * field, room cap, address cap, ttl ms, then for a guest's socket the room's guest field and the
 * guests' cap. Returns 0 (taken), 1 (room full, or its guests' share), 2 (address full).
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local room, address, guests = 0, 0, 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local counts = redis.call('HMGET', '${PREFIX}' .. id, ARGV[2], ARGV[3], ARGV[7] or ARGV[2])
  room = room + (tonumber(counts[1]) or 0)
  address = address + (tonumber(counts[2]) or 0)
  guests = guests + (tonumber(counts[3]) or 0)
end
if room >= tonumber(ARGV[4]) then return 1 end
if ARGV[7] and guests >= tonumber(ARGV[8]) then return 1 end
if address >= tonumber(ARGV[5]) then return 2 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
if ARGV[7] then redis.call('HINCRBY', KEYS[2], ARGV[7], 1) end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[6]), ARGV[1])
return 0
`

/** KEYS[1] this instance's hash; ARGV: the fields to decrement (deleted at zero). */
const RELEASE = `
for _, field in ipairs(ARGV) do
  if redis.call('HINCRBY', KEYS[1], field, -1) <= 0 then redis.call('HDEL', KEYS[1], field) end
end
return 0
`

/** KEYS[1] the instances set; ARGV[1] a room field. The room's sockets over the live instances. */
const COUNT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sum = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
  sum = sum + (tonumber(redis.call('HGET', '${PREFIX}' .. id, ARGV[1])) or 0)
end
return sum
`

/** KEYS[1] the instances set, KEYS[2] this instance's hash; ARGV: instance id, ttl ms. */
const REFRESH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 0
`

export type ClusterConnectionLimitsOptions = {
  /** Most sockets per room over all instances. */
  perRoom: number
  /** Most sockets per address key over all instances. */
  perAddress: number
  /** How long an instance's counts outlive its last refresh (refreshed every third of it). */
  ttlMs: number
}

const roomField = (room: string) => `room:${room}`
const addressField = (address: string | undefined) => `addr:${addressKey(address)}`
const guestsField = (room: string) => `guests:${room}`

/** Connection caps over all instances; see the module comment. */
export class ClusterConnectionLimits {
  readonly #instance = randomBytes(8).toString('hex')
  readonly #hash = `${PREFIX}${this.#instance}`
  readonly #local: ConnectionLimits
  readonly #redis: RedisLink | undefined
  readonly #options: ClusterConnectionLimitsOptions
  readonly #log: Logger
  readonly #heartbeat: NodeJS.Timeout | undefined
  /** Slots taken locally whose Redis count may be wrong (taken or released while Redis was away). */
  #stale = false

  constructor(local: ConnectionLimits, redis: RedisLink | undefined, options: ClusterConnectionLimitsOptions, log: Logger) {
    this.#local = local
    this.#redis = redis
    this.#options = options
    this.#log = log
    if (!redis) return
    this.#heartbeat = setInterval(() => void this.#refresh(), Math.max(100, Math.floor(options.ttlMs / 3)))
    this.#heartbeat.unref()
    // Redis may come back empty (restarted without persistence): write everything again then.
    redis.commands.on('close', () => {
      this.#stale = true
    })
    redis.onReady(() => void this.#refresh())
  }

  /** Takes a slot for a socket of `room` from `address` (a guest's when `guest`), or says which cap is reached. */
  async acquire(room: string, address: string | undefined, guest = false): Promise<Slot> {
    const local = this.#local.acquire(room, address, guest)
    if (!local.ok || !this.#redis) return local
    const fields = [roomField(room), addressField(address)]
    const guestArgs = guest ? [guestsField(room), guestSlots(this.#options.perRoom)] : []
    let verdict: number
    try {
      verdict = Number(
        await this.#redis.commands.eval(ACQUIRE, 2, INSTANCES, this.#hash, this.#instance, ...fields, this.#options.perRoom, this.#options.perAddress, this.#options.ttlMs, ...guestArgs),
      )
    } catch (error) {
      // [A25] Redis away: the local caps decide; the shared counts are rewritten when it returns.
      this.#stale = true
      this.#log.debug('cluster.caps_local_only', { error: String(error) })
      return local
    }
    if (verdict !== 0) {
      local.release()
      return { ok: false, reason: verdict === 1 ? CAP_REASONS.room : CAP_REASONS.address }
    }
    let released = false
    return {
      ok: true,
      release: () => {
        if (released) return
        released = true
        local.release()
        this.#redis?.commands.eval(RELEASE, 1, this.#hash, ...fields, ...(guest ? [guestsField(room)] : [])).catch(() => {
          this.#stale = true
        })
      },
    }
  }

  /**
   * Open sockets of `room` over all instances; this instance's own count while Redis is away. For
   * session end ([I3]): nobody is left on a board when no instance has a socket on it.
   */
  async roomCount(room: string): Promise<number> {
    if (!this.#redis) return this.#local.roomCount(room)
    try {
      return Number(await this.#redis.commands.eval(COUNT, 1, INSTANCES, roomField(room)))
    } catch {
      return this.#local.roomCount(room)
    }
  }

  /** Stops refreshing and removes this instance's counts (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat)
    await this.#redis?.commands.multi().del(this.#hash).zrem(INSTANCES, this.#instance).exec().catch(() => undefined)
  }

  /** Keeps this instance's counts alive; after an outage, writes them again from the local ones. */
  async #refresh(): Promise<void> {
    const redis = this.#redis
    if (!redis || redis.state !== 'ready') return
    try {
      if (this.#stale) {
        this.#stale = false
        const counts = this.#local.counts()
        const flat = [...counts.rooms].flatMap(([room, n]) => [roomField(room), n])
          .concat([...counts.addresses].flatMap(([key, n]) => [`addr:${key}`, n]))
          .concat([...counts.guests].flatMap(([room, n]) => [guestsField(room), n]))
        const write = redis.commands.multi().del(this.#hash)
        if (flat.length > 0) write.hset(this.#hash, ...flat)
        await write.exec()
      }
      // Expiry times come from Redis's clock (TIME), as in ACQUIRE: instances' clocks may differ.
      await redis.commands.eval(REFRESH, 2, INSTANCES, this.#hash, this.#instance, this.#options.ttlMs)
    } catch (error) {
      this.#stale = true
      this.#log.debug('cluster.caps_refresh_failed', { error: String(error) })
    }
  }
}
