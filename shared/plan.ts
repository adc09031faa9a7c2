import { z } from 'zod'
import { BoardIdSchema } from './boards.ts'
import { ACTION_STATUSES, ATTITUDES, BUYING_ROLES, INFLUENCE_LEVELS, RELATIONSHIP_KINDS } from './shapes.ts'

/**
 * The plan record: the structured account plan a snapshot extracts from a workshop's boards.
 * Stored with every snapshot, served by the API, exported as Markdown, CSV and JSON, and
 * published as JSON Schema for CRM integrations. Changing its shape means a new
 * {@link PLAN_SCHEMA_VERSION}; stored records keep the version they were written with.
 */

/**
 * Version of the plan record format, stored in every record as `schemaVersion`. Version 2 added
 * `votes`; older stored records are upgraded on read by {@link migratePlanRecord}.
 */
export const PLAN_SCHEMA_VERSION = 2

/** What caused a snapshot to be taken. */
export const SNAPSHOT_TRIGGERS = [
  /** The facilitator pressed "Save snapshot". */
  'manual',
  /** The last participant left a workshop that changed since the last snapshot. */
  'session_end',
  /** Every 10 minutes while edits happen. */
  'periodic',
  /** Taken automatically before a board is restored, so the restore can be undone. */
  'before_restore',
] as const

/** How each trigger is described to people (timeline, exports). */
export const SNAPSHOT_TRIGGER_LABELS = {
  manual: 'Saved by the facilitator',
  session_end: 'End of session',
  periodic: 'Periodic',
  before_restore: 'Before a restore',
} as const satisfies Record<(typeof SNAPSHOT_TRIGGERS)[number], string>

/** Validates a snapshot trigger. */
export const SnapshotTriggerSchema = z.enum(SNAPSHOT_TRIGGERS)
export type SnapshotTrigger = z.infer<typeof SnapshotTriggerSchema>

/** The four SWOT quadrants, in the order the template lays them out and the plan lists them. */
export const SWOT_QUADRANTS = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const

/** Validates a SWOT quadrant. */
export const SwotQuadrantSchema = z.enum(SWOT_QUADRANTS)
export type SwotQuadrant = z.infer<typeof SwotQuadrantSchema>

/** Human titles of the quadrants (frame names on the board, headings in exports). */
export const SWOT_QUADRANT_TITLES = {
  strengths: 'Strengths',
  weaknesses: 'Weaknesses',
  opportunities: 'Opportunities',
  threats: 'Threats',
} as const satisfies Record<SwotQuadrant, string>

/** A tldraw shape id (`shape:…`): the id of the note, card or arrow an item came from. */
const ShapeIdSchema = z.string().min(1).max(200)
const Text = z.string().max(10_000)

/** One note of the SWOT board. `author` is present only when the board recorded who wrote it. */
export const SwotItemSchema = z.object({
  id: ShapeIdSchema.describe('Id of the note on the SWOT board; stable across snapshots'),
  text: Text.describe('Plain text of the note, lines separated by \\n'),
  author: z.string().max(200).optional().describe('Who wrote the note, when the board recorded it'),
})
export type SwotItem = z.infer<typeof SwotItemSchema>

/** The SWOT section: one list per quadrant plus the notes outside every quadrant. */
export const SwotSchema = z.object({
  strengths: z.array(SwotItemSchema),
  weaknesses: z.array(SwotItemSchema),
  opportunities: z.array(SwotItemSchema),
  threats: z.array(SwotItemSchema),
  /** Notes whose centre lies outside every quadrant frame. */
  unsorted: z.array(SwotItemSchema).describe('Notes outside every quadrant'),
})
export type Swot = z.infer<typeof SwotSchema>

/** A person on the customer's side, read from a stakeholder card. */
export const PlanStakeholderSchema = z.object({
  id: ShapeIdSchema,
  name: Text,
  jobTitle: Text,
  department: Text,
  /** Null until the team has assessed the person. */
  buyingRole: z.enum(BUYING_ROLES).nullable().describe('Role in the buying centre; null until assessed'),
  influence: z.enum(INFLUENCE_LEVELS),
  attitude: z.enum(ATTITUDES),
  /** Who on our side owns the relationship with this person. */
  owner: Text.describe('Who on our side owns the relationship with this person'),
  notes: Text,
})
export type PlanStakeholder = z.infer<typeof PlanStakeholderSchema>

/** A line between two stakeholders: an arrow bound at both ends to stakeholder cards. */
export const PlanRelationshipSchema = z.object({
  /** The arrow's shape id. */
  id: ShapeIdSchema,
  /** Stakeholder id at the arrow's start. */
  from: ShapeIdSchema.describe("Stakeholder id at the arrow's start"),
  /** Stakeholder id at the arrow's end. */
  to: ShapeIdSchema.describe("Stakeholder id at the arrow's end"),
  kind: z.enum(RELATIONSHIP_KINDS),
})
export type PlanRelationship = z.infer<typeof PlanRelationshipSchema>

/** One action of the action plan, read from an action card. */
export const PlanActionSchema = z.object({
  id: ShapeIdSchema,
  title: Text,
  owner: Text,
  /** ISO calendar date `YYYY-MM-DD`, or null when the card has no due date. */
  due: z.iso.date().nullable().describe('Due date YYYY-MM-DD, or null'),
  status: z.enum(ACTION_STATUSES),
  /** Due before the snapshot's day and not done (see `isOverdue` in shapes.ts). */
  overdue: z.boolean().describe('Due before the day of the snapshot and not done'),
})
export type PlanAction = z.infer<typeof PlanActionSchema>

/** Something extraction could not read; the rest of the plan is still extracted. */
export const PlanWarningSchema = z.object({
  board: BoardIdSchema,
  /** The record the problem is about, when there is one. */
  shapeId: ShapeIdSchema.optional().describe('The record the problem is about'),
  message: z.string().max(1000),
})
export type PlanWarning = z.infer<typeof PlanWarningSchema>

/** One item of a dot vote's results. */
export const PlanVoteItemSchema = z.object({
  id: ShapeIdSchema.describe('Id of the note or card voted on'),
  /** The item's text when the snapshot was taken (note text, stakeholder name, action title). */
  label: Text.describe('The note text, stakeholder name or action title; empty when the item was deleted'),
  votes: z.number().int().positive(),
})
export type PlanVoteItem = z.infer<typeof PlanVoteItemSchema>

/** A revealed dot vote: its question and its items ranked by votes (most first). */
export const PlanVoteSchema = z.object({
  id: z.string().min(1).max(64),
  board: BoardIdSchema,
  question: z.string().max(200),
  votesPerPerson: z.number().int().positive(),
  /** Whether the facilitator closed the vote (false: still open when the snapshot was taken). */
  closed: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Votes placed in all. */
  totalVotes: z.number().int().nonnegative(),
  /** How many people voted. */
  voters: z.number().int().nonnegative(),
  items: z.array(PlanVoteItemSchema).describe('Items ranked by votes, most first'),
})
export type PlanVote = z.infer<typeof PlanVoteSchema>

const planHeader = {
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  /** The snapshot id. */
  id: z.string().min(1).max(100).describe('Snapshot id'),
  workshopId: z.string().min(1).max(100),
  account: z.string().max(200),
  title: z.string().max(200),
  takenAt: z.iso.datetime({ offset: true }).describe('When the snapshot was taken (ISO 8601)'),
  trigger: SnapshotTriggerSchema,
  /** The facilitator's label for the snapshot, or null. */
  label: z.string().max(200).nullable(),
  /** Display names of the participants present when the snapshot was taken. */
  participants: z.array(z.string().max(200)).describe('Display names of the participants present'),
}

/**
 * A complete plan record, as stored with a snapshot and returned by `GET /snapshots/:sid`.
 * @example
 * const record = PlanRecordSchema.parse(JSON.parse(row.plan)) // validate what storage returns
 */
export const PlanRecordSchema = z.object({
  ...planHeader,
  swot: SwotSchema,
  stakeholders: z.array(PlanStakeholderSchema),
  relationships: z.array(PlanRelationshipSchema),
  actions: z.array(PlanActionSchema),
  votes: z.array(PlanVoteSchema).describe('Revealed dot votes, oldest first, each with its items ranked by votes'),
  warnings: z.array(PlanWarningSchema).describe('What could not be read from the boards'),
})
export type PlanRecord = z.infer<typeof PlanRecordSchema>

/**
 * What extraction produces: a plan record without its snapshot id, which the server assigns
 * when it stores the snapshot (`PlanRecordSchema.parse({ ...draft, id })`).
 */
export const PlanDraftSchema = PlanRecordSchema.omit({ id: true })
export type PlanDraft = z.infer<typeof PlanDraftSchema>

/**
 * A plan as one audience may see it. A section is absent (not empty) when its board is hidden
 * from that audience, so a reader can tell "hidden" from "nothing on the board"; warnings only
 * concern the boards shown. A full {@link PlanRecord} is a valid view; customer guests get
 * `customerView(record, customerFacing)`. Markdown export and diff accept views.
 */
export const PlanViewSchema = z.object({
  ...planHeader,
  swot: SwotSchema.optional(),
  stakeholders: z.array(PlanStakeholderSchema).optional(),
  relationships: z.array(PlanRelationshipSchema).optional(),
  actions: z.array(PlanActionSchema).optional(),
  /** Only the votes on boards shown to this audience. */
  votes: z.array(PlanVoteSchema),
  warnings: z.array(PlanWarningSchema),
})
export type PlanView = z.infer<typeof PlanViewSchema>

/**
 * Upgrades a stored plan record of an older {@link PLAN_SCHEMA_VERSION} to the current one (version 1
 * had no votes); anything else is returned as it is, for the schema to judge. Run it on what storage
 * returns, before `PlanRecordSchema`.
 * @example
 * const record = PlanRecordSchema.parse(migratePlanRecord(JSON.parse(row.plan)))
 */
export function migratePlanRecord(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored
  if (!('schemaVersion' in stored) || stored.schemaVersion !== 1) return stored
  return { ...stored, schemaVersion: 2, votes: [] }
}

/** Item counts of a plan, for the snapshot timeline. */
export const PlanCountsSchema = z.object({
  strengths: z.number().int().nonnegative(),
  weaknesses: z.number().int().nonnegative(),
  opportunities: z.number().int().nonnegative(),
  threats: z.number().int().nonnegative(),
  unsorted: z.number().int().nonnegative(),
  stakeholders: z.number().int().nonnegative(),
  relationships: z.number().int().nonnegative(),
  actions: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
})
export type PlanCounts = z.infer<typeof PlanCountsSchema>

/** One entry of `GET /snapshots`. */
export const PlanSummarySchema = z.object({
  id: planHeader.id,
  takenAt: planHeader.takenAt,
  label: planHeader.label,
  trigger: planHeader.trigger,
  counts: PlanCountsSchema,
})
export type PlanSummary = z.infer<typeof PlanSummarySchema>

/**
 * The list entry of a stored plan record.
 * @example
 * const list = records.map(summarizePlan)
 */
export function summarizePlan(plan: PlanRecord): PlanSummary {
  return {
    id: plan.id,
    takenAt: plan.takenAt,
    label: plan.label,
    trigger: plan.trigger,
    counts: {
      strengths: plan.swot.strengths.length,
      weaknesses: plan.swot.weaknesses.length,
      opportunities: plan.swot.opportunities.length,
      threats: plan.swot.threats.length,
      unsorted: plan.swot.unsorted.length,
      stakeholders: plan.stakeholders.length,
      relationships: plan.relationships.length,
      actions: plan.actions.length,
      overdue: plan.actions.filter((action) => action.overdue).length,
      warnings: plan.warnings.length,
    },
  }
}

/**
 * The plan record as JSON Schema (draft 2020-12), served at `GET /api/schema/plan.json` for
 * people who integrate Keyplan with a CRM.
 */
export function planJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(PlanRecordSchema, { target: 'draft-2020-12' }),
    title: `Keyplan plan record, schema version ${PLAN_SCHEMA_VERSION}`,
    description: "A structured account plan extracted from a Keyplan workshop's boards at one snapshot. Items keep the id of the note, card or arrow they came from, so they can be matched across snapshots.",
  }
}
