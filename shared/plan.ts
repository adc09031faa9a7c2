import { z } from 'zod'
import { lazySchema, once } from './lazySchema.ts'
import { BoardIdSchema, type BoardId } from './boards.ts'
import { CURRENCY_CODE } from './currency.ts'
import { PlanHealthSchema, planHealth } from './planHealth.ts'
import {
  ACTION_STATUSES,
  ATTITUDES,
  BUYING_ROLES,
  COMPETITOR_POSITIONS,
  INFLUENCE_LEVELS,
  isPastTargetDate,
  KPI_TYPES,
  OBJECTIVE_STATUSES,
  RELATIONSHIP_KINDS,
  WHITESPACE_KINDS,
  type ObjectiveStatus,
} from './shapes.ts'
import { DEFAULT_SENSITIVITY, type FieldSensitivity } from './sensitivity.ts'
import { CARD_FIELDS, WithheldSchema, type CardField, type Withholdable } from './withheld.ts'

/**
 * The plan record: the structured account plan a snapshot extracts from a workshop's boards.
 * Stored with every snapshot, served by the API, exported as Markdown, CSV and JSON, and
 * published as JSON Schema for CRM integrations. Changing its shape means a new
 * {@link PLAN_SCHEMA_VERSION}; stored records keep the version they were written with.
 */

/**
 * Version of the plan record format, stored in every record as `schemaVersion`.
 * - 1: SWOT, stakeholders, relationships, actions.
 * - 2 (dot votes): `votes`.
 * - 3 (issue 15): objectives, whitespace, competitors, health; actions list the objectives they
 *   serve.
 * Older stored records are upgraded on read, one version at a time, by {@link migratePlanRecord}.
 */
export const PLAN_SCHEMA_VERSION = 3

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
export const SnapshotTriggerSchema = lazySchema(() => z.enum(SNAPSHOT_TRIGGERS))
export type SnapshotTrigger = z.infer<typeof SnapshotTriggerSchema>

/** The four SWOT quadrants, in the order the template lays them out and the plan lists them. */
export const SWOT_QUADRANTS = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const

/** Validates a SWOT quadrant. */
export const SwotQuadrantSchema = lazySchema(() => z.enum(SWOT_QUADRANTS))
export type SwotQuadrant = z.infer<typeof SwotQuadrantSchema>

/** Human titles of the quadrants (frame names on the board, headings in exports). */
export const SWOT_QUADRANT_TITLES = {
  strengths: 'Strengths',
  weaknesses: 'Weaknesses',
  opportunities: 'Opportunities',
  threats: 'Threats',
} as const satisfies Record<SwotQuadrant, string>

/** A tldraw shape id (`shape:…`): the id of the note, card or arrow an item came from. */
const ShapeIdSchema = lazySchema(() => z.string().min(1).max(200))
const Text = lazySchema(() => z.string().max(10_000))

/** Marks a field of the published JSON Schema as internal by default (issue 13). */
function markInternal<S extends z.ZodType>(schema: S): S {
  return schema.meta({ ...schema.meta(), 'x-keyplan-sensitivity': 'internal' })
}

/**
 * The fields of a plan item read from cards of `type`, each field whose card prop is internal by
 * default (`DEFAULT_SENSITIVITY` in sensitivity.ts, the one source) marked so in the JSON Schema.
 */
function bySensitivity<Shape extends Record<string, z.ZodType>>(type: string, shape: Shape): Shape {
  const defaults: Record<string, FieldSensitivity | undefined> = DEFAULT_SENSITIVITY
  const out: Record<string, z.ZodType> = { ...shape }
  for (const [key, field] of Object.entries(shape)) if (defaults[`${type}.${key}`] === 'internal') out[key] = markInternal(field)
  return out as Shape // the same keys, each the same schema type (meta only)
}

/**
 * Money totals of the whitespace board are computed from cell values and probabilities: internal
 * by default when either field is (as the customer view drops them, customerSafePlan.ts).
 */
function moneyTotal<S extends z.ZodType>(schema: S, description: string): S {
  const described = schema.describe(description)
  const internal = DEFAULT_SENSITIVITY['whitespace.value'] === 'internal' || DEFAULT_SENSITIVITY['whitespace.probability'] === 'internal'
  return internal ? markInternal(described) : described
}

/** One note of the SWOT board. `author` is present only when the board recorded who wrote it. */
export const SwotItemSchema = lazySchema(() => z.object({
  id: ShapeIdSchema.describe('Id of the note on the SWOT board; stable across snapshots'),
  text: Text.describe('Plain text of the note, lines separated by \\n'),
  author: z.string().max(200).optional().describe('Who wrote the note, when the board recorded it'),
}))
export type SwotItem = z.infer<typeof SwotItemSchema>

/** The boards whose notes are listed apart ({@link PlanBoardNoteSchema}): every board but the SWOT, whose notes are its items. */
export const NOTE_BOARDS = ['stakeholders', 'objectives', 'actions', 'whitespace'] as const satisfies readonly BoardId[]
export type NoteBoard = (typeof NOTE_BOARDS)[number]

/**
 * A sticky note, text or labelled shape on a board other than the SWOT ([P17]): what the team
 * wrote beside the cards ("budget freeze until Q3" by a stakeholder), which the cards' fields do
 * not hold. `author` as for SWOT items.
 */
export const PlanBoardNoteSchema = lazySchema(() => z.object({
  id: ShapeIdSchema.describe('Id of the note on its board; stable across snapshots'),
  board: z.enum(NOTE_BOARDS).describe('The board the note is on'),
  text: Text.describe('Plain text of the note, lines separated by \\n'),
  author: z.string().max(200).optional().describe('Who wrote the note, when the board recorded it'),
}))
export type PlanBoardNote = z.infer<typeof PlanBoardNoteSchema>

/** The SWOT section: one list per quadrant plus the notes outside every quadrant. */
export const SwotSchema = lazySchema(() => z.object({
  strengths: z.array(SwotItemSchema),
  weaknesses: z.array(SwotItemSchema),
  opportunities: z.array(SwotItemSchema),
  threats: z.array(SwotItemSchema),
  /** Notes whose centre lies outside every quadrant frame. */
  unsorted: z.array(SwotItemSchema).describe('Notes outside every quadrant'),
}))
export type Swot = z.infer<typeof SwotSchema>

/** A person on the customer's side, read from a stakeholder card. */
export const PlanStakeholderSchema = lazySchema(() => z.object(bySensitivity('stakeholder', {
  id: ShapeIdSchema,
  name: Text,
  jobTitle: Text,
  department: Text,
  /** Null until the team has assessed the person. */
  buyingRole: z.enum(BUYING_ROLES).nullable().describe('Role in the buying centre; null until assessed'),
  influence: z.enum(INFLUENCE_LEVELS).nullable().describe('null until assessed (plans taken before December 2026 read Medium for a person never assessed)'),
  attitude: z.enum(ATTITUDES).nullable().describe('Their attitude to us; null until assessed (plans taken before December 2026 read Neutral for a person never assessed)'),
  /** Who on our side owns the relationship with this person. */
  owner: Text.describe('Who on our side owns the relationship with this person'),
  notes: Text,
})))
export type PlanStakeholder = z.infer<typeof PlanStakeholderSchema>

/** A line between two stakeholders: an arrow bound at both ends to stakeholder cards. */
export const PlanRelationshipSchema = lazySchema(() => z.object({
  /** The arrow's shape id. */
  id: ShapeIdSchema,
  /** Stakeholder id at the arrow's start. */
  from: ShapeIdSchema.describe("Stakeholder id at the arrow's start"),
  /** Stakeholder id at the arrow's end. */
  to: ShapeIdSchema.describe("Stakeholder id at the arrow's end"),
  kind: z.enum(RELATIONSHIP_KINDS).meta({
    description: 'What the line means; a line of a kind listed in x-keyplan-internal-values is internal by default, whole',
    'x-keyplan-internal-values': RELATIONSHIP_KINDS.filter((kind) => DEFAULT_SENSITIVITY[`relationship.${kind}`] === 'internal'),
  }),
}))
export type PlanRelationship = z.infer<typeof PlanRelationshipSchema>

/** One action of the action plan, read from an action card. */
export const PlanActionSchema = lazySchema(() => z.object(bySensitivity('action', {
  id: ShapeIdSchema,
  title: Text,
  owner: Text,
  /** ISO calendar date `YYYY-MM-DD`, or null when the card has no due date. */
  due: z.iso.date().nullable().describe('Due date YYYY-MM-DD, or null'),
  status: z.enum(ACTION_STATUSES),
  /** Due before the snapshot's day and not done (see `isOverdue` in shapes.ts). */
  overdue: z.boolean().describe('Due before the day of the snapshot and not done'),
  /** Ids of the objectives this action serves (only ids of objectives in the plan). */
  objectives: z.array(ShapeIdSchema).describe('Ids of the objectives this action serves; empty when it serves none'),
})))
export type PlanAction = z.infer<typeof PlanActionSchema>


const Amount = lazySchema(() => z.number().finite())

/** An account objective with its KPI, read from an objective card. */
export const PlanObjectiveSchema = lazySchema(() => z.object(bySensitivity('objective', {
  id: ShapeIdSchema,
  objective: Text,
  kpiType: z.enum(KPI_TYPES),
  measure: Text.describe('What is measured, e.g. annual revenue, NPS'),
  unit: Text,
  baseline: Amount.nullable().describe('Value of the measure today; null when not given. May be revenue or margin'),
  target: Amount.nullable().describe('Value aimed for by the target date; null when not given. May be revenue or margin'),
  targetDate: z.iso.date().nullable().describe('Target date YYYY-MM-DD, or null'),
  owner: Text,
  status: z.enum(OBJECTIVE_STATUSES),
  /** Target date before the snapshot's day and not achieved (see `isPastTargetDate` in shapes.ts), as its card flags it. */
  pastTargetDate: z.boolean().describe('Target date before the day of the snapshot and not achieved'),
  strategy: Text.describe('The strategy to meet the objective, in a sentence'),
  /** SWOT notes (weaknesses, threats) the objective answers, as linked on its card. */
  addresses: z.array(ShapeIdSchema).describe('Ids of the SWOT notes the objective answers'),
  /** Ids of the actions that serve it, in action plan order. */
  actions: z.array(ShapeIdSchema).describe('Ids of the actions that serve this objective'),
})))
export type PlanObjective = z.infer<typeof PlanObjectiveSchema>

/** One cell of the whitespace matrix: a business unit × an offering. */
export const PlanWhitespaceCellSchema = lazySchema(() => z.object(bySensitivity('whitespace', {
  id: ShapeIdSchema,
  row: Text.describe('Business unit or buying centre; empty when the card is in no row'),
  column: Text.describe('Offering; empty when the card is in no column'),
  kind: z.enum(WHITESPACE_KINDS),
  competitor: Text.describe('Who supplies it, for kind competitor'),
  value: Amount.nullable().describe('Our revenue (we_supply), the competitor\'s estimated revenue (competitor) or the estimated opportunity value (opportunity)'),
  probability: z.number().min(0).max(100).nullable().describe('Win probability in percent, for opportunities'),
  notes: Text,
})))
export type PlanWhitespaceCell = z.infer<typeof PlanWhitespaceCellSchema>

/** Open opportunities of one business unit. */
export const PlanOpportunityTotalSchema = lazySchema(() => z.object({
  row: Text,
  count: z.number().int().nonnegative(),
  value: moneyTotal(Amount, 'Sum of the estimated values given'),
  weighted: moneyTotal(Amount, 'Sum of value × probability; an opportunity without a probability counts at 0'),
}))
export type PlanOpportunityTotal = z.infer<typeof PlanOpportunityTotalSchema>

/** Share of wallet of one business unit: our revenue over their spend on such services. */
export const PlanShareOfWalletSchema = lazySchema(() => z.object({
  row: Text,
  ours: moneyTotal(Amount, 'Our revenue from the unit (sum of we_supply values)'),
  spend: moneyTotal(Amount, 'Their total spend on such services (our revenue plus competitors\' estimated revenue)'),
  share: moneyTotal(z.number().min(0).max(1).nullable(), 'ours / spend; null when a supplied cell of the row has no value or spend is 0'),
}))
export type PlanShareOfWallet = z.infer<typeof PlanShareOfWalletSchema>

/** The whitespace section: the matrix and what it adds up to. */
export const PlanWhitespaceSchema = lazySchema(() => z.object({
  /** Row labels (business units), top to bottom, then labels only cards name. */
  rows: z.array(Text),
  /** Column labels (offerings), left to right, then labels only cards name. */
  columns: z.array(Text),
  /**
   * The header shapes the rows and columns come from, in the same order, with their ids: what
   * tells a guest's view which labels came from a header the team made internal. Absent in plans
   * extracted before it was recorded.
   */
  headers: z.array(z.object({ id: z.string(), axis: z.enum(['row', 'column']), label: Text })).optional(),
  cells: z.array(PlanWhitespaceCellSchema),
  opportunities: z.object({
    count: z.number().int().nonnegative(),
    value: moneyTotal(Amount, 'Sum of all open opportunities\' values'),
    weighted: moneyTotal(Amount, 'Sum of value × probability'),
    byRow: z.array(PlanOpportunityTotalSchema),
  }),
  /** One entry per row with a supplied cell (we or a competitor). */
  shareOfWallet: z.array(PlanShareOfWalletSchema),
  /**
   * The currency of every amount of the section, as the facilitator set it on the board
   * (`shared/currency.ts`). Absent in plans extracted before the board had one.
   */
  currency: z.string().regex(CURRENCY_CODE).nullable().optional().describe('ISO 4217 code of every amount of the whitespace section (cell values, totals); null when the facilitator set none'),
}))
export type PlanWhitespace = z.infer<typeof PlanWhitespaceSchema>

/** One competitor in the account: a row of the competitor matrix. */
export const PlanCompetitorSchema = lazySchema(() => z.object(bySensitivity('competitor', {
  id: ShapeIdSchema,
  name: Text,
  position: z.enum(COMPETITOR_POSITIONS),
  strengths: Text.describe('Where they are strong against us'),
  weaknesses: Text.describe('Where they are weak against us'),
  relationship: Text.describe('The relationship they hold in the account'),
  /** Cells of the matrix they supply. */
  cells: z.array(ShapeIdSchema).describe('Ids of the whitespace cells this competitor supplies'),
})))
export type PlanCompetitor = z.infer<typeof PlanCompetitorSchema>

/**
 * Plan items of cards of `type` as one audience sees them: every card field whose sensitivity may
 * be chosen is optional, absent when it is withheld from that audience (the view's `withheld`).
 */
function withholdable<Shape extends z.ZodRawShape, Type extends string>(type: Type, schema: z.ZodObject<Shape>): z.ZodType<Withholdable<z.infer<z.ZodObject<Shape>>, Type>> {
  const fields: readonly string[] = CARD_FIELDS
  const mask = Object.fromEntries(Object.keys(schema.shape).filter((key) => fields.includes(`${type}.${key}`)).map((key) => [key, true as const])) as z.core.util.Mask<keyof Shape> // keys of the shape
  return schema.partial(mask) as unknown as z.ZodType<Withholdable<z.infer<z.ZodObject<Shape>>, Type>> // partial exactly in the masked keys, which Withholdable names
}

/** A stakeholder as one audience sees it: withheld fields absent. */
export const ViewStakeholderSchema = lazySchema(() => withholdable('stakeholder', PlanStakeholderSchema))
export type ViewStakeholder = z.infer<typeof ViewStakeholderSchema>
/** An action as one audience sees it: withheld fields absent. */
export const ViewActionSchema = lazySchema(() => withholdable('action', PlanActionSchema))
export type ViewAction = z.infer<typeof ViewActionSchema>
/** An objective as one audience sees it: withheld fields absent. */
export const ViewObjectiveSchema = lazySchema(() => withholdable('objective', PlanObjectiveSchema))
export type ViewObjective = z.infer<typeof ViewObjectiveSchema>
/** A whitespace cell as one audience sees it: withheld fields absent. */
export const ViewWhitespaceCellSchema = lazySchema(() => withholdable('whitespace', PlanWhitespaceCellSchema))
export type ViewWhitespaceCell = z.infer<typeof ViewWhitespaceCellSchema>
/** A competitor as one audience sees it: withheld fields absent. */
export const ViewCompetitorSchema = lazySchema(() => withholdable('competitor', PlanCompetitorSchema))
export type ViewCompetitor = z.infer<typeof ViewCompetitorSchema>

/**
 * The whitespace section as one audience sees it: cells without their withheld fields, and the
 * money totals absent (with the totals by unit and share of wallet empty) when a money field is
 * withheld, since they are computed from it.
 */
export const ViewWhitespaceSchema = lazySchema(() => PlanWhitespaceSchema.extend({
  cells: z.array(ViewWhitespaceCellSchema),
  opportunities: PlanWhitespaceSchema.shape.opportunities.partial({ value: true, weighted: true }),
}))
export type ViewWhitespace = z.infer<typeof ViewWhitespaceSchema>

/** A whitespace section with nothing on the board. */
export function emptyWhitespace(): PlanWhitespace {
  return { rows: [], columns: [], cells: [], opportunities: { count: 0, value: 0, weighted: 0, byRow: [] }, shareOfWallet: [] }
}

/** Something extraction could not read; the rest of the plan is still extracted. */
export const PlanWarningSchema = lazySchema(() => z.object({
  board: BoardIdSchema,
  /** The record the problem is about, when there is one. */
  shapeId: ShapeIdSchema.optional().describe('The record the problem is about'),
  /** The card's name or text, so a reader is told which card without its id; absent when it has none. */
  label: Text.optional().describe('The name or text of the card the problem is about, when it has one'),
  message: z.string().max(1000),
  /** Another board the problem is about (an objective's links to the SWOT): a reader who may not see it gets no such warning. */
  concerns: BoardIdSchema.optional().describe('Another board the problem is about, when there is one (an objective whose SWOT links were dropped: swot)'),
  /** The card field whose value the message quotes: a reader it is withheld from gets no such warning. */
  quotes: z.enum(CARD_FIELDS as [CardField, ...CardField[]]).optional().describe('The card field (<card type>.<prop>) whose value the message quotes'), // a non-empty literal list
}))
export type PlanWarning = z.infer<typeof PlanWarningSchema>

/** One item of a dot vote's results. */
export const PlanVoteItemSchema = lazySchema(() => z.object({
  id: ShapeIdSchema.describe('Id of the note or card voted on'),
  /** The item's text when the snapshot was taken (note text, stakeholder name, action title). */
  label: Text.describe('The note text, stakeholder name or action title; empty when the item was deleted'),
  votes: z.number().int().positive(),
}))
export type PlanVoteItem = z.infer<typeof PlanVoteItemSchema>

/** A revealed dot vote: its question and its items ranked by votes (most first). */
export const PlanVoteSchema = lazySchema(() => z.object({
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
}))
export type PlanVote = z.infer<typeof PlanVoteSchema>

/** The fields every plan record and view starts with; one set of schemas, built on first use. */
const planHeader = once(() => ({
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
  /** Display names of the people who took part in the workshop up to the snapshot ([A18]). */
  participants: z.array(z.string().max(200)).describe('Display names of the people who took part in the workshop up to the snapshot'),
}))

/**
 * A complete plan record, as stored with a snapshot and returned by `GET /snapshots/:sid`.
 * @example
 * const record = PlanRecordSchema.parse(JSON.parse(row.plan)) // validate what storage returns
 */
const PlanRecordObjectSchema = lazySchema(() => z.object({
  ...planHeader(),
  swot: SwotSchema,
  stakeholders: z.array(PlanStakeholderSchema),
  relationships: z.array(PlanRelationshipSchema),
  objectives: z.array(PlanObjectiveSchema),
  actions: z.array(PlanActionSchema),
  whitespace: PlanWhitespaceSchema,
  competitors: z.array(PlanCompetitorSchema),
  notes: z
    .array(PlanBoardNoteSchema)
    .optional()
    .describe('Notes on the boards other than the SWOT (whose notes are its quadrants), board by board, each in reading order; absent from plans taken before December 2026'),
  health: PlanHealthSchema,
  votes: z.array(PlanVoteSchema).describe('Revealed dot votes, oldest first, each with its items ranked by votes'),
  warnings: z.array(PlanWarningSchema).describe('What could not be read from the boards'),
}))
export type PlanRecord = z.infer<typeof PlanRecordObjectSchema>

/**
 * A complete plan record, as stored with a snapshot and returned by `GET /snapshots/:sid`.
 * Records stored by an earlier schema version go through {@link migratePlanRecord} first.
 * @example
 * const record = PlanRecordSchema.parse(migratePlanRecord(JSON.parse(row.plan))) // validate what storage returns
 */
export const PlanRecordSchema = lazySchema(() => PlanRecordObjectSchema)

/**
 * What extraction produces: a plan record without its snapshot id, which the server assigns
 * when it stores the snapshot (`PlanRecordSchema.parse({ ...draft, id })`).
 */
export const PlanDraftSchema = lazySchema(() => PlanRecordObjectSchema.omit({ id: true }))
export type PlanDraft = z.infer<typeof PlanDraftSchema>

/**
 * A plan as one audience may see it. A section is absent (not empty) when its board is hidden
 * from that audience, so a reader can tell "hidden" from "nothing on the board"; warnings only
 * concern the boards shown; card fields withheld from it are listed in `withheld` and absent
 * from its items. A full {@link PlanRecord} is a valid view; customer guests get
 * `customerSafePlan(customerView(record, customerFacing), …)`. Every export and the diff accept views.
 */
export const PlanViewSchema = lazySchema(() => z.object({
  ...planHeader(),
  /**
   * Card fields withheld from this audience (customer guests: what was internal when the snapshot
   * was taken, [A36]); absent from every item, and every rendering leaves them out. Absent: none.
   */
  withheld: WithheldSchema.optional(),
  swot: SwotSchema.optional(),
  stakeholders: z.array(ViewStakeholderSchema).optional(),
  relationships: z.array(PlanRelationshipSchema).optional(),
  actions: z.array(ViewActionSchema).optional(),
  objectives: z.array(ViewObjectiveSchema).optional(),
  whitespace: ViewWhitespaceSchema.optional(),
  competitors: z.array(ViewCompetitorSchema).optional(),
  /** Notes of the boards shown to this audience only (absent from plans taken before December 2026). */
  notes: z.array(PlanBoardNoteSchema).optional(),
  /** Absent for a guest unless every board is visible to them (docs/security.md [A22]). */
  health: PlanHealthSchema.optional(),
  /** Only the votes on boards shown to this audience. */
  votes: z.array(PlanVoteSchema),
  warnings: z.array(PlanWarningSchema),
}))
export type PlanView = z.infer<typeof PlanViewSchema>

/**
 * Upgrades a stored plan record of an older {@link PLAN_SCHEMA_VERSION} to the current one, one
 * version at a time; anything else (the current version, a newer one, garbage) is returned as it
 * is, for the schema to judge. Run it on what storage returns, before `PlanRecordSchema`.
 * - 1 → 2: no votes.
 * - 2 → 3: no objectives, whitespace or competitors (those boards did not exist), actions serve
 *   no objective, and the health computed from what the record holds (freshness unknown).
 * - 3 stored before objectives carried `pastTargetDate`: it is judged by the UTC date of `takenAt`.
 * @example
 * const record = PlanRecordSchema.parse(migratePlanRecord(JSON.parse(row.plan)))
 */
export function migratePlanRecord(stored: unknown): unknown {
  let record = stored
  if (versionOf(record) === 1) record = { ...(record as object), schemaVersion: 2, votes: [] }
  if (versionOf(record) === 2) record = upgradeV2ToV3(record)
  if (versionOf(record) === 3) record = withPastTargetDates(record)
  return record
}

/**
 * A version 3 record stored before objectives carried `pastTargetDate`: judged by the UTC date of
 * `takenAt` (the zone it was taken in is not recorded), as actions were before workshops had zones.
 */
function withPastTargetDates(stored: unknown): unknown {
  const { objectives, takenAt } = stored as { objectives?: unknown; takenAt?: unknown } // fields read before validation
  if (!Array.isArray(objectives) || typeof takenAt !== 'string' || objectives.every((o) => typeof o !== 'object' || o === null || 'pastTargetDate' in o)) return stored
  const today = takenAt.slice(0, 10)
  return {
    ...(stored as object),
    objectives: objectives.map((o: unknown) => {
      if (typeof o !== 'object' || o === null || 'pastTargetDate' in o) return o
      const { targetDate, status } = o as { targetDate?: unknown; status?: unknown } // checked below, the schema judges the rest
      return { ...o, pastTargetDate: typeof targetDate === 'string' && typeof status === 'string' && isPastTargetDate({ targetDate, status: status as ObjectiveStatus }, today) } // any other status is not 'achieved'; the schema judges it
    }),
  }
}

/** The `schemaVersion` of a stored record, read before validation; undefined when there is none. */
function versionOf(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined
  return (stored as { schemaVersion?: unknown }).schemaVersion
}

function upgradeV2ToV3(stored: unknown): unknown {
  const v2 = PlanRecordV2Schema.safeParse(stored)
  if (!v2.success) return stored
  const upgraded = {
    ...v2.data,
    schemaVersion: PLAN_SCHEMA_VERSION,
    objectives: [],
    actions: v2.data.actions.map((action) => ({ ...action, objectives: [] })),
    whitespace: emptyWhitespace(),
    competitors: [],
  }
  return { ...upgraded, health: planHealth(upgraded, { today: v2.data.takenAt.slice(0, 10), now: v2.data.takenAt, lastChangedAt: null, lastWorkshopAt: null }) }
}

/** A version 2 record: votes, but none of the sections of the objectives and whitespace boards. */
const PlanRecordV2Schema = lazySchema(() => z.looseObject({
  ...planHeader(),
  schemaVersion: z.literal(2),
  swot: SwotSchema,
  stakeholders: z.array(PlanStakeholderSchema),
  relationships: z.array(PlanRelationshipSchema),
  actions: z.array(PlanActionSchema.omit({ objectives: true })),
  votes: z.array(PlanVoteSchema),
  warnings: z.array(PlanWarningSchema),
}))

/** Item counts of a plan, for the snapshot timeline. */
export const PlanCountsSchema = lazySchema(() => z.object({
  strengths: z.number().int().nonnegative(),
  weaknesses: z.number().int().nonnegative(),
  opportunities: z.number().int().nonnegative(),
  threats: z.number().int().nonnegative(),
  unsorted: z.number().int().nonnegative(),
  stakeholders: z.number().int().nonnegative(),
  relationships: z.number().int().nonnegative(),
  actions: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  objectives: z.number().int().nonnegative().optional(),
  openOpportunities: z.number().int().nonnegative().optional(),
  competitors: z.number().int().nonnegative().optional(),
  /** The plan's health score 0–100. */
  health: z.number().int().min(0).max(100).optional(),
  warnings: z.number().int().nonnegative(),
  /** Boards of the snapshot this viewer does not see: their counts are 0, and not a count of anything. */
  hidden: z.array(BoardIdSchema).optional(),
}))
export type PlanCounts = z.infer<typeof PlanCountsSchema>

/** One entry of `GET /snapshots`. */
export const PlanSummarySchema = lazySchema(() => z.object({
  id: planHeader().id,
  takenAt: planHeader().takenAt,
  label: planHeader().label,
  trigger: planHeader().trigger,
  counts: PlanCountsSchema,
}))
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
      objectives: plan.objectives.length,
      openOpportunities: plan.whitespace.opportunities.count,
      competitors: plan.competitors.length,
      health: plan.health.score,
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
    ...z.toJSONSchema(PlanRecordObjectSchema, { target: 'draft-2020-12' }),
    title: `Keyplan plan record, schema version ${PLAN_SCHEMA_VERSION}`,
    description: "A structured account plan extracted from a Keyplan workshop's boards at one snapshot. Items keep the id of the note, card or arrow they came from, so they can be matched across snapshots. Fields marked x-keyplan-sensitivity: internal, and relationships of the kinds listed in x-keyplan-internal-values, are internal by default: a workshop's facilitator may change that per field, and customer guests never receive what is internal. A customer guest's plan follows /api/schema/plan-view.json instead.",
  }
}

/** `schema` without its `x-keyplan-*` keys, and descriptions cut before they speak of them. */
function withoutTeamMarkings<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(withoutTeamMarkings) as T // an array of schemas stays one
  if (typeof schema !== 'object' || schema === null) return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-keyplan-')) continue
    out[key] = key === 'description' && typeof value === 'string' && value.includes('x-keyplan-') ? (value.split(';')[0] ?? '') : withoutTeamMarkings(value)
  }
  return out as T // the same JSON Schema, fewer annotations
}

/**
 * A plan as one audience sees it ({@link PlanViewSchema}) as JSON Schema (draft 2020-12), served at
 * `GET /api/schema/plan-view.json`: what a customer guest's JSON export follows, with the sections
 * of boards it may not see absent and the fields withheld from it absent and listed in `withheld`.
 * Every full plan record follows it too.
 */
export function planViewJsonSchema(): Record<string, unknown> {
  return {
    // Without the team's markings (which fields and line kinds are internal by default): this is the
    // schema a customer guest is pointed to (review: the guest's legend no longer names them either).
    ...withoutTeamMarkings(z.toJSONSchema(PlanViewSchema, { target: 'draft-2020-12' })),
    title: `Keyplan plan as one audience sees it, schema version ${PLAN_SCHEMA_VERSION}`,
    description: "A Keyplan plan record as one audience may see it, as a customer guest's JSON export is: a section is absent when its board is not shared with that audience, and a card field withheld from it is absent from every item and named in withheld. A team member's plan is a full record (/api/schema/plan.json), which follows this schema too.",
  }
}
