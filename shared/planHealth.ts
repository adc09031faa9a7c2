import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { BoardIdSchema } from './boards.ts'
import { formatShare } from './formatAmount.ts'
import type { PlanRecord } from './plan.ts'
import { HEALTH_CHECK_READS, HEALTH_CHECK_RUNS } from './healthChecks.ts'

/**
 * Plan health: a score from 0 to 100 computed from the plan itself, never self-rated, with the
 * checklist behind it. Each check has a weight, a score between 0 and 1 (or null when it does not
 * apply, e.g. no high-influence stakeholder to give an owner), and the items it misses, each with
 * a plain-language fix and the board and shape it concerns. The checks, weights and rules are
 * documented in `docs/plan-health.md` ([PH1]–[PH12]).
 */

/** The checks, in the order the health panel lists them. */
export const HEALTH_CHECK_IDS = [
  'key_roles',
  'relationship_owners',
  'opponents_addressed',
  'swot_addressed',
  'objectives_complete',
  'objectives_actions',
  'actions_owner_due',
  'actions_overdue',
  'actions_linked',
  'whitespace_opportunity',
  'share_of_wallet',
  'freshness',
] as const
export type HealthCheckId = (typeof HEALTH_CHECK_IDS)[number]

/** One thing a check finds missing. `key` is stable across snapshots, so diffs can tell what was fixed. */
export const HealthItemSchema = lazySchema(() => z.object({
  key: z.string().max(300),
  /** What is missing, e.g. "No champion identified". */
  message: z.string().max(600),
  /** How to fix it, e.g. "Add one on the stakeholder map". */
  fix: z.string().max(300),
  /** What the diff says once it is fixed, e.g. "champion identified". */
  resolved: z.string().max(300),
  board: BoardIdSchema,
  shapeId: z.string().max(200).optional(),
}))
export type HealthItem = z.infer<typeof HealthItemSchema>

/** One check of the checklist. */
export const HealthCheckSchema = lazySchema(() => z.object({
  id: z.enum(HEALTH_CHECK_IDS),
  title: z.string().max(200),
  weight: z.number().int().positive(),
  /** 0 (nothing) to 1 (all done); null when the check does not apply to this plan. */
  score: z.number().min(0).max(1).nullable(),
  missing: z.array(HealthItemSchema),
}))
export type HealthCheck = z.infer<typeof HealthCheckSchema>

/** The health of a plan: the score and its checklist. */
export const PlanHealthSchema = lazySchema(() => z.object({
  score: z.number().int().min(0).max(100).describe('0–100: the weighted share of the checks met'),
  checks: z.array(HealthCheckSchema),
  /** What freshness was judged on (null: unknown). */
  freshness: z.object({
    lastChangedAt: z.iso.datetime({ offset: true }).nullable(),
    lastWorkshopAt: z.iso.datetime({ offset: true }).nullable(),
  }),
}))
export type PlanHealth = z.infer<typeof PlanHealthSchema>

/** What the plan misses, most important checks first: the items the health panels list. */
export function missingItems(health: PlanHealth): HealthItem[] {
  return health.checks
    .filter((check) => check.missing.length > 0)
    .sort((p, q) => q.weight - p.weight)
    .flatMap((check) => check.missing)
}

/** The parts of a plan health is computed from. */
export type HealthPlan = Pick<PlanRecord, 'swot' | 'stakeholders' | 'objectives' | 'actions' | 'whitespace'>

/** What health needs besides the plan: the day, the moment, and when the plan and workshop last moved. */
export interface HealthContext {
  /** The workshop's calendar date `YYYY-MM-DD`. */
  today: string
  /** ISO date-time of "now" (the snapshot's `takenAt`). */
  now: string
  /** When a board last changed; null when unknown. */
  lastChangedAt: string | null
  /** When the last workshop session ended; null when unknown or never. */
  lastWorkshopAt: string | null
}

/** Static description of each check: title, weight, and how the diff words several fixes. */
export const HEALTH_CHECKS: Readonly<Record<HealthCheckId, { title: string; weight: number; many?: (n: number) => string; left?: (n: number) => string }>> = {
  key_roles: { title: 'Economic buyer, decision maker and champion identified', weight: 12 },
  relationship_owners: { title: 'Every high-influence stakeholder has a relationship owner', weight: 8, many: (n) => `${n} relationship owners named` },
  opponents_addressed: { title: 'Every high-influence blocker or skeptic is addressed by an action', weight: 8, many: (n) => `${n} opponents now addressed` },
  swot_addressed: {
    title: 'Every threat and weakness is addressed by an objective or action',
    weight: 12,
    many: (n) => `${n} threats or weaknesses now addressed`,
    left: (n) => (n === 1 ? '1 note moved out of threats and weaknesses' : `${n} notes moved out of threats and weaknesses`),
  },
  objectives_complete: { title: 'Objectives have a measure, baseline, target, target date and owner', weight: 12, many: (n) => `${n} objective fields filled in` },
  objectives_actions: { title: 'Every objective has at least one action', weight: 8, many: (n) => `${n} objectives now have actions` },
  actions_owner_due: { title: 'Every action has an owner and a due date', weight: 10, many: (n) => `${n} actions now have an owner and due date` },
  actions_overdue: { title: 'No open action is overdue', weight: 8, many: (n) => `${n} actions no longer overdue` },
  actions_linked: { title: 'Every action serves an objective', weight: 8, many: (n) => `${n} actions now serve an objective` },
  whitespace_opportunity: { title: 'At least one open opportunity with an estimated value, each with its probability', weight: 6 },
  share_of_wallet: { title: 'Share of wallet known for every business unit we or competitors supply', weight: 4, many: (n) => `share of wallet known for ${n} more units` },
  freshness: { title: 'The plan changed in the last 30 days and met in the last 90', weight: 4 },
}

/**
 * The health of a plan: every check of {@link HEALTH_CHECK_IDS}, and the score, the weighted mean
 * of the checks that apply, as a whole number from 0 to 100. Pure. `earlier`: a health computed
 * before and its plan; a check whose sections (`HEALTH_CHECK_READS`) are the very objects they were
 * then (nothing changes a plan's sections in place) keeps its result; freshness always runs again.
 * @example
 * const health = planHealth(plan, { today: '2026-11-22', now: takenAt, lastChangedAt: takenAt, lastWorkshopAt: null })
 * health.checks.find((c) => c.id === 'key_roles')?.missing[0]?.message // 'No champion identified'
 */
export function planHealth(plan: HealthPlan, context: HealthContext, earlier?: { plan: HealthPlan; health: PlanHealth }): PlanHealth {
  const checks = HEALTH_CHECK_IDS.map((id): HealthCheck => {
    const reads = HEALTH_CHECK_READS[id]
    const same = earlier !== undefined && reads.length > 0 && reads.every((section) => earlier.plan[section] === plan[section])
    const known = same ? earlier.health.checks.find((check) => check.id === id) : undefined
    if (known) return known
    const { score, missing } = HEALTH_CHECK_RUNS[id](plan, context)
    return { id, title: HEALTH_CHECKS[id].title, weight: HEALTH_CHECKS[id].weight, score, missing }
  })
  let weights = 0
  let points = 0
  for (const check of checks) {
    if (check.score === null) continue
    weights += check.weight
    points += check.weight * check.score
  }
  return {
    score: weights === 0 ? 0 : Math.round((100 * points) / weights),
    checks,
    freshness: { lastChangedAt: context.lastChangedAt, lastWorkshopAt: context.lastWorkshopAt },
  }
}

/** How health moved between two plans. */
export const HealthDiffSchema = lazySchema(() => z.object({
  before: z.number().int(),
  after: z.number().int(),
  /** Fixes since the older plan, grouped per check ("3 threats or weaknesses now addressed"). */
  resolved: z.array(z.string()),
  /** Gaps that appeared since the older plan ("No champion identified"). */
  appeared: z.array(z.string()),
  /** One line: "health 54 → 71: champion identified, 3 threats or weaknesses now addressed". */
  summary: z.string(),
}))
export type HealthDiff = z.infer<typeof HealthDiffSchema>

/**
 * Why a gap's card no longer has it, other than a fix: the card was deleted, or it `left` what the
 * check covers (a note moved out of threats and weaknesses is no longer one that needs addressing).
 */
export type GapGone = 'deleted' | 'left'

/** A message inside a sentence: "No champion identified" → "no champion identified". */
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1)

/**
 * What changed in health from `older` to `newer`, by the stable keys of the missing items. A gap
 * that went because its card was deleted (`gone(shapeId, check)` is 'deleted': the newer plan no
 * longer has it) or because its card left what the check covers ('left', for checks that word it)
 * is not a fix and is counted apart; gaps that appeared are named too, so a change that trades one
 * gap for another does not read as progress. A check whose share moved while its gaps stayed the
 * same is named with its share before and after, so every change of the score has its reason.
 * @example diffHealth(latest.health, previous.health).summary // 'health 54 → 71: champion identified'
 * @example 'health 51 → 51: decision maker identified; now missing: no economic buyer identified'
 * @example 'health 68 → 64: no open action is overdue 67 % → 50 %' // one done: the same overdue action, fewer beside it
 */
export function diffHealth(
  newer: PlanHealth,
  older: PlanHealth,
  gone: (shapeId: string, check: HealthCheckId) => GapGone | undefined = () => undefined,
): HealthDiff {
  const keys = (health: PlanHealth) => new Set(health.checks.flatMap((c) => c.missing.map((m) => m.key)))
  const newKeys = keys(newer)
  const oldKeys = keys(older)
  const resolved: string[] = []
  const moved: string[] = []
  // Checks whose score a gap that went or came explains.
  const explained = new Set<HealthCheckId>()
  let deleted = 0
  for (const check of older.checks) {
    const { many, left } = HEALTH_CHECKS[check.id]
    const fixed: HealthItem[] = []
    let leftCount = 0
    for (const item of check.missing) {
      if (newKeys.has(item.key)) continue
      explained.add(check.id)
      const why = item.shapeId === undefined ? undefined : gone(item.shapeId, check.id)
      if (why === 'deleted') deleted++
      else if (why === 'left' && left) leftCount++
      else fixed.push(item)
    }
    if (fixed.length > 1 && many) resolved.push(many(fixed.length))
    else resolved.push(...fixed.map((item) => item.resolved))
    if (leftCount > 0 && left) moved.push(left(leftCount))
  }
  const appeared = newer.checks.flatMap((c) => {
    const came = c.missing.filter((item) => !oldKeys.has(item.key))
    if (came.length > 0) explained.add(c.id)
    return came.map((item) => item.message)
  })
  // A share that moved with the same gaps listed (an overdue action, fewer open ones beside it).
  const shares = newer.checks.flatMap((c) => {
    const before = older.checks.find((o) => o.id === c.id)?.score
    if (explained.has(c.id) || before === undefined || before === null || c.score === null || formatShare(before) === formatShare(c.score)) return []
    return [`${lowerFirst(c.title)} ${formatShare(before)} → ${formatShare(c.score)}`]
  })
  const parts: string[] = []
  if (resolved.length > 0) parts.push(resolved.join(', '))
  if (moved.length > 0) parts.push(moved.join(', '))
  if (deleted > 0) parts.push(deleted === 1 ? '1 gap gone with its deleted card' : `${deleted} gaps gone with their deleted cards`)
  if (appeared.length > 0) parts.push(`now missing: ${appeared.map(lowerFirst).join(', ')}`)
  if (shares.length > 0) parts.push(shares.join(', '))
  const head = `health ${older.score} → ${newer.score}`
  const summary = parts.length > 0 ? `${head}: ${parts.join('; ')}` : head
  return { before: older.score, after: newer.score, resolved, appeared, summary }
}
