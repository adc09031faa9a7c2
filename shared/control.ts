/**
 * The room-control wire contract: one websocket per page and workshop, beside the board documents,
 * carrying small JSON messages for presence across boards, "bring everyone here", pushed access
 * changes, the timer and dot voting (docs/decisions/002-room-control-channel.md). The server is the
 * authority: every client message is parsed with {@link ControlClientMessageSchema}, checked against
 * the sender's role, and answered by state it sends to each page filtered for that page's role.
 *
 * @example
 * ```ts
 * const ws = new WebSocket(`${wsOrigin}${CONTROL_PATH}/${workshopId}?token=${token}&user=${userId}&name=${name}`)
 * ws.send(JSON.stringify({ type: CONTROL_CLIENT.presence, board: 'swot' } satisfies ControlClientMessage))
 * ws.onmessage = (event) => handle(ControlServerMessageSchema.parse(JSON.parse(event.data)))
 * ```
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { BoardIdSchema, type BoardId } from './boards.ts'
import { RoleSchema } from './roles.ts'
import { SensitivityOverridesSchema } from './sensitivity.ts'

/** Path of the control endpoint: `/control/<workshopId>?token=…&user=user:<uuid>&name=…`. */
export const CONTROL_PATH = '/control'

/**
 * Bounds of the control channel (docs/server-rules.md [C1]–[C2]). The server closes a control
 * socket with the sync protocol's `CLOSE_CODES` (shared/protocol.ts): 1003 binary frame, 1007
 * unreadable or unknown message, 1009 frame over {@link CONTROL_LIMITS.maxFrameBytes}, 4400 bad path,
 * user id or name, 4401 token missing, invalid, expired (also while open) or revoked, 4404 unknown
 * workshop, 4429 over the message rate, 4503 workshop full, 1001 shutdown. A page reconnects after
 * anything outside 4400–4499.
 */
export const CONTROL_LIMITS = {
  /** Longest text frame accepted, in bytes; longer frames close the socket with 1009. */
  maxFrameBytes: 4096,
  /** Messages a connection may send per {@link CONTROL_LIMITS.rateWindowMs}; more close it with 4429. */
  maxMessagesPerWindow: 40,
  /** The rate window, in milliseconds. */
  rateWindowMs: 2_000,
  /** Longest display name, in characters (as the page's name prompt). */
  maxNameLength: 40,
  /** Longest vote question, in characters. */
  maxQuestionLength: 200,
  /** Most votes one person may be given per vote. */
  maxVotesPerPerson: 20,
  /** Longest timer, in milliseconds (4 hours). */
  maxTimerMs: 4 * 60 * 60 * 1000,
  /** Control connections per workshop; more are closed with 4503. */
  maxConnectionsPerWorkshop: 200,
} as const

/** A tldraw user id as the page's identity module makes it: `user:` and a UUID. */
export const ControlUserIdSchema = lazySchema(() => z.string().regex(/^user:[0-9a-f-]{36}$/))

/** A display name: trimmed, printable, at most {@link CONTROL_LIMITS.maxNameLength} characters. */
export const DisplayNameSchema = lazySchema(() => z
  .string()
  .trim()
  .min(1)
  .max(CONTROL_LIMITS.maxNameLength)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'no control characters'))

/** A tldraw shape id (`shape:` and up to 64 safe characters): what a vote is placed on. */
export const VoteItemIdSchema = lazySchema(() => z.string().regex(/^shape:[A-Za-z0-9_-]{1,64}$/))

/** Shape types a vote may allow: sticky notes and the card types of the five boards. */
export const VOTABLE_SHAPE_TYPES = ['note', 'stakeholder', 'action', 'objective', 'whitespace', 'competitor'] as const
export const VotableShapeTypeSchema = lazySchema(() => z.enum(VOTABLE_SHAPE_TYPES))
export type VotableShapeType = z.infer<typeof VotableShapeTypeSchema>

/** Message types a page sends, declared once. */
export const CONTROL_CLIENT = {
  /** Which board this page shows now (null: none, e.g. the board list). */
  presence: 'presence',
  /** Renames this page's person. */
  rename: 'rename',
  /** Facilitator: every page goes to the facilitator's board and follows them. */
  summon: 'summon',
  /**
   * Facilitator: present mode starts (`on: true`: every page goes to the presenter's board and
   * follows them, as with {@link CONTROL_CLIENT.summon}) or ends (`on: false`: every page is
   * released, {@link CONTROL_SERVER.presentEnded}).
   */
  present: 'present',
  /** Facilitator: starts, pauses, resumes, extends or stops the workshop timer. */
  timer: 'timer',
  /** Facilitator: starts a dot vote on a board. */
  voteStart: 'vote-start',
  /** Places (`add: true`) or removes one of this person's votes on an item. */
  voteCast: 'vote-cast',
  /** Facilitator: shows the counts to everyone. */
  voteReveal: 'vote-reveal',
  /** Facilitator: closes the vote; its results stay in the plan record. */
  voteClose: 'vote-close',
} as const

/** Message types the server sends, declared once. */
export const CONTROL_SERVER = {
  /** The first message: who this page is, the server's clock, and the current state. */
  welcome: 'welcome',
  /** The workshop's participants, filtered for this page's role. */
  participants: 'participants',
  /** Someone used "Bring everyone here": go to `board` and follow `leader`. */
  summoned: 'summoned',
  /**
   * The presentation of `leader` ended (they stopped presenting, or their page left or lost its
   * connection, [C12]): a page following `leader` stops following and may move freely.
   */
  presentEnded: 'present-ended',
  /** Which boards are customer-facing changed: fetch the access view again. */
  access: 'access',
  /** The workshop's details (account, title, time zone, archived) changed ([C13]): fetch the workshop again. */
  workshop: 'workshop',
  /**
   * The facilitator changed which card fields are internal (issue 13, [C11]): the workshop's
   * sensitivity overrides, sent to the team's roles only (guests are not told, [A35]).
   */
  sensitivity: 'sensitivity',
  /** The timer's state, with the server's clock. */
  timer: 'timer',
  /** The active vote (or null), filtered for this page. */
  vote: 'vote',
  /** A message was understood but refused (wrong role, over a limit); the connection stays open. */
  refused: 'refused',
  /**
   * Nothing else was sent to this page for a while (docs/server-rules.md [S45], `SERVER_BEAT_MS`):
   * the server still answers. No payload; a page that hears nothing for `SILENT_SERVER_MS`
   * reconnects.
   */
  beat: 'beat',
} as const

/** Timer commands (facilitator only). */
export const TimerCommandSchema = lazySchema(() => z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start'), durationMs: z.number().int().min(1_000).max(CONTROL_LIMITS.maxTimerMs) }),
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  z.strictObject({ action: z.literal('extend'), byMs: z.number().int().min(1_000).max(CONTROL_LIMITS.maxTimerMs) }),
  z.strictObject({ action: z.literal('stop') }),
]))
export type TimerCommand = z.infer<typeof TimerCommandSchema>

/** Every message a page may send; anything else closes the socket with 1007. */
export const ControlClientMessageSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal(CONTROL_CLIENT.presence), board: BoardIdSchema.nullable() }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.rename), name: DisplayNameSchema }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.summon) }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.present), on: z.boolean() }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.timer), command: TimerCommandSchema }),
  z.strictObject({
    type: z.literal(CONTROL_CLIENT.voteStart),
    board: BoardIdSchema,
    question: z.string().trim().min(1).max(CONTROL_LIMITS.maxQuestionLength),
    votesPerPerson: z.number().int().min(1).max(CONTROL_LIMITS.maxVotesPerPerson),
    shapeTypes: z.array(VotableShapeTypeSchema).min(1).max(VOTABLE_SHAPE_TYPES.length),
  }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.voteCast), voteId: z.string().max(64), item: VoteItemIdSchema, add: z.boolean() }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.voteReveal), voteId: z.string().max(64) }),
  z.strictObject({ type: z.literal(CONTROL_CLIENT.voteClose), voteId: z.string().max(64) }),
]))
export type ControlClientMessage = z.infer<typeof ControlClientMessageSchema>

/**
 * Where a participant is, as one recipient may know it: a board id, `internal` (a guest looking at
 * someone on a board guests may not see: never the board's name), or null (on no board).
 */
export const ParticipantWhereSchema = lazySchema(() => z.union([BoardIdSchema, z.literal('internal'), z.null()]))
export type ParticipantWhere = z.infer<typeof ParticipantWhereSchema>

/** One page in the workshop (a person with two tabs is two entries with one `userId`). */
export const ControlParticipantSchema = lazySchema(() => z.object({
  /** The control connection's id: unique per page. */
  id: z.string(),
  userId: ControlUserIdSchema,
  name: z.string(),
  role: RoleSchema,
  where: ParticipantWhereSchema,
}))
export type ControlParticipant = z.infer<typeof ControlParticipantSchema>

/** The timer: idle, running until `endsAt` (server clock, ms), or paused with `remainingMs` left. */
export const TimerStateSchema = lazySchema(() => z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }),
  z.object({ status: z.literal('running'), endsAt: z.number(), durationMs: z.number() }),
  z.object({ status: z.literal('paused'), remainingMs: z.number(), durationMs: z.number() }),
]))
export type TimerState = z.infer<typeof TimerStateSchema>

/** A dot vote as one page sees it. Counts are present only once revealed (or for the facilitator). */
export const VoteViewSchema = lazySchema(() => z.object({
  id: z.string(),
  board: BoardIdSchema,
  question: z.string(),
  votesPerPerson: z.number().int(),
  shapeTypes: z.array(VotableShapeTypeSchema),
  revealed: z.boolean(),
  /** This page's person's votes, item id → how many. */
  mine: z.record(z.string(), z.number().int()),
  /** Everyone's votes per item; null while hidden from this page. */
  counts: z.record(z.string(), z.number().int()).nullable(),
  /** How many votes were placed in all (shown while hidden, so people see progress). */
  total: z.number().int(),
  /** True in the last view of a vote the facilitator closed: its results, which a page keeps showing until dismissed. */
  closed: z.boolean().optional(),
}))
export type VoteView = z.infer<typeof VoteViewSchema>

/** Every message the server sends. */
export const ControlServerMessageSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.object({
    type: z.literal(CONTROL_SERVER.welcome),
    id: z.string(),
    role: RoleSchema,
    serverNow: z.number(),
    customerFacing: z.record(BoardIdSchema, z.boolean()),
    /**
     * The page presenting now (its connection id and user id), or null ([C12]): a page that
     * reconnects stops following someone whose presentation ended while it was away.
     */
    presenter: z.object({ id: z.string(), userId: ControlUserIdSchema }).nullable(),
  }),
  z.object({ type: z.literal(CONTROL_SERVER.participants), participants: z.array(ControlParticipantSchema) }),
  z.object({
    type: z.literal(CONTROL_SERVER.summoned),
    leader: ControlUserIdSchema,
    leaderName: z.string(),
    /** The leader's board, or `internal` for a guest who may not see it. */
    board: z.union([BoardIdSchema, z.literal('internal')]),
    /** True when the leader started presenting ([C12]): the following ends with the presentation. */
    present: z.boolean(),
  }),
  z.object({ type: z.literal(CONTROL_SERVER.presentEnded), leader: ControlUserIdSchema }),
  z.object({ type: z.literal(CONTROL_SERVER.access), customerFacing: z.record(BoardIdSchema, z.boolean()) }),
  z.object({ type: z.literal(CONTROL_SERVER.workshop) }),
  z.object({ type: z.literal(CONTROL_SERVER.sensitivity), fields: SensitivityOverridesSchema }),
  z.object({ type: z.literal(CONTROL_SERVER.timer), state: TimerStateSchema, serverNow: z.number() }),
  z.object({ type: z.literal(CONTROL_SERVER.vote), vote: VoteViewSchema.nullable() }),
  z.object({ type: z.literal(CONTROL_SERVER.refused), message: z.string() }),
  z.object({ type: z.literal(CONTROL_SERVER.beat) }),
]))
export type ControlServerMessage = z.infer<typeof ControlServerMessageSchema>

/** Milliseconds left on `timer` at server time `serverNow` (0 when idle or over). */
export function timerRemainingMs(timer: TimerState, serverNow: number): number {
  if (timer.status === 'idle') return 0
  if (timer.status === 'paused') return timer.remainingMs
  return Math.max(0, timer.endsAt - serverNow)
}

/** The board a recipient of `role` may know someone is on (see {@link ParticipantWhere}). */
export function whereFor(viewerSeesBoard: (board: BoardId) => boolean, board: BoardId | null): ParticipantWhere {
  if (board === null) return null
  return viewerSeesBoard(board) ? board : 'internal'
}
