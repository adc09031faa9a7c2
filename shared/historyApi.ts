/**
 * A board's change history (issue 11, rules [H1]–[H8] in docs/server-rules.md): the shapes stored
 * by the server and returned by `GET /api/workshops/:id/boards/:board/changes` and
 * `POST .../changes/:changeId/revert`, shared by the server (validation, storage) and the client
 * (parsing).
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { BoardIdSchema, type BoardId } from './boards.ts'
import { ROLES, type CustomerFacing, type Role } from './roles.ts'
import { DisplayNameSchema } from './control.ts'

/** A change id: URL-safe random characters (base64url alphabet), like snapshot ids. */
export const ChangeIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid change id'))
export type ChangeId = z.infer<typeof ChangeIdSchema>

/**
 * Who made a change: a participant's role, or `server` for changes the server writes itself
 * (a snapshot restore, a revert), or `unknown` when a change of several senders applied together
 * could not be attributed to one of them.
 */
export const ChangeAuthorRoleSchema = lazySchema(() => z.enum([...ROLES, 'server', 'unknown']))
export type ChangeAuthorRole = z.infer<typeof ChangeAuthorRoleSchema>

/**
 * What kind of change: `edit` (a participant's edits), `restore` (a snapshot restore), `revert`
 * (a revert of an earlier change, named by `revertOf`).
 */
export const ChangeKindSchema = lazySchema(() => z.enum(['edit', 'restore', 'revert']))
export type ChangeKind = z.infer<typeof ChangeKindSchema>

/** A tldraw record as stored in a board's document (not validated here; see `recordMigration.ts`). */
export const StoredRecordSchema = lazySchema(() => z.looseObject({ id: z.string(), typeName: z.string() }))
export type StoredRecord = z.infer<typeof StoredRecordSchema>

/**
 * One record a change touched: `before` null when the change created it, `after` null when it
 * deleted it; both whole records as composed from the board's document.
 */
export const ChangedRecordSchema = lazySchema(() => z.object({
  id: z.string(),
  typeName: z.string(),
  /** The shape or binding type (`note`, `arrow`...), null for other records. */
  type: z.string().nullable(),
  before: StoredRecordSchema.nullable(),
  after: StoredRecordSchema.nullable(),
  /**
   * Issue 13: what of the record was internal when the change was recorded: the whole item
   * (`item`), else the record's internal fields (`props.attitude`). Absent when nothing was, and
   * for changes recorded before issue 13. Never sent to a guest ([A36]).
   */
  internal: z.object({ item: z.boolean(), fields: z.array(z.string()) }).optional(),
}))
export type ChangedRecord = z.infer<typeof ChangedRecordSchema>

/**
 * One change of one board: one person's edits over a short window ([H2]), or one server write.
 *
 * @example
 * ```json
 * { "id": "b3JkZXIxMjM0", "workshopId": "...", "board": "swot", "at": "2026-12-03T09:00:00.000Z",
 *   "role": "team", "name": "Tom Weber", "connId": "Xy12ab34", "kind": "edit", "revertOf": null,
 *   "customerFacing": false, "records": [{ "id": "shape:a", "typeName": "shape", "type": "note", "before": {...}, "after": null }] }
 * ```
 */
export const BoardChangeSchema = lazySchema(() => z.object({
  id: ChangeIdSchema,
  workshopId: z.string(),
  board: BoardIdSchema,
  /** ISO 8601 time of the change's last edit. */
  at: z.iso.datetime(),
  role: ChangeAuthorRoleSchema,
  /** The display name the writer's connection announced last; `Keyplan` for the server; null when none. */
  name: z.string().nullable(),
  /** The writer's connection id (as in the server's logs); null for the server. */
  connId: z.string().nullable(),
  kind: ChangeKindSchema,
  /** For a revert, the change it reverted. */
  revertOf: ChangeIdSchema.nullable(),
  /** Whether the board was customer-facing when the change was recorded ([H6]). */
  customerFacing: z.boolean(),
  records: z.array(ChangedRecordSchema),
}))
export type BoardChange = z.infer<typeof BoardChangeSchema>

/** Most changes one page of the list holds. */
export const MAX_CHANGES_PAGE = 100

/**
 * Query of `GET .../changes`: `cursor` is the `nextCursor` of the previous page (absent for the
 * newest page), `limit` 1–{@link MAX_CHANGES_PAGE}, 20 by default.
 */
export const ChangeListQuerySchema = lazySchema(() => z.strictObject({
  cursor: z.string().regex(/^[1-9][0-9]{0,14}$/, 'invalid cursor').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CHANGES_PAGE).default(20),
}))
export type ChangeListQuery = z.infer<typeof ChangeListQuerySchema>

/** Response of `GET .../changes`: newest first; `nextCursor` null on the last page. */
export const ChangeListSchema = lazySchema(() => z.object({
  changes: z.array(BoardChangeSchema),
  nextCursor: z.string().nullable(),
}))
export type ChangeList = z.infer<typeof ChangeListSchema>

/** Why a revert left a record or field alone. */
export const RevertConflictReasonSchema = lazySchema(() => z.enum([
  /** The field (or the created record) was changed again since. */
  'changed_since',
  /** The record was deleted since. */
  'deleted_since',
  /** A record with the deleted record's id exists again. */
  'exists',
  /** The reverted record would not be a valid record of the current schema. */
  'invalid',
  /**
   * What the record hangs on (a shape's frame, a line's cards) was deleted since: put back, it
   * would show on no page. Reverting that delete first lets this one through.
   */
  'parent_gone',
  /**
   * The item is internal now and the change made it so (or it was marked since): a revert never
   * shows the customer an item the team made internal, nor what was written in it since (QA q28b).
   */
  'stays_internal',
]))
export type RevertConflictReason = z.infer<typeof RevertConflictReasonSchema>

/** One record or field a revert left alone ([H4]); `field` null when it concerns the whole record. */
export const RevertConflictSchema = lazySchema(() => z.object({
  recordId: z.string(),
  field: z.string().nullable(),
  reason: RevertConflictReasonSchema,
}))
export type RevertConflict = z.infer<typeof RevertConflictSchema>

/** Response of `POST .../changes/:changeId/revert`. */
export const RevertResultSchema = lazySchema(() => z.object({
  /** The new change the revert made (itself revertible); null when there was nothing to write. */
  change: BoardChangeSchema.nullable(),
  /** Records put back, removed or changed back. */
  reverted: z.number().int().nonnegative(),
  conflicts: z.array(RevertConflictSchema),
}))
export type RevertResult = z.infer<typeof RevertResultSchema>

/**
 * Whether `role` may read the change history of `board` ([H6]): facilitator, team and viewer
 * (who reads every board anyway); a guest only on a board that is customer-facing now.
 */
export function canReadHistory(role: Role, board: BoardId, customerFacing: CustomerFacing): boolean {
  return role !== 'guest' || customerFacing[board] === true
}

/** Body of `POST …/changes/:changeId/revert` (optional): the name of the facilitator asking, for the history ([H3]). */
export const RevertBodySchema = lazySchema(() => z.strictObject({ by: DisplayNameSchema.optional() }))
export type RevertBody = z.infer<typeof RevertBodySchema>

/** Whether `role` may revert a change (facilitator only, [H7]). */
export function canRevertChange(role: Role): boolean {
  return role === 'facilitator'
}
