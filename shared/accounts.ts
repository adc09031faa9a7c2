/**
 * Accounts (issue 16): the customer an account plan is about, which outlives any one workshop.
 * Shapes of `/api/accounts` shared by the server (validation) and the client (parsing), the
 * selection criteria with their scales, and the account selection matrix.
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { LinkTtlDaysSchema } from './access.ts'
import { accountName, lineOfText, MAX_TITLE_LENGTH, WorkshopSchema } from './api.ts'
import { PlanSummarySchema } from './plan.ts'
import { PlanDiffSchema } from './planDiff.ts'
import { MAX_SNAPSHOT_LABEL_LENGTH } from './snapshotApi.ts'
import { TimeZoneSchema } from './timeZone.ts'

/** Account tiers: `strategic` accounts are the few the board reviews quarterly; every other key account is `key`. */
export const ACCOUNT_TIERS = ['key', 'strategic'] as const
export const AccountTierSchema = lazySchema(() => z.enum(ACCOUNT_TIERS))
export type AccountTier = z.infer<typeof AccountTierSchema>

/**
 * The selection criteria, each scored 1 (lowest) to 5 (highest) on the scale in
 * {@link CRITERIA_SCALES}, or null while not assessed. `annualRevenue` and `profitability` are
 * internal: they are served only to organisation-key holders (`/api/accounts`), never in a
 * workshop's exports or to any workshop role (docs/accounts.md [K3]).
 */
export const CRITERIA = ['annualRevenue', 'profitability', 'growthPotential', 'strategicImportance', 'relativeStrength'] as const
export type Criterion = (typeof CRITERIA)[number]

/** The documented scale of each criterion: what scores 1, 3 and 5 mean. */
export const CRITERIA_SCALES = {
  annualRevenue: { title: 'Annual revenue', 1: 'under 0.5% of our revenue', 3: '1–3% of our revenue', 5: 'over 5% of our revenue' },
  profitability: { title: 'Profitability', 1: 'loss-making for us', 3: 'our average margin', 5: 'well above our average margin' },
  growthPotential: { title: 'Growth potential', 1: 'shrinking spend in our category', 3: 'grows with the market', 5: 'large, reachable whitespace' },
  strategicImportance: { title: 'Strategic importance', 1: 'no reference or learning value', 3: 'a good reference in its segment', 5: 'shapes our offer or market' },
  relativeStrength: { title: 'Our relative strength', 1: 'weaker than every rival there', 3: 'on a par with the main rival', 5: 'the clear preferred supplier' },
} as const satisfies Record<Criterion, { title: string; 1: string; 3: string; 5: string }>

/** Criteria that never leave the organisation-key API ([K3]). */
export const INTERNAL_CRITERIA: readonly Criterion[] = ['annualRevenue', 'profitability']

const Score = lazySchema(() => z.number().int().min(1).max(5).nullable())

/** The selection criteria of an account; a criterion left out is null (not assessed). */
export const SelectionCriteriaSchema = lazySchema(() => z.strictObject({
  annualRevenue: Score.default(null),
  profitability: Score.default(null),
  growthPotential: Score.default(null),
  strategicImportance: Score.default(null),
  relativeStrength: Score.default(null),
}))
export type SelectionCriteria = z.infer<typeof SelectionCriteriaSchema>

/** Criteria as a request sends them: only those it sets (no defaults, so a change leaves the others alone). */
export const CriteriaChangeSchema = lazySchema(() => z.strictObject({
  annualRevenue: Score.optional(),
  profitability: Score.optional(),
  growthPotential: Score.optional(),
  strategicImportance: Score.optional(),
  relativeStrength: Score.optional(),
}))

const Person = lazySchema(() => lineOfText('name', 120))

/** Everything of an account but its id and times, as stored in one JSON column. */
export const AccountProfileSchema = lazySchema(() => z.object({
  tier: AccountTierSchema.default('key'),
  keyAccountManager: Person.default(''),
  executiveSponsor: Person.default(''),
  segment: Person.default(''),
  criteria: SelectionCriteriaSchema.default(SelectionCriteriaSchema.parse({})),
}))
export type AccountProfile = z.infer<typeof AccountProfileSchema>

/** An account id: URL-safe characters, like workshop ids. */
export const AccountIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid account id'))

const Name = lazySchema(() => accountName('name'))

/**
 * Body of `POST /api/accounts` (organisation key). Only the name is required; names are unique,
 * ignoring case (409 `account_exists`).
 *
 * @example `{ "name": "Acme Corp", "tier": "strategic", "criteria": { "growthPotential": 4 } }`
 */
export const CreateAccountBodySchema = lazySchema(() => z.strictObject({
  name: Name,
  tier: AccountTierSchema.optional(),
  keyAccountManager: Person.optional(),
  executiveSponsor: Person.optional(),
  segment: Person.optional(),
  criteria: CriteriaChangeSchema.optional(),
}))
export type CreateAccountBody = z.infer<typeof CreateAccountBodySchema>

/**
 * Body of `PATCH /api/accounts/:id`: any field of the create body (criteria are merged: a
 * criterion left out keeps its score, null clears it) and `archived`. At least one field. A new
 * name is also written to the account's workshops.
 *
 * @example `{ "tier": "key" }`, `{ "criteria": { "relativeStrength": 2 } }`, `{ "archived": true }`
 */
export const UpdateAccountBodySchema = lazySchema(() => CreateAccountBodySchema.partial()
  .extend({ archived: z.boolean().optional() })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'give at least one field'))
export type UpdateAccountBody = z.infer<typeof UpdateAccountBodySchema>

/** An account as the API returns it. */
export const AccountSchema = lazySchema(() => AccountProfileSchema.extend({
  id: AccountIdSchema,
  name: z.string(),
  createdAt: z.iso.datetime(),
  archivedAt: z.iso.datetime().optional(),
}))
export type Account = z.infer<typeof AccountSchema>

/** Quadrants of the account selection matrix (attractiveness × our relative strength). */
export const QUADRANTS = ['strategic', 'develop', 'maintain', 'selective'] as const
export type Quadrant = (typeof QUADRANTS)[number]

/** What each quadrant means for the account team. */
export const QUADRANT_TITLES = {
  strategic: 'Strategic: attractive and we are strong; invest',
  develop: 'Develop: attractive but we are weak; build the position',
  maintain: 'Maintain: less attractive, we are strong; serve efficiently',
  selective: 'Selective: less attractive and we are weak; serve selectively',
} as const satisfies Record<Quadrant, string>

/** Where an account sits in the selection matrix; null fields while the criteria are missing. */
export const SelectionSchema = lazySchema(() => z.object({
  /** Mean of revenue, profitability, growth potential and strategic importance (those scored), 1–5. */
  attractiveness: z.number().nullable(),
  strength: z.number().nullable(),
  quadrant: z.enum(QUADRANTS).nullable(),
  /** Why the tier does not fit the quadrant, or null. */
  mismatch: z.string().nullable(),
}))
export type Selection = z.infer<typeof SelectionSchema>

/** Scores at or above this midpoint count as high ([K5]). */
export const MATRIX_MIDPOINT = 3

/**
 * Places an account in the selection matrix ([K5]): attractiveness is the mean of the scored
 * attractiveness criteria, strength the relative-strength score; both high is `strategic`. A
 * `strategic` tier outside the high-attractiveness half, and a `key` tier in the `strategic`
 * quadrant, are flagged as tier mismatches.
 *
 * @example accountSelection('strategic', { annualRevenue: 2, profitability: 2, growthPotential: 1, strategicImportance: 2, relativeStrength: 4 }).mismatch // 'tier is strategic but …'
 */
export function accountSelection(tier: AccountTier, criteria: SelectionCriteria): Selection {
  const scored = [criteria.annualRevenue, criteria.profitability, criteria.growthPotential, criteria.strategicImportance].filter(
    (score): score is number => score !== null,
  )
  const attractiveness = scored.length === 0 ? null : Math.round((scored.reduce((a, b) => a + b, 0) / scored.length) * 10) / 10
  const strength = criteria.relativeStrength
  if (attractiveness === null || strength === null) return { attractiveness, strength, quadrant: null, mismatch: null }
  const attractive = attractiveness >= MATRIX_MIDPOINT
  const strong = strength >= MATRIX_MIDPOINT
  const quadrant: Quadrant = attractive ? (strong ? 'strategic' : 'develop') : strong ? 'maintain' : 'selective'
  const mismatch =
    tier === 'strategic' && !attractive
      ? 'tier is strategic but the account scores low on attractiveness'
      : tier === 'key' && quadrant === 'strategic'
        ? 'tier is key but the account scores as strategic'
        : null
  return { attractiveness, strength, quadrant, mismatch }
}

/** The newest snapshot of an account across its workshops: its current plan. */
export const LatestPlanSchema = lazySchema(() => z.object({
  workshopId: z.string(),
  workshopTitle: z.string(),
  summary: PlanSummarySchema,
  /** The plan's health score (0–100) once plans carry one; null until then. */
  health: z.number().nullable(),
  /** Actions not done, and of those the overdue ones. */
  openActions: z.number().int().nonnegative(),
  overdueActions: z.number().int().nonnegative(),
  /** Objectives at risk, once plans carry objectives; null until then. */
  objectivesAtRisk: z.number().int().nonnegative().nullable(),
}))
export type LatestPlan = z.infer<typeof LatestPlanSchema>

/** One row of the portfolio (`GET /api/accounts`): the account, where it sits and how fresh its plan is. */
export const AccountOverviewSchema = lazySchema(() => AccountSchema.extend({
  selection: SelectionSchema,
  workshops: z.number().int().nonnegative(),
  /** When its newest workshop was created; null without workshops. */
  lastWorkshopAt: z.iso.datetime().nullable(),
  latestPlan: LatestPlanSchema.nullable(),
}))
export type AccountOverview = z.infer<typeof AccountOverviewSchema>

/** Query of `GET /api/accounts`: archived accounts only with `?archived=true`. */
export const AccountListQuerySchema = lazySchema(() => z.object({ archived: z.enum(['true', 'false']).default('false') }))

/** Body of `GET /api/accounts`: by name. */
export const AccountListSchema = lazySchema(() => z.object({ accounts: z.array(AccountOverviewSchema) }))
export type AccountList = z.infer<typeof AccountListSchema>

/** Body of `GET /api/accounts/:id/workshops`: newest first. */
export const AccountWorkshopListSchema = lazySchema(() => z.object({ workshops: z.array(WorkshopSchema) }))

/**
 * Body of `POST /api/accounts/:id/workshops`: a new workshop of the account. `start` is `blank`
 * (the board templates, as `POST /api/workshops`) or `last_plan` (every board as the account's
 * latest snapshot left it, [K7]); with `last_plan`, `dropDoneActions` leaves done action cards
 * out (default false: kept).
 *
 * @example `{ "title": "Q3 review", "start": "last_plan", "dropDoneActions": true }`
 */
export const CreateAccountWorkshopBodySchema = lazySchema(() => z.strictObject({
  title: lineOfText('title', MAX_TITLE_LENGTH).min(1, 'title must not be empty'),
  start: z.enum(['blank', 'last_plan']).default('blank'),
  dropDoneActions: z.boolean().default(false),
  linkTtlDays: LinkTtlDaysSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
}))
export type CreateAccountWorkshopBody = z.infer<typeof CreateAccountWorkshopBodySchema>

/**
 * One entry of an account's timeline (`GET /api/accounts/:id/snapshots`), newest first. Automatic
 * snapshots (session end, periodic) that follow each other with nothing changed in between
 * collapse into the newest of them ([K8]); `collapsed` lists the ids it stands for besides its own.
 */
export const TimelineEntrySchema = lazySchema(() => z.object({
  workshopId: z.string(),
  workshopTitle: z.string(),
  summary: PlanSummarySchema,
  collapsed: z.array(z.string()),
}))
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>

/** Body of `GET /api/accounts/:id/snapshots`. */
export const AccountTimelineSchema = lazySchema(() => z.object({ entries: z.array(TimelineEntrySchema) }))
export type AccountTimeline = z.infer<typeof AccountTimelineSchema>

/**
 * Body of `PATCH /api/workshops/:id/snapshots/:sid` (facilitator): names or renames a snapshot;
 * an empty name (after trimming) or null removes it ([K9]).
 *
 * @example `{ "label": "Signed off by the sponsor" }`
 */
export const RenameSnapshotBodySchema = lazySchema(() => z.strictObject({
  label: lineOfText('label', MAX_SNAPSHOT_LABEL_LENGTH).nullable(),
}))
export type RenameSnapshotBody = z.infer<typeof RenameSnapshotBodySchema>

/**
 * Response of `GET /api/workshops/:id/snapshots/:sid/since-last-workshop`: the account's previous
 * workshop (the newest one created before this workshop that has a snapshot), its latest snapshot
 * and what changed from it to `:sid` ([K6]).
 */
export const SinceLastWorkshopSchema = lazySchema(() => z.object({
  previous: z.object({ workshopId: z.string(), workshopTitle: z.string(), snapshotId: z.string(), takenAt: z.iso.datetime({ offset: true }) }),
  diff: PlanDiffSchema,
}))
export type SinceLastWorkshop = z.infer<typeof SinceLastWorkshopSchema>

/**
 * Response of `GET /api/workshops/:id/timeline`: the workshop's snapshots grouped as its timeline
 * shows them ([K8]), newest first: each entry's id and the ids of the unchanged automatic
 * snapshots it stands for. Unchanged is judged on the caller's view of the plans.
 */
export const WorkshopTimelineSchema = lazySchema(() => z.object({ entries: z.array(z.object({ id: z.string(), collapsed: z.array(z.string()) })) }))
export type WorkshopTimeline = z.infer<typeof WorkshopTimelineSchema>
