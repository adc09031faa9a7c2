import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { planItemNames } from './planLabels.ts'
import {
  NOTE_BOARDS,
  PlanActionSchema,
  PlanBoardNoteSchema,
  PlanCompetitorSchema,
  PlanObjectiveSchema,
  PlanRelationshipSchema,
  PlanWhitespaceCellSchema,
  PlanStakeholderSchema,
  SWOT_QUADRANTS,
  SwotItemSchema,
  ViewActionSchema,
  ViewCompetitorSchema,
  ViewObjectiveSchema,
  ViewStakeholderSchema,
  ViewWhitespaceCellSchema,
  type PlanBoardNote,
  type PlanView,
  type PlanVote,
  type Swot,
} from './plan.ts'
import { HealthDiffSchema, diffHealth } from './planHealth.ts'
import { WithheldSchema, shownField, unionWithheld, withoutWithheld, type Withheld } from './withheld.ts'
import { votesAsWithheld } from './customerSafePlan.ts'
import { voteItemLabel } from './votes.ts'

/**
 * What changed between two plan records (`GET /snapshots/:sid/diff/:other`): per section the
 * items added, removed and changed, matched by id (the shape id on the board), with field-level
 * before/after. SWOT items are compared as one list with their quadrant as a field, so a note
 * dragged from weaknesses to strengths reads as a changed `quadrant`, not a removal and an add.
 * Whitespace cells are compared with their row and column as fields; health as the score and the
 * items fixed and appeared ("health 54 → 71: champion identified"). Lists of linked ids (an
 * objective's actions) compare as sets: the same links in another order are no change.
 */

/** A value of a plan item field; an absent optional field (a note's author) is null. */
const FieldValueSchema = lazySchema(() => z.union([z.string(), z.number(), z.boolean(), z.null()]))

/** One changed field of an item. */
export const FieldChangeSchema = lazySchema(() => z.object({
  field: z.string(),
  before: FieldValueSchema,
  after: FieldValueSchema,
}))
export type FieldChange = z.infer<typeof FieldChangeSchema>

/** Where a SWOT item sits: a quadrant, or `unsorted`. */
export const SwotPlaceSchema = lazySchema(() => z.enum([...SWOT_QUADRANTS, 'unsorted']))
export type SwotPlace = z.infer<typeof SwotPlaceSchema>

/** A SWOT item with its quadrant, as the diff compares it. */
export const SwotDiffItemSchema = lazySchema(() => SwotItemSchema.extend({ quadrant: SwotPlaceSchema }))
export type SwotDiffItem = z.infer<typeof SwotDiffItemSchema>

/**
 * A vote as the diff compares it: its settings and totals, and its ranking as one text
 * (`label (votes); …`), so a changed order or count reads as one changed field.
 */
export const VoteDiffItemSchema = lazySchema(() => z.object({
  id: z.string(),
  board: z.string(),
  question: z.string(),
  closed: z.boolean(),
  totalVotes: z.number(),
  voters: z.number(),
  ranking: z.string(),
}))
export type VoteDiffItem = z.infer<typeof VoteDiffItemSchema>

function voteItems(votes: readonly PlanVote[]): VoteDiffItem[] {
  return votes.map((vote) => ({
    id: vote.id,
    board: vote.board,
    question: vote.question,
    closed: vote.closed,
    totalVotes: vote.totalVotes,
    voters: vote.voters,
    // As the Markdown, CSV and review page name it: a shape id told nobody anything (QA q28a).
    ranking: vote.items.map((item) => `${voteItemLabel(item)} (${item.votes})`).join('; '),
  }))
}

function sectionDiffSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    /** In the newer plan only, in its order. */
    added: z.array(item),
    /** In the older plan only, in its order. */
    removed: z.array(item),
    /** In both with different fields, in the newer plan's order; `item` is the newer version. */
    changed: z.array(z.object({ id: z.string(), item, changes: z.array(FieldChangeSchema).min(1) })),
  })
}

/** The diff of one section. */
export type SectionDiff<Item> = {
  added: Item[]
  removed: Item[]
  changed: { id: string; item: Item; changes: FieldChange[] }[]
}

/**
 * The diff of two plans. A section is absent when either plan does not show it (a customer
 * view), so a guest's diff says nothing about hidden boards.
 */
export const PlanDiffSchema = lazySchema(() => z.object({
  /** Id of the newer snapshot. */
  newer: z.string(),
  /** Id of the older snapshot. */
  older: z.string(),
  /** Card fields withheld from either plan: absent from every item here, and never compared. */
  withheld: WithheldSchema.optional(),
  swot: sectionDiffSchema(SwotDiffItemSchema).optional(),
  stakeholders: sectionDiffSchema(ViewStakeholderSchema).optional(),
  relationships: sectionDiffSchema(PlanRelationshipSchema).optional(),
  actions: sectionDiffSchema(ViewActionSchema).optional(),
  objectives: sectionDiffSchema(ViewObjectiveSchema).optional(),
  whitespace: sectionDiffSchema(ViewWhitespaceCellSchema).optional(),
  /**
   * The whitespace board's currency, when it changed between the two (null: none set): every
   * amount of the section changed meaning with it, though no cell's number did.
   */
  whitespaceCurrency: z.object({ before: z.string().nullable(), after: z.string().nullable() }).optional(),
  competitors: sectionDiffSchema(ViewCompetitorSchema).optional(),
  /** [P17] Notes of the other boards, of the boards both plans show; absent when either plan has none recorded (taken before December 2026). */
  notes: sectionDiffSchema(PlanBoardNoteSchema).optional(),
  /** How the health score moved and what was fixed; absent when either plan has no health. */
  health: HealthDiffSchema.optional(),
  /** Revealed votes on boards both plans show. */
  votes: sectionDiffSchema(VoteDiffItemSchema).optional(),
  /**
   * What the items the diff names by id are called (SWOT notes, stakeholders, actions, objectives,
   * competitors, cells), from either plan: given where the page holds neither plan (the
   * account's comparison, [K6]), so a relationship or a link that changed reads by name.
   */
  names: z.record(z.string(), z.string()).optional(),
}))
export type PlanDiff = z.infer<typeof PlanDiffSchema>


/**
 * `diff` with {@link PlanDiff.names} for every id it holds in a field (a relationship's ends, an
 * objective's SWOT notes, an action's objectives), named by the newer plan, else the older.
 */
export function withItemNames(diff: PlanDiff, newer: PlanView, older: PlanView): PlanDiff {
  const known = planItemNames(older)
  for (const [id, name] of planItemNames(newer)) known.set(id, name)
  const names: Record<string, string> = {}
  const note = (value: unknown) => {
    for (const id of Array.isArray(value) ? value : [value]) {
      if (typeof id === 'string' && known.has(id)) names[id] = known.get(id) as string // has() just checked
    }
  }
  for (const key of ['swot', 'stakeholders', 'relationships', 'actions', 'objectives', 'whitespace', 'competitors', 'notes', 'votes'] as const) {
    const section: SectionDiff<object> | undefined = diff[key]
    if (!section) continue
    for (const item of [...section.added, ...section.removed]) for (const value of Object.values(item)) note(value)
    for (const { item, changes } of section.changed) {
      for (const value of Object.values(item)) note(value)
      for (const change of changes) {
        note(change.before)
        note(change.after)
      }
    }
  }
  return { ...diff, names }
}

function diffSection<Item extends { id: string }>(
  newer: readonly Item[],
  older: readonly Item[],
  fields: readonly (keyof Item & string)[],
): SectionDiff<Item> {
  const olderById = new Map(older.map((item) => [item.id, item]))
  const newerIds = new Set(newer.map((item) => item.id))
  const diff: SectionDiff<Item> = { added: [], removed: older.filter((item) => !newerIds.has(item.id)), changed: [] }
  for (const item of newer) {
    const before = olderById.get(item.id)
    if (!before) {
      diff.added.push(item)
      continue
    }
    const changes = fields.flatMap((field): FieldChange[] => {
      const was = valueOf(before[field])
      const is = valueOf(item[field])
      return was === is ? [] : [{ field, before: was, after: is }]
    })
    if (changes.length > 0) diff.changed.push({ id: item.id, item, changes })
  }
  return diff
}

function valueOf(value: unknown): FieldChange['before'] {
  // Lists of ids (an objective's actions and SWOT notes, an action's objectives, a competitor's
  // cells) are links: a set, not a sequence. Their order follows the board (an objective's actions
  // come in action plan order, so dragging a card to another status column reorders them), so
  // they compare sorted: the same links in another order are no change. Sorted by id rather than
  // by reading order because the diff sees two plans whose reading orders differ.
  if (Array.isArray(value)) return value.map(String).sort().join(', ')
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null
}

function swotItems(swot: Swot): SwotDiffItem[] {
  return SwotPlaceSchema.options.flatMap((quadrant) => swot[quadrant].map((item) => ({ ...item, quadrant })))
}

/** The ids of every record a plan's sections hold (cards, notes, lines, cells). */
function recordIds(plan: PlanView): Set<string> {
  const ids = new Set<string>()
  const add = (items: readonly { id: string }[] | undefined) => items?.forEach((item) => ids.add(item.id))
  if (plan.swot) add(swotItems(plan.swot))
  add(plan.stakeholders)
  add(plan.relationships)
  add(plan.actions)
  add(plan.objectives)
  add(plan.whitespace?.cells)
  add(plan.competitors)
  add(plan.notes)
  return ids
}

/** [P17] The boards other than the SWOT whose sections `plan` shows (a guest's view leaves out the others). */
function noteBoardsShown(plan: PlanView): Set<string> {
  const section = { stakeholders: plan.stakeholders, objectives: plan.objectives, actions: plan.actions, whitespace: plan.whitespace }
  return new Set(NOTE_BOARDS.filter((board) => section[board] !== undefined))
}

/** Compared fields per section: every field but the id (and, for cards of `type`, but those `withheld`), in schema order. */
function fieldsOf<Shape extends Record<string, unknown>>(shape: Shape, type?: string, withheld?: Withheld): Exclude<keyof Shape & string, 'id'>[] {
  const shown = type === undefined ? () => true : shownField(withheld, type)
  return Object.keys(shape).filter((key): key is Exclude<keyof Shape & string, 'id'> => key !== 'id' && shown(key))
}

/** The items of cards of `type` without the fields `withheld` lists. */
function stripped<T extends object, Type extends string>(items: readonly T[], type: Type, withheld: Withheld | undefined) {
  return withheld ? items.map((item) => withoutWithheld(item, type, withheld)) : items
}

/**
 * What changed from `older` to `newer`. Items are matched by id; every field but the id is
 * compared, except the card fields either plan withholds (a guest's plans were judged by the
 * sensitivity of their own snapshot): those are left out of both sides' items, so a field made
 * internal between two snapshots reads as neither a change nor a value.
 * @example
 * const diff = diffPlans(latest, previous)
 * diff.stakeholders?.changed[0]?.changes // [{ field: 'attitude', before: 'neutral', after: 'supporter' }]
 */
export function diffPlans(newer: PlanView, older: PlanView): PlanDiff {
  const withheld = unionWithheld(newer.withheld, older.withheld)
  const diff: PlanDiff = { newer: newer.id, older: older.id, ...(withheld ? { withheld } : {}) }
  if (newer.swot && older.swot) {
    diff.swot = diffSection(swotItems(newer.swot), swotItems(older.swot), fieldsOf(SwotDiffItemSchema.shape))
  }
  if (newer.stakeholders && older.stakeholders) {
    diff.stakeholders = diffSection(stripped(newer.stakeholders, 'stakeholder', withheld), stripped(older.stakeholders, 'stakeholder', withheld), fieldsOf(PlanStakeholderSchema.shape, 'stakeholder', withheld))
  }
  if (newer.relationships && older.relationships) {
    diff.relationships = diffSection(newer.relationships, older.relationships, fieldsOf(PlanRelationshipSchema.shape))
  }
  if (newer.actions && older.actions) {
    diff.actions = diffSection(stripped(newer.actions, 'action', withheld), stripped(older.actions, 'action', withheld), fieldsOf(PlanActionSchema.shape, 'action', withheld))
  }
  if (newer.objectives && older.objectives) {
    diff.objectives = diffSection(stripped(newer.objectives, 'objective', withheld), stripped(older.objectives, 'objective', withheld), fieldsOf(PlanObjectiveSchema.shape, 'objective', withheld))
  }
  if (newer.whitespace && older.whitespace) {
    diff.whitespace = diffSection(stripped(newer.whitespace.cells, 'whitespace', withheld), stripped(older.whitespace.cells, 'whitespace', withheld), fieldsOf(PlanWhitespaceCellSchema.shape, 'whitespace', withheld))
    const before = older.whitespace.currency ?? null
    const after = newer.whitespace.currency ?? null
    if (before !== after) diff.whitespaceCurrency = { before, after }
  }
  if (newer.competitors && older.competitors) {
    diff.competitors = diffSection(stripped(newer.competitors, 'competitor', withheld), stripped(older.competitors, 'competitor', withheld), fieldsOf(PlanCompetitorSchema.shape, 'competitor', withheld))
  }
  if (newer.notes && older.notes) {
    // Only boards both show: a board shared since is not a board of new notes.
    const olderBoards = noteBoardsShown(older)
    const both = new Set([...noteBoardsShown(newer)].filter((board) => olderBoards.has(board)))
    const onBoth = (notes: readonly PlanBoardNote[]) => notes.filter((note) => both.has(note.board))
    if (both.size > 0) diff.notes = diffSection(onBoth(newer.notes), onBoth(older.notes), fieldsOf(PlanBoardNoteSchema.shape))
  }
  if (newer.health && older.health) {
    // A card the older plan had and the newer has not was deleted: its gaps went with it. A note
    // the newer plan has outside threats and weaknesses left what needs addressing: not a fix.
    const newerIds = recordIds(newer)
    const olderIds = recordIds(older)
    const threatsAndWeaknesses = new Set([...(newer.swot?.threats ?? []), ...(newer.swot?.weaknesses ?? [])].map((item) => item.id))
    diff.health = diffHealth(newer.health, older.health, (shapeId, check) => {
      if (olderIds.has(shapeId) && !newerIds.has(shapeId)) return 'deleted'
      if (check === 'swot_addressed' && newer.swot && newerIds.has(shapeId) && !threatsAndWeaknesses.has(shapeId)) return 'left'
      return undefined
    })
  }
  // A name made internal between the two reads "Name not shared" on both sides: neither told nor a change.
  const newerVotes = votesAsWithheld(newer, withheld)
  const olderVotes = votesAsWithheld(older, withheld)
  diff.votes = diffSection(voteItems(newerVotes), voteItems(olderVotes), fieldsOf(VoteDiffItemSchema.shape))
  // An item renamed since (its action's title, its note's text) changes the ranking's words, not the
  // vote's result: the rename is the item's own change (QA q36b: the vote read as "changed").
  const tally = (votes: readonly PlanVote[]) => new Map(votes.map((vote) => [vote.id, vote.items.map((item) => `${item.id}:${item.votes}`).join(';')]))
  const [newerTally, olderTally] = [tally(newerVotes), tally(olderVotes)]
  diff.votes.changed = diff.votes.changed.flatMap((change) => {
    if (newerTally.get(change.id) !== olderTally.get(change.id)) return [change]
    const changes = change.changes.filter((field) => field.field !== 'ranking')
    return changes.length === 0 ? [] : [{ ...change, changes }]
  })
  return diff
}

/** The sections of a diff whose items are board records, and their fields that hold links (ids). */
const RECORD_SECTIONS = ['swot', 'stakeholders', 'relationships', 'actions', 'objectives', 'whitespace', 'competitors', 'notes'] as const
const LINK_FIELDS: ReadonlySet<string> = new Set(['objectives', 'actions', 'addresses', 'cells'])

/**
 * A guest's diff without what only stopped being shared with them (QA q36b: an objective the team
 * made internal read "Removed" to the customer, as if the team had dropped it, and an action
 * linked to it "Changed" with nothing to see): an item gone from the guest's newer plan but still
 * on the team's is not removed, and a link to an item still on both of the team's plans, which the
 * guest sees on one side only, is no change. `teamNewer` and `teamOlder` are the two plans as the
 * team has them (restricted to the boards the guest's diff compares); `newer` and `older` the
 * guest's. What became shared still reads as new: it is, to the guest.
 */
export function withoutUnsharing(diff: PlanDiff, teamNewer: PlanView, teamOlder: PlanView, newer: PlanView, older: PlanView): PlanDiff {
  const onBoard = recordIds(teamNewer)
  const onBothBoards = new Set([...recordIds(teamOlder)].filter((id) => onBoard.has(id)))
  const seenNewer = recordIds(newer)
  const seenOlder = recordIds(older)
  // A link that appeared or went only because its item's sharing changed.
  const onlySharing = (id: string) => onBothBoards.has(id) && seenNewer.has(id) !== seenOlder.has(id)
  const ids = (value: FieldChange['before']) => (typeof value === 'string' && value !== '' ? value.split(', ') : [])
  const linkNoChange = (change: FieldChange) => {
    if (!LINK_FIELDS.has(change.field)) return false
    const before = new Set(ids(change.before))
    const after = new Set(ids(change.after))
    const differing = [...before, ...after].filter((id) => before.has(id) !== after.has(id))
    return differing.length > 0 && differing.every(onlySharing)
  }
  const out: PlanDiff = { ...diff }
  for (const key of RECORD_SECTIONS) {
    const section = diff[key] as SectionDiff<{ id: string }> | undefined // every record section is a SectionDiff of items with ids
    if (!section) continue
    const changed = section.changed.flatMap((item) => {
      const changes = item.changes.filter((change) => !linkNoChange(change))
      return changes.length === 0 ? [] : [{ ...item, changes }]
    })
    ;(out as Record<string, unknown>)[key] = { added: section.added, removed: section.removed.filter((item) => !onBoard.has(item.id)), changed } // the same section, filtered
  }
  return out
}
