/**
 * Bodies and responses of the snapshot API under `/api/workshops/:id/snapshots` (issue 4), shared
 * by the server (validation) and the client (parsing). The plan record itself is `PlanRecordSchema`
 * (`plan.ts`), its diff `PlanDiffSchema` (`planDiff.ts`).
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { WithheldSchema } from './withheld.ts'
import { lineOfText } from './api.ts'
import { BOARD_IDS, BoardIdSchema } from './boards.ts'
import { PlanSummarySchema } from './plan.ts'
import { DisplayNameSchema } from './control.ts'
import type { BoardPart } from './sensitivity.ts'
import { PlanHealthSchema } from './planHealth.ts'

/** A snapshot id: URL-safe random characters (base64url alphabet), like workshop ids. */
export const SnapshotIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid snapshot id'))
export type SnapshotId = z.infer<typeof SnapshotIdSchema>

/** Longest snapshot label accepted, in characters (the plan record's limit). */
export const MAX_SNAPSHOT_LABEL_LENGTH = 200

/** Bytes of one document's version in {@link CreateSnapshotBodySchema}'s `seen`, at most. */
export const MAX_SEEN_VERSION_BYTES = 32 * 1024

/**
 * One board document as the saving page holds it: `version` is `Y.encodeSnapshot(Y.snapshot(doc))`
 * (state vector and delete set) in base64. `part` names the board's shared or internal document.
 */
export const SeenVersionSchema = lazySchema(() => z.strictObject({
  board: BoardIdSchema,
  part: z.enum(['shared', 'internal'] as const satisfies readonly BoardPart[]),
  version: z.base64().max(Math.ceil(MAX_SEEN_VERSION_BYTES / 3) * 4, 'version too large'),
}))
export type SeenVersion = z.infer<typeof SeenVersionSchema>

/**
 * Body of `POST /snapshots`. The label is trimmed; an empty one means no label. `seen` lists the
 * board documents the saving page holds ([S40]): the snapshot waits until the server holds
 * everything in them (the page's own last edits may still be on their way), or answers 409.
 *
 * @example `{ "label": "After the kick-off" }` or `{}`
 */
export const CreateSnapshotBodySchema = lazySchema(() => z.strictObject({
  label: lineOfText('label', MAX_SNAPSHOT_LABEL_LENGTH).optional(),
  seen: z
    .array(SeenVersionSchema)
    .max(BOARD_IDS.length * 2)
    .refine((seen) => new Set(seen.map((s) => `${s.board}/${s.part}`)).size === seen.length, 'each board part at most once')
    .optional(),
}))
export type CreateSnapshotBody = z.infer<typeof CreateSnapshotBodySchema>

/**
 * Body of `POST /snapshots/:sid/restore`: the board to put back as it was at the snapshot, and the
 * name of the facilitator asking, for the history ([H3]).
 *
 * @example `{ "board": "stakeholders", "by": "Ana" }`
 */
export const RestoreBoardBodySchema = lazySchema(() => z.strictObject({ board: BoardIdSchema, by: DisplayNameSchema.optional() }))
export type RestoreBoardBody = z.infer<typeof RestoreBoardBodySchema>

/** Response of `POST /snapshots/:sid/restore`. */
export const RestoreResultSchema = lazySchema(() => z.object({
  board: BoardIdSchema,
  /** The snapshot the board was restored from. */
  restoredFrom: SnapshotIdSchema,
  /**
   * The snapshot taken just before (trigger `before_restore`): restore it to undo. Null when the
   * board already was as in the snapshot: nothing was written, and nothing saved.
   */
  beforeRestore: PlanSummarySchema.nullable(),
  /** Records written (added or changed) and removed by the restore. */
  put: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** Records of the snapshot that could not be restored (invalid for the current schema). */
  skipped: z.array(z.object({ id: z.string(), message: z.string() })),
}))
export type RestoreResult = z.infer<typeof RestoreResultSchema>

/** Response of `GET /snapshots`: newest first. */
export const SnapshotListSchema = lazySchema(() => z.object({ snapshots: z.array(PlanSummarySchema) }))
export type SnapshotList = z.infer<typeof SnapshotListSchema>

/**
 * Response of `GET /snapshots/:sid/boards/:board`: the board's tldraw records as they were,
 * with the tldraw schema they are stored in (migrate them with `recordMigrator`), for the
 * read-only review canvas. A board stored without a schema (never opened) gets the server's
 * current one, which is what a missing schema means (`relateStoredSchema`).
 */
export const SnapshotBoardSchema = lazySchema(() => z.object({
  schema: z.looseObject({ schemaVersion: z.number() }),
  records: z.array(z.looseObject({ id: z.string(), typeName: z.string() })),
  /**
   * A guest's: the card fields that were internal when the snapshot was taken ([A36]). The records
   * hold them at their defaults; the canvas leaves them off the cards.
   */
  withheld: WithheldSchema.optional(),
}))
export type SnapshotBoard = z.infer<typeof SnapshotBoardSchema>

/** What the link pickers of the side panel offer, read off the boards as they are now. */
const linkTargetsShape = () => ({
  /** When it was computed (ISO 8601); unchanged while no board changes. */
  computedAt: z.iso.datetime({ offset: true }),
  /**
   * The objectives on the board now, for the action card's "Serves objectives" picker, each with
   * the actions linked to it, drawn as connectors on the objectives board.
   */
  objectives: z.array(z.object({ id: z.string(), title: z.string(), actions: z.array(z.object({ id: z.string(), title: z.string() })).default([]) })),
  /** The weaknesses and threats on the SWOT now, for the objective card's "Answers" picker. */
  risks: z.array(z.object({ id: z.string(), text: z.string(), quadrant: z.enum(['weaknesses', 'threats']) })),
})

/**
 * Response of `GET /api/workshops/:id/link-targets`: the link targets as the caller may see them; a
 * guest's (and the team's with `?view=customer`) are read off the customer's view of the boards:
 * only boards shared with the customer, no internal items, withheld titles named as such
 * (docs/security.md [A42]).
 */
export const LinkTargetsSchema = lazySchema(() => z.object(linkTargetsShape()))
export type LinkTargets = z.infer<typeof LinkTargetsSchema>

/**
 * Response of `GET /api/workshops/:id/health`: the plan health as the boards are now, for the
 * page's health panel (docs/plan-health.md; guests: docs/security.md [A22]), with the team's link targets.
 */
export const LiveHealthSchema = lazySchema(() => z.object({ ...linkTargetsShape(), health: PlanHealthSchema }))
export type LiveHealth = z.infer<typeof LiveHealthSchema>
