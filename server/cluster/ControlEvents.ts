/**
 * Room control across instances (docs/server-rules.md [C14]): what a facilitator does on one
 * instance reaches the pages on every other through Redis, as it reaches the pages on its own.
 * Each instance's {@link ControlHub} publishes, after storing it where it is stored:
 * - the timer and the vote as they now are (the others tell their pages, as if made there);
 * - "bring everyone here", a presentation started or ended;
 * - the people on its control connections per workshop: on every change, again every heartbeat,
 *   and when another instance asks (`hello`, when its first page of a workshop joins). A list not
 *   renewed for {@link MISSED_HEARTBEATS} heartbeats is dropped (that instance died), and a
 *   presentation it held ends for everyone.
 *
 * Timer and vote are also read from the store before every change and when a page joins, so an
 * event lost while Redis is away leaves nobody acting on an old state; a vote is stored only if it
 * is still what was read ({@link Store.replaceVote}).
 *
 * @example
 * ```ts
 * const events = new ControlEvents({ redis, log, heartbeatMs: 2_000 })
 * const hub = new ControlHub({ …, cluster: events })
 * events.start(hub)
 * ```
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { BoardIdSchema } from '../../shared/boards.ts'
import { ControlUserIdSchema, TimerStateSchema } from '../../shared/control.ts'
import { lazySchema } from '../../shared/lazySchema.ts'
import { RoleSchema } from '../../shared/roles.ts'
import { VoteRecordSchema } from '../../shared/votes.ts'
import type { Logger } from '../log.ts'
import type { RedisLink } from './RedisLink.ts'

/** The Redis channel room-control events travel on. */
export const CONTROL_CHANNEL = 'keyplan:control'

/** Heartbeats a peer list may go without renewal before its instance is taken for dead. */
export const MISSED_HEARTBEATS = 3

const WorkshopIdSchema = z.string().min(1).max(64)
const PresenterSchema = lazySchema(() => z.object({ id: z.string().max(64), userId: ControlUserIdSchema }))

/** One page on another instance, as its participant list needs it. */
export const RemotePeerSchema = lazySchema(() =>
  z.object({ id: z.string().max(64), userId: ControlUserIdSchema, name: z.string().max(200), role: RoleSchema, board: BoardIdSchema.nullable() }),
)
export type RemotePeer = z.infer<typeof RemotePeerSchema>

/** One room-control event, as it travels between instances. */
export const ControlEventSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('timer'), workshopId: WorkshopIdSchema, state: TimerStateSchema, serverNow: z.number() }),
    z.object({ kind: z.literal('vote'), workshopId: WorkshopIdSchema, vote: VoteRecordSchema }),
    z.object({
      kind: z.literal('summon'),
      workshopId: WorkshopIdSchema,
      leader: PresenterSchema,
      leaderName: z.string().max(200),
      board: BoardIdSchema,
      present: z.boolean(),
      /** A presentation's start (ms, the sending instance's clock): of two, the later one holds. */
      since: z.number().optional(),
    }),
    z.object({ kind: z.literal('present-ended'), workshopId: WorkshopIdSchema, leader: PresenterSchema }),
    z.object({ kind: z.literal('peers'), workshopId: WorkshopIdSchema, peers: z.array(RemotePeerSchema).max(1000), presenter: PresenterSchema.nullable() }),
    z.object({ kind: z.literal('hello'), workshopId: WorkshopIdSchema }),
    // Items of the open vote's board changed (made internal, deleted): a guest's counts are read again.
    z.object({ kind: z.literal('vote-items'), workshopId: WorkshopIdSchema, board: BoardIdSchema }),
  ]),
)
export type ControlEvent = z.infer<typeof ControlEventSchema>

const EnvelopeSchema = lazySchema(() => z.object({ from: z.string().max(64), event: ControlEventSchema }))

/** What the hub is told of other instances. */
export type ControlEventTarget = {
  applyRemote(instance: string, event: ControlEvent): void
  /**
   * Every heartbeat: renew this instance's peer lists, drop those of instances gone quiet since
   * `hearingSince`, when this instance last began hearing Redis; null while it hears nothing (Redis
   * away): then every list is kept as last heard, not taken for an instance that died.
   */
  heartbeat(now: number, hearingSince: number | null): void
  /** Redis is back: the other instances are asked for their lists (what changed meanwhile was not heard). */
  hearingAgain(): void
}

export type ControlEventsDeps = { redis: RedisLink; log: Logger; heartbeatMs: number }

/** Publishes this instance's room-control events and hands the others' to the hub. */
export class ControlEvents {
  /** This instance, as the others know it. */
  readonly instance = randomBytes(8).toString('hex')
  readonly heartbeatMs: number
  readonly #deps: ControlEventsDeps
  #timer: NodeJS.Timeout | undefined
  /** When this instance last began hearing Redis (see {@link ControlEventTarget.heartbeat}). */
  #hearingSince = Date.now()

  constructor(deps: ControlEventsDeps) {
    this.#deps = deps
    this.heartbeatMs = deps.heartbeatMs
  }

  /** Subscribes and starts the heartbeat. */
  start(target: ControlEventTarget): void {
    const { redis, log } = this.#deps
    redis.subscriber.on('message', (channel: string, text: string) => {
      if (channel === CONTROL_CHANNEL) this.#receive(target, text)
    })
    redis.subscriber.subscribe(CONTROL_CHANNEL).catch((error: unknown) => log.warn('cluster.control_subscribe_failed', { error: String(error) }))
    redis.onReady(() => {
      this.#hearingSince = Date.now()
      target.hearingAgain()
    })
    // QA q36a: a Redis outage longer than the heartbeats ended a presentation held on another
    // instance for the pages here, as if that instance had died.
    this.#timer = setInterval(() => target.heartbeat(Date.now(), redis.state === 'ready' ? this.#hearingSince : null), this.heartbeatMs)
    this.#timer.unref()
  }

  /** Tells the other instances (dropped while Redis is away: they read timer and vote from the store). */
  publish(event: ControlEvent): void {
    const { redis, log } = this.#deps
    redis.commands.publish(CONTROL_CHANNEL, JSON.stringify({ from: this.instance, event })).catch((error: unknown) => {
      log.warn('cluster.control_publish_failed', { workshop: event.workshopId, kind: event.kind, error: String(error) })
    })
  }

  close(): void {
    clearInterval(this.#timer)
  }

  #receive(target: ControlEventTarget, text: string): void {
    let parsed: z.infer<typeof EnvelopeSchema>
    try {
      parsed = EnvelopeSchema.parse(JSON.parse(text))
    } catch (error) {
      this.#deps.log.warn('cluster.control_bad_message', { error: String(error).slice(0, 200) })
      return
    }
    if (parsed.from === this.instance) return
    try {
      target.applyRemote(parsed.from, parsed.event)
    } catch (error) {
      this.#deps.log.error('cluster.control_apply_failed', { workshop: parsed.event.workshopId, kind: parsed.event.kind, error: String(error) })
    }
  }
}
