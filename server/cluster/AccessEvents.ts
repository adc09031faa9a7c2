/**
 * Access changes made on one instance, applied on every other through Redis (docs/security.md
 * [A24]): a revocation closes the role's sync and room-control connections everywhere, a board
 * turned internal closes guests on it everywhere and pushes the new flags to every page, an
 * archived, unarchived or deleted workshop closes its sync connections everywhere, a renamed one is
 * read again by every page ([C13]), and a change of field sensitivities ([A35]) is what every
 * instance's rooms judge updates by.
 *
 * The instance where the change is made applies it itself (the REST routes do, before answering)
 * and then {@link AccessEvents.publish}es it; the others apply what they receive. Every event
 * first bumps the workshop's access epoch (`SessionRegistry`), so a connection another instance
 * was admitting meanwhile is refused at registration and checked again. An event published while
 * Redis is down is lost: while Redis is away, every instance instead reads the access state (and
 * the archived flag, and whether the workshop still exists) of the workshops it has sessions of
 * every {@link OUTAGE_POLL_MS} and applies what changed; and what it sends a guest meanwhile waits
 * for the next such read (a board turned internal elsewhere must not reach a guest here before
 * this instance can know of it).
 *
 * @example
 * ```ts
 * const events = new AccessEvents({ redis, sessions, control, access: store, workshops: store, log })
 * events.start()
 * events.publish({ kind: 'revoked', workshopId, role: 'guest' })
 * ```
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { lazySchema } from '../../shared/lazySchema.ts'
import { BoardIdSchema } from '../../shared/boards.ts'
import { CLOSE_CODES, TOKEN_REFUSED } from '../../shared/protocol.ts'
import { RoleSchema, type CustomerFacing } from '../../shared/roles.ts'
import { SensitivityOverridesSchema, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { nextSendMark, type SessionRegistry } from '../auth/SessionRegistry.ts'
import type { AccessStore, WorkshopAccess } from '../auth/WorkshopAccess.ts'
import type { ControlHub } from '../control/ControlHub.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import type { RedisLink } from './RedisLink.ts'

/**
 * How often access state is read while Redis is away; also the longest a guest's frames wait then
 * (`SessionRegistry.holdGuests`), after the read itself.
 */
export const OUTAGE_POLL_MS = 1_000

/** The Redis channel access changes travel on. */
export const ACCESS_CHANNEL = 'keyplan:access'

/** One access change, as it travels between instances. */
export const AccessEventSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('revoked'), workshopId: z.string().min(1), role: RoleSchema }),
  z.object({ kind: z.literal('settings'), workshopId: z.string().min(1), customerFacing: z.record(BoardIdSchema, z.boolean()) }),
  z.object({ kind: z.literal('archived'), workshopId: z.string().min(1), archived: z.boolean() }),
  z.object({ kind: z.literal('deleted'), workshopId: z.string().min(1) }),
  // [C13] the workshop's details changed (renamed, …): its pages read it again.
  z.object({ kind: z.literal('workshop'), workshopId: z.string().min(1) }),
  // [A35] the instance that stored it moved the values; the others judge updates by it from now on.
  // [S37] `generation`: the stored one it is (absent from instances before it was sent).
  z.object({
    kind: z.literal('sensitivity'),
    workshopId: z.string().min(1),
    overrides: SensitivityOverridesSchema,
    generation: z.number().int().nonnegative().optional(),
  }),
]))
export type AccessEvent = z.infer<typeof AccessEventSchema>

const EnvelopeSchema = lazySchema(() => z.object({ from: z.string(), event: AccessEventSchema }))

export type AccessEventsDeps = {
  redis: RedisLink | undefined
  sessions: SessionRegistry
  control: Pick<ControlHub, 'revoked' | 'closeRevoked' | 'accessChanged' | 'sensitivityChanged' | 'workshopChanged' | 'workshopIds'>
  /** Read while Redis is away, for the workshops with open sessions. */
  access: Pick<AccessStore, 'getAccess'>
  /** Read with `access`: an archive, unarchive or deletion made while Redis is away ([A21]). */
  workshops: Pick<Store, 'getWorkshop'>
  /** A workshop's field sensitivities changed on another instance: this instance's rooms judge by them now. */
  onSensitivity?: (workshopId: string, overrides: SensitivityOverrides, generation: number | undefined) => void
  log: Logger
}

/** Publishes this instance's access changes and applies the others'; see the module comment. */
export class AccessEvents {
  /** Tells this instance's own messages apart from the others'. */
  readonly #instance = randomBytes(8).toString('hex')
  readonly #deps: AccessEventsDeps
  /** While Redis is away: access state of the workshops with open sessions, as last read. */
  readonly #known = new Map<string, WorkshopAccess>()
  /** While Redis is away: the stored details of those workshops, as last read (a rename, [C13]). */
  readonly #knownDetails = new Map<string, string>()
  #polling: NodeJS.Timeout | undefined
  #closed = false

  constructor(deps: AccessEventsDeps) {
    this.#deps = deps
  }

  /** Subscribes (no-op without Redis). */
  start(): void {
    const { redis, log } = this.#deps
    if (!redis) return
    redis.subscriber.on('message', (channel: string, text: string) => {
      if (channel === ACCESS_CHANNEL) this.#receive(text)
    })
    redis.onReady(() => {
      if (this.#polling === undefined) return
      clearInterval(this.#polling)
      this.#polling = undefined
      // One last look for what changed while events could not travel, then back to events.
      void this.#poll().finally(() => {
        this.#known.clear()
        this.#knownDetails.clear()
        if (this.#polling === undefined) this.#deps.sessions.stopHoldingGuests()
      })
    })
    const down = () => {
      // Closing the link at shutdown closes its connections too: nothing to poll for then.
      if (this.#polling !== undefined || this.#closed) return
      // [A24] events are lost while Redis is away: read the access state of every workshop with
      // open sessions instead, and apply what changed; guests get what is sent them once a read
      // made after it found they may still have it.
      this.#deps.sessions.holdGuests()
      this.#polling = setInterval(() => void this.#poll(), OUTAGE_POLL_MS).unref()
      void this.#poll()
    }
    // A connection closed, or Redis stopped answering with them open ([A24]: its events are lost either way).
    redis.onDown(down)
    if (redis.state === 'down') down()
    // Not awaited: while Redis is away the subscription waits in ioredis's queue, and the server
    // starts anyway; ioredis subscribes again after every reconnect.
    redis.subscriber.subscribe(ACCESS_CHANNEL).catch((error: unknown) => log.warn('cluster.access_subscribe_failed', { error: String(error) }))
  }

  /** Tells the other instances about a change this instance has stored and applied. */
  publish(event: AccessEvent): void {
    const { redis, log } = this.#deps
    if (!redis) return
    redis.commands.publish(ACCESS_CHANNEL, JSON.stringify({ from: this.#instance, event })).catch((error: unknown) => {
      // [A24] the others read the access state themselves while Redis is away.
      log.warn('cluster.access_publish_failed', { workshop: event.workshopId, kind: event.kind, error: String(error) })
    })
  }

  /** Applies a change made on another instance to this instance's connections; how many closed. */
  apply(event: AccessEvent): number {
    const { sessions, control } = this.#deps
    const { workshopId } = event
    // [A4][A6] the epoch first: a connection being admitted here is checked again.
    sessions.bump(workshopId)
    switch (event.kind) {
      case 'revoked':
        control.revoked(workshopId, event.role)
        return sessions.closeWhere(workshopId, (s) => s.role === event.role, CLOSE_CODES.unauthorized, TOKEN_REFUSED.revoked)
      case 'settings': {
        const customerFacing = event.customerFacing as CustomerFacing // the schema's record of every board id
        control.accessChanged(workshopId, customerFacing)
        return sessions.closeHidden(workshopId, customerFacing)
      }
      case 'archived':
        return sessions.closeWhere(workshopId, () => true, CLOSE_CODES.tryAgainLater, event.archived ? 'workshop archived, reconnect' : 'workshop unarchived, reconnect')
      case 'deleted':
        return sessions.closeWhere(workshopId, () => true, CLOSE_CODES.unknownWorkshop, 'workshop deleted')
      case 'workshop':
        control.workshopChanged(workshopId)
        return 0
      case 'sensitivity':
        this.#deps.onSensitivity?.(workshopId, event.overrides, event.generation)
        control.sensitivityChanged(workshopId, event.overrides)
        return 0
    }
  }

  /** Stops polling (server shutdown). */
  close(): void {
    this.#closed = true
    clearInterval(this.#polling)
    this.#polling = undefined
  }

  /**
   * Reads the access state of every workshop with open sessions and applies what changed since the
   * last read, as if received: revoked roles, then the board flags and the sensitivities. Archiving
   * and deleting need no earlier read ([A21]): a session admitted before an archive or unarchive
   * it has not heard of reconnects, and the sessions of a workshop that is gone are closed.
   */
  async #poll(): Promise<void> {
    const { sessions, control, log } = this.#deps
    try {
      // Those with a board open here, and those with only a page in the room here (QA q36a: a
      // rename made while Redis was away never reached the pages of another instance).
      for (const workshopId of new Set([...sessions.workshops(), ...control.workshopIds()])) {
        // What its guests were sent before this read is judged by it.
        const vouched = nextSendMark()
        await this.#pollWorkshop(workshopId)
        sessions.releaseGuests(workshopId, vouched)
      }
    } catch (error) {
      log.warn('cluster.access_poll_failed', { error: String(error) })
    }
  }

  /** Reads one workshop's access state and applies what changed (see {@link #poll}). */
  async #pollWorkshop(workshopId: string): Promise<void> {
    const { access, workshops, sessions, control, log } = this.#deps
    const [now, workshop] = await Promise.all([access.getAccess(workshopId), workshops.getWorkshop(workshopId)])
    if (now === undefined || workshop === undefined) {
      this.#known.delete(workshopId)
      this.#knownDetails.delete(workshopId)
      const closed = this.apply({ kind: 'deleted', workshopId })
      log.info('cluster.access_changed_while_redis_down', { workshop: workshopId, kind: 'deleted', closed })
      return
    }
    const archived = workshop.archivedAt !== undefined
    const reconnect = sessions.closeWhere(
      workshopId,
      (s) => (s.archived ?? false) !== archived,
      CLOSE_CODES.tryAgainLater,
      archived ? 'workshop archived, reconnect' : 'workshop unarchived, reconnect',
    )
    if (reconnect > 0) {
      // A connection admitted meanwhile with the old flag is checked again (or closed next round).
      sessions.bump(workshopId)
      log.info('cluster.access_changed_while_redis_down', { workshop: workshopId, kind: 'archived', closed: reconnect })
    }
    // [C13] renamed (or any other stored detail) meanwhile: its pages read it again. At the first
    // read there is nothing to compare with (a rename may have been lost before it): they read it
    // once anyway, a request per page.
    const details = JSON.stringify(workshop)
    const detailsWere = this.#knownDetails.get(workshopId)
    this.#knownDetails.set(workshopId, details)
    if (detailsWere !== details) this.apply({ kind: 'workshop', workshopId })
    const was = this.#known.get(workshopId)
    this.#known.set(workshopId, now)
    // [A4] Links revoked meanwhile: the sessions and pages admitted under an older generation of
    // their role close, those admitted with a new link since stay. By each one's own generation,
    // not by comparing reads: a revocation made before this instance noticed Redis gone (its event
    // lost) is already in the first read (QA: it was never applied until Redis came back).
    const linksChanged = was !== undefined && RoleSchema.options.some((role) => now.generations[role] !== was.generations[role])
    const revoked = sessions.closeRevoked(workshopId, now.generations) + control.closeRevoked(workshopId, now.generations, linksChanged)
    if (revoked > 0 || linksChanged) {
      sessions.bump(workshopId)
      log.info('cluster.access_changed_while_redis_down', { workshop: workshopId, kind: 'revoked', closed: revoked })
    }
    if (was === undefined) {
      // The first read since events stopped: a board turned internal while this instance had
      // not yet noticed Redis gone (its event lost) closes its guests now, not never.
      const closed = sessions.closeHidden(workshopId, now.customerFacing)
      if (closed > 0) {
        sessions.bump(workshopId)
        log.info('cluster.access_changed_while_redis_down', { workshop: workshopId, kind: 'settings', closed })
      }
      return
    }
    if (JSON.stringify(now) === JSON.stringify(was)) return
    log.info('cluster.access_changed_while_redis_down', { workshop: workshopId })
    this.apply({ kind: 'settings', workshopId, customerFacing: now.customerFacing })
    if (JSON.stringify(now.sensitivity ?? {}) !== JSON.stringify(was.sensitivity ?? {})) {
      this.apply({ kind: 'sensitivity', workshopId, overrides: now.sensitivity ?? {}, generation: now.sensitivityGeneration ?? 0 })
    }
  }

  #receive(text: string): void {
    let parsed: z.infer<typeof EnvelopeSchema>
    try {
      parsed = EnvelopeSchema.parse(JSON.parse(text))
    } catch (error) {
      this.#deps.log.warn('cluster.access_bad_message', { error: String(error).slice(0, 200) })
      return
    }
    if (parsed.from === this.#instance) return
    const closed = this.apply(parsed.event)
    this.#deps.log.info('cluster.access_applied', { workshop: parsed.event.workshopId, kind: parsed.event.kind, closed })
  }
}
