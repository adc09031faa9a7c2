/**
 * Dot votes: the record the server stores for each vote (every ballot, durably) and the pure rules
 * it applies to a vote cast (docs/server-rules.md [C7]–[C10]). Shared because the results become
 * part of the plan record and the page mirrors the rules to disable what the server would refuse.
 *
 * @example
 * ```ts
 * const verdict = checkCast(vote, { userId, role, board: 'swot', mayEditBoard: true }, item, { type: 'note', internal: false }, true)
 * if (!verdict.ok) return refuse(verdict.message)
 * ```
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { BoardIdSchema, type BoardId } from './boards.ts'
import { ControlUserIdSchema, VotableShapeTypeSchema, VoteItemIdSchema } from './control.ts'
import type { Role } from './roles.ts'

/** One vote placed by one person on one item. A person may place several on the same item. */
export const BallotSchema = lazySchema(() => z.object({ userId: ControlUserIdSchema, item: VoteItemIdSchema }))
export type Ballot = z.infer<typeof BallotSchema>

/** A dot vote as stored: its settings, whether counts are shown, whether it is closed, and every ballot. */
export const VoteRecordSchema = lazySchema(() => z.object({
  id: z.string().min(1).max(64),
  workshopId: z.string().min(1).max(100),
  board: BoardIdSchema,
  question: z.string().min(1).max(200),
  votesPerPerson: z.number().int().min(1).max(20),
  shapeTypes: z.array(VotableShapeTypeSchema).min(1),
  revealed: z.boolean(),
  closed: z.boolean(),
  /** ISO 8601. */
  createdAt: z.iso.datetime({ offset: true }),
  ballots: z.array(BallotSchema),
}))
export type VoteRecord = z.infer<typeof VoteRecordSchema>

/** Who casts, as the server knows them (never as the page says). */
export type Voter = {
  userId: string
  role: Role
  /** The board this person's page shows now (from its control presence). */
  board: BoardId | null
  /** Whether this person's role may see the vote's board now. */
  mayEditBoard: boolean
}

export type CastVerdict = { ok: true } | { ok: false; message: string }

/** The shape a vote is cast on, as the server's loaded board holds it. */
export type VotedItem = {
  type: string
  /** In the board's internal part (marked internal): never voted on, since a vote's counts and results reach guests. */
  internal: boolean
}

/** The refusal of a vote on an internal item; the page says it before anyone tries. */
export const INTERNAL_ITEM_VOTE_REFUSAL = 'internal items are not voted on: a vote and its results can reach the customer'

/**
 * Whether `voter` may place (`add`) or remove a vote on `item`, the shape `found` on the vote's
 * board (undefined: no such shape). Rules [C7]–[C10]: the vote is open; viewers do not vote;
 * only people present on the vote's board vote, and only where their role may edit (guests: only
 * customer-facing boards); only the vote's shape types, never an internal item; at most
 * `votesPerPerson` each; a removal needs one of one's own votes on that item.
 */
export function checkCast(vote: VoteRecord, voter: Voter, item: string, found: VotedItem | undefined, add: boolean): CastVerdict {
  if (vote.closed) return { ok: false, message: 'this vote is closed' }
  if (voter.role === 'viewer') return { ok: false, message: 'viewers do not vote' }
  if (!voter.mayEditBoard) return { ok: false, message: 'you may not vote on this board' }
  if (voter.board !== vote.board) return { ok: false, message: 'only people on the board vote' }
  const mine = vote.ballots.filter((b) => b.userId === voter.userId)
  if (!add) return mine.some((b) => b.item === item) ? { ok: true } : { ok: false, message: 'no vote of yours on this item' }
  if (found === undefined || !(vote.shapeTypes as readonly string[]).includes(found.type)) {
    return { ok: false, message: 'this item cannot be voted on' }
  }
  if (found.internal) return { ok: false, message: INTERNAL_ITEM_VOTE_REFUSAL }
  if (mine.length >= vote.votesPerPerson) return { ok: false, message: vote.votesPerPerson === 1 ? 'you have used your vote' : `you have used all ${vote.votesPerPerson} votes` }
  return { ok: true }
}

/** Votes per item of `vote`, most first (ties by item id, so the order is stable). */
export function rankItems(vote: Pick<VoteRecord, 'ballots'>): { item: string; votes: number }[] {
  const counts = new Map<string, number>()
  for (const ballot of vote.ballots) counts.set(ballot.item, (counts.get(ballot.item) ?? 0) + 1)
  return [...counts].map(([item, votes]) => ({ item, votes })).sort((a, b) => b.votes - a.votes || a.item.localeCompare(b.item))
}

/**
 * The rank of each of `items` (most votes first, as a plan lists them): items with as many votes
 * share a rank, and the next rank skips as many places ("1, 1, 3").
 * @example voteRanks([{ votes: 3 }, { votes: 3 }, { votes: 1 }]) // [1, 1, 3]
 */
export function voteRanks(items: readonly { votes: number }[]): number[] {
  return items.map((item) => 1 + items.filter((other) => other.votes > item.votes).length)
}

/** How every view of a plan names a vote item whose card or note has no label: deleted before the snapshot. */
export const DELETED_VOTE_ITEM = '(deleted item)'

/** A vote item's label as every view of a plan shows it: its own, or {@link DELETED_VOTE_ITEM}. */
export function voteItemLabel(item: { label: string }): string {
  return item.label.trim() === '' ? DELETED_VOTE_ITEM : item.label
}
