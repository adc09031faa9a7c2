import { z } from 'zod'
import { BoardIdSchema } from './boards.ts'
import type { PlanRecord } from './plan.ts'
import { LABELS, type BuyingRole } from './shapes.ts'

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
export const HealthItemSchema = z.object({
  key: z.string().max(300),
  /** What is missing, e.g. "No champion identified". */
  message: z.string().max(600),
  /** How to fix it, e.g. "Add one on the stakeholder map". */
  fix: z.string().max(300),
  /** What the diff says once it is fixed, e.g. "champion identified". */
  resolved: z.string().max(300),
  board: BoardIdSchema,
  shapeId: z.string().max(200).optional(),
})
export type HealthItem = z.infer<typeof HealthItemSchema>

/** One check of the checklist. */
export const HealthCheckSchema = z.object({
  id: z.enum(HEALTH_CHECK_IDS),
  title: z.string().max(200),
  weight: z.number().int().positive(),
  /** 0 (nothing) to 1 (all done); null when the check does not apply to this plan. */
  score: z.number().min(0).max(1).nullable(),
  missing: z.array(HealthItemSchema),
})
export type HealthCheck = z.infer<typeof HealthCheckSchema>

/** The health of a plan: the score and its checklist. */
export const PlanHealthSchema = z.object({
  score: z.number().int().min(0).max(100).describe('0–100: the weighted share of the checks met'),
  checks: z.array(HealthCheckSchema),
  /** What freshness was judged on (null: unknown). */
  freshness: z.object({
    lastChangedAt: z.iso.datetime({ offset: true }).nullable(),
    lastWorkshopAt: z.iso.datetime({ offset: true }).nullable(),
  }),
})
export type PlanHealth = z.infer<typeof PlanHealthSchema>

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
export const HEALTH_CHECKS: Readonly<Record<HealthCheckId, { title: string; weight: number; many?: (n: number) => string }>> = {
  key_roles: { title: 'Economic buyer, decision maker and champion identified', weight: 12 },
  relationship_owners: { title: 'Every high-influence stakeholder has a relationship owner', weight: 8, many: (n) => `${n} relationship owners named` },
  opponents_addressed: { title: 'Every high-influence blocker or skeptic is addressed by an action', weight: 8, many: (n) => `${n} opponents now addressed` },
  swot_addressed: { title: 'Every threat and weakness is addressed by an objective or action', weight: 12, many: (n) => `${n} threats or weaknesses now addressed` },
  objectives_complete: { title: 'Objectives have a measure, baseline, target, target date and owner', weight: 12, many: (n) => `${n} objective fields filled in` },
  objectives_actions: { title: 'Every objective has at least one action', weight: 8, many: (n) => `${n} objectives now have actions` },
  actions_owner_due: { title: 'Every action has an owner and a due date', weight: 10, many: (n) => `${n} actions now have an owner and due date` },
  actions_overdue: { title: 'No open action is overdue', weight: 8, many: (n) => `${n} actions no longer overdue` },
  actions_linked: { title: 'Every action serves an objective', weight: 8, many: (n) => `${n} actions now serve an objective` },
  whitespace_opportunity: { title: 'At least one open opportunity with an estimated value', weight: 6 },
  share_of_wallet: { title: 'Share of wallet known for every business unit we or competitors supply', weight: 4, many: (n) => `share of wallet known for ${n} more units` },
  freshness: { title: 'The plan changed in the last 30 days and met in the last 90', weight: 4 },
}

const KEY_ROLES: readonly { role: BuyingRole; label: string }[] = [
  { role: 'economic_buyer', label: 'economic buyer' },
  { role: 'decision_maker', label: 'decision maker' },
  { role: 'champion', label: 'champion' },
]

/** Days after which a plan that has not changed starts losing freshness, and reaches 0. */
const STALE_AFTER_DAYS = 30
const DEAD_AFTER_DAYS = 90
/** Days after which a plan without a workshop session counts as not met. */
const WORKSHOP_WITHIN_DAYS = 90
/** Shortest note text that counts as "named" in an objective or action. */
const MIN_NAMED = 3

type Result = { score: number | null; missing: HealthItem[] }

function label(text: string, fallback: string): string {
  const line = text.split('\n')[0]?.trim() ?? ''
  if (line === '') return fallback
  return line.length > 60 ? `${line.slice(0, 57)}…` : line
}

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim()

function share(done: number, total: number): number | null {
  return total === 0 ? null : done / total
}

function keyRoles(plan: HealthPlan): Result {
  const missing: HealthItem[] = []
  for (const { role, label: name } of KEY_ROLES) {
    const found = plan.stakeholders.some((s) => s.buyingRole === role || (role === 'champion' && s.attitude === 'champion'))
    if (!found) {
      missing.push({
        key: `key_roles:${role}`,
        message: `No ${name} identified`,
        fix: `Add one on the stakeholder map, or set a card's buying role to ${LABELS.buyingRole[role]}`,
        resolved: `${name} identified`,
        board: 'stakeholders',
      })
    }
  }
  return { score: (KEY_ROLES.length - missing.length) / KEY_ROLES.length, missing }
}

function relationshipOwners(plan: HealthPlan): Result {
  const high = plan.stakeholders.filter((s) => s.influence === 'high')
  const missing = high
    .filter((s) => s.owner.trim() === '')
    .map((s): HealthItem => ({
      key: `relationship_owners:${s.id}`,
      message: `${label(s.name, 'A high-influence stakeholder')} has no relationship owner`,
      fix: 'Name who on our side owns the relationship, on the card',
      resolved: `relationship owner named for ${label(s.name, 'a stakeholder')}`,
      board: 'stakeholders',
      shapeId: s.id,
    }))
  return { score: share(high.length - missing.length, high.length), missing }
}

/**
 * The normalised texts of the plan, indexed by the first {@link MIN_NAMED} characters at every word
 * start, so "is this note named anywhere" costs a lookup and a few comparisons instead of a scan
 * of every text (2,000 threats × 4,000 texts would be half a billion character comparisons).
 */
class NamedIndex {
  private readonly starts = new Map<string, { text: string; at: number }[]>()

  constructor(texts: readonly string[]) {
    for (const raw of texts) {
      const text = normalise(raw)
      for (let at = 0; at + MIN_NAMED <= text.length; at++) {
        if (at > 0 && WORD_CHAR.test(text[at - 1] ?? '')) continue
        const key = text.slice(at, at + MIN_NAMED)
        const list = this.starts.get(key)
        if (list) list.push({ text, at })
        else this.starts.set(key, [{ text, at }])
      }
    }
  }

  /** [PH13] True when the first line of `name`, normalised and at least {@link MIN_NAMED} characters, starts at a word start of a text. */
  names(name: string): boolean {
    const wanted = normalise(name.split('\n')[0] ?? '')
    if (wanted.length < MIN_NAMED) return false
    return (this.starts.get(wanted.slice(0, MIN_NAMED)) ?? []).some(({ text, at }) => text.startsWith(wanted, at))
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u

function opponentsAddressed(plan: HealthPlan): Result {
  const actionTexts = new NamedIndex(plan.actions.map((a) => a.title))
  const opponents = plan.stakeholders.filter((s) => s.influence === 'high' && (s.attitude === 'blocker' || s.attitude === 'skeptic'))
  const missing = opponents
    .filter((s) => !actionTexts.names(s.name))
    .map((s): HealthItem => ({
      key: `opponents_addressed:${s.id}`,
      message: `${label(s.name, 'A high-influence opponent')} (${LABELS.attitude[s.attitude].toLowerCase()}) is not addressed by any action`,
      fix: 'Add an action on the action plan that names them',
      resolved: `${label(s.name, 'an opponent')} addressed`,
      board: 'stakeholders',
      shapeId: s.id,
    }))
  return { score: share(opponents.length - missing.length, opponents.length), missing }
}

function swotAddressed(plan: HealthPlan): Result {
  const linked = new Set(plan.objectives.flatMap((o) => o.addresses))
  const texts = new NamedIndex([...plan.objectives.flatMap((o) => [o.objective, o.strategy]), ...plan.actions.map((a) => a.title)])
  const notes = [
    ...plan.swot.weaknesses.map((item) => ({ item, kind: 'weakness' })),
    ...plan.swot.threats.map((item) => ({ item, kind: 'threat' })),
  ]
  const missing = notes
    .filter(({ item }) => !linked.has(item.id) && !texts.names(item.text))
    .map(({ item, kind }): HealthItem => ({
      key: `swot_addressed:${item.id}`,
      message: `The ${kind} "${label(item.text, '(empty)')}" is not addressed by any objective or action`,
      fix: `Link it from an objective card, or name it in an objective or action`,
      resolved: `${kind} addressed`,
      board: 'swot',
      shapeId: item.id,
    }))
  return { score: share(notes.length - missing.length, notes.length), missing }
}

const NO_OBJECTIVES: HealthItem = {
  key: 'objectives:none',
  message: 'No objectives yet',
  fix: 'Add an objective card on the Objectives & KPIs board',
  resolved: 'first objective added',
  board: 'objectives',
}

function objectivesComplete(plan: HealthPlan): Result {
  if (plan.objectives.length === 0) return { score: 0, missing: [NO_OBJECTIVES] }
  const fields = ['measure', 'baseline', 'target', 'target date', 'owner'] as const
  let filled = 0
  const missing: HealthItem[] = []
  for (const o of plan.objectives) {
    const has = {
      measure: o.measure.trim() !== '',
      baseline: o.baseline !== null,
      target: o.target !== null,
      'target date': o.targetDate !== null,
      owner: o.owner.trim() !== '',
    }
    for (const field of fields) {
      if (has[field]) {
        filled++
        continue
      }
      missing.push({
        key: `objectives_complete:${o.id}:${field}`,
        message: `Objective "${label(o.objective, '(untitled)')}" has no ${field}`,
        fix: `Set its ${field} in the side panel`,
        resolved: `${field} set`,
        board: 'objectives',
        shapeId: o.id,
      })
    }
  }
  return { score: filled / (fields.length * plan.objectives.length), missing }
}

function objectivesActions(plan: HealthPlan): Result {
  const missing = plan.objectives
    .filter((o) => o.actions.length === 0)
    .map((o): HealthItem => ({
      key: `objectives_actions:${o.id}`,
      message: `Objective "${label(o.objective, '(untitled)')}" has no action`,
      fix: 'Link an action to it from the action card (Serves objectives)',
      resolved: 'objective has an action',
      board: 'objectives',
      shapeId: o.id,
    }))
  return { score: share(plan.objectives.length - missing.length, plan.objectives.length), missing }
}

function actionsOwnerDue(plan: HealthPlan): Result {
  if (plan.actions.length === 0) {
    return {
      score: 0,
      missing: [{ key: 'actions:none', message: 'No actions yet', fix: 'Add action cards on the action plan', resolved: 'first action added', board: 'actions' }],
    }
  }
  const missing = plan.actions
    .filter((a) => a.owner.trim() === '' || a.due === null)
    .map((a): HealthItem => {
      const lacks = [a.owner.trim() === '' ? 'owner' : '', a.due === null ? 'due date' : ''].filter(Boolean).join(' and ')
      return {
        key: `actions_owner_due:${a.id}`,
        message: `Action "${label(a.title, '(untitled)')}" has no ${lacks}`,
        fix: `Set its ${lacks} in the side panel`,
        resolved: 'action has an owner and due date',
        board: 'actions',
        shapeId: a.id,
      }
    })
  return { score: (plan.actions.length - missing.length) / plan.actions.length, missing }
}

function actionsOverdue(plan: HealthPlan): Result {
  const open = plan.actions.filter((a) => a.status !== 'done')
  const missing = open
    .filter((a) => a.overdue)
    .map((a): HealthItem => ({
      key: `actions_overdue:${a.id}`,
      message: `Action "${label(a.title, '(untitled)')}" is overdue (due ${a.due ?? '?'})`,
      fix: 'Finish it, or agree a new due date',
      resolved: 'action no longer overdue',
      board: 'actions',
      shapeId: a.id,
    }))
  return { score: share(open.length - missing.length, open.length), missing }
}

function actionsLinked(plan: HealthPlan): Result {
  const missing = plan.actions
    .filter((a) => a.objectives.length === 0)
    .map((a): HealthItem => ({
      key: `actions_linked:${a.id}`,
      message: `Action "${label(a.title, '(untitled)')}" serves no objective`,
      fix: 'Pick the objectives it serves in the side panel',
      resolved: 'action serves an objective',
      board: 'actions',
      shapeId: a.id,
    }))
  return { score: share(plan.actions.length - missing.length, plan.actions.length), missing }
}

function whitespaceOpportunity(plan: HealthPlan): Result {
  const found = plan.whitespace.cells.some((c) => c.kind === 'opportunity' && c.value !== null && c.value > 0)
  if (found) return { score: 1, missing: [] }
  return {
    score: 0,
    missing: [
      {
        key: 'whitespace_opportunity',
        message: 'No open opportunity with an estimated value',
        fix: 'Add an "Open opportunity" cell with its estimated value on the whitespace board',
        resolved: 'open opportunity valued',
        board: 'whitespace',
      },
    ],
  }
}

function shareOfWallet(plan: HealthPlan): Result {
  const rows = plan.whitespace.shareOfWallet
  if (rows.length === 0) {
    return {
      score: 0,
      missing: [
        {
          key: 'share_of_wallet:none',
          message: 'No business unit shows who supplies it',
          fix: 'Add "We supply" or "Competitor supplies" cells with their revenue on the whitespace board',
          resolved: 'supply mapped',
          board: 'whitespace',
        },
      ],
    }
  }
  const missing = rows
    .filter((r) => r.share === null)
    .map((r): HealthItem => {
      const cell = plan.whitespace.cells.find((c) => c.row === r.row && (c.kind === 'we_supply' || c.kind === 'competitor') && c.value === null)
      return {
        key: `share_of_wallet:${r.row}`,
        message: `Share of wallet unknown for ${label(r.row, '(cards in no row)')}`,
        fix: 'Give the revenue of every supplied cell in that row',
        resolved: `share of wallet known for ${label(r.row, 'a unit')}`,
        board: 'whitespace',
        ...(cell ? { shapeId: cell.id } : {}),
      }
    })
  return { score: (rows.length - missing.length) / rows.length, missing }
}

const DAY_MS = 86_400_000

function daysBetween(from: string, to: string): number | null {
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS
  return Number.isFinite(days) ? Math.max(0, Math.floor(days)) : null
}

function freshness(context: HealthContext): Result {
  const parts: number[] = []
  const missing: HealthItem[] = []
  const changed = context.lastChangedAt === null ? null : daysBetween(context.lastChangedAt, context.now)
  if (changed !== null) {
    parts.push(changed <= STALE_AFTER_DAYS ? 1 : Math.max(0, 1 - (changed - STALE_AFTER_DAYS) / (DEAD_AFTER_DAYS - STALE_AFTER_DAYS)))
    if (changed > STALE_AFTER_DAYS) {
      missing.push({ key: 'freshness:changed', message: `The plan has not changed for ${changed} days`, fix: 'Review the boards with the team', resolved: 'plan updated', board: 'actions' })
    }
  }
  const met = context.lastWorkshopAt === null ? null : daysBetween(context.lastWorkshopAt, context.now)
  if (met !== null) {
    parts.push(met <= WORKSHOP_WITHIN_DAYS ? 1 : 0)
    if (met > WORKSHOP_WITHIN_DAYS) {
      missing.push({ key: 'freshness:workshop', message: `The last workshop was ${met} days ago`, fix: 'Hold a workshop session', resolved: 'workshop held', board: 'actions' })
    }
  }
  return { score: parts.length === 0 ? null : parts.reduce((a, b) => a + b, 0) / parts.length, missing }
}

const RUN: Record<HealthCheckId, (plan: HealthPlan, context: HealthContext) => Result> = {
  key_roles: keyRoles,
  relationship_owners: relationshipOwners,
  opponents_addressed: opponentsAddressed,
  swot_addressed: swotAddressed,
  objectives_complete: objectivesComplete,
  objectives_actions: objectivesActions,
  actions_owner_due: actionsOwnerDue,
  actions_overdue: actionsOverdue,
  actions_linked: actionsLinked,
  whitespace_opportunity: whitespaceOpportunity,
  share_of_wallet: shareOfWallet,
  freshness: (_plan, context) => freshness(context),
}

/** Most items one check lists (a board of 2,000 untitled actions lists the first 100). */
const MAX_ITEMS = 100

/**
 * The health of a plan: every check of {@link HEALTH_CHECK_IDS}, and the score, the weighted mean
 * of the checks that apply, as a whole number from 0 to 100. Pure.
 * @example
 * const health = planHealth(plan, { today: '2026-11-22', now: takenAt, lastChangedAt: takenAt, lastWorkshopAt: null })
 * health.checks.find((c) => c.id === 'key_roles')?.missing[0]?.message // 'No champion identified'
 */
export function planHealth(plan: HealthPlan, context: HealthContext): PlanHealth {
  const checks = HEALTH_CHECK_IDS.map((id): HealthCheck => {
    const { score, missing } = RUN[id](plan, context)
    return { id, title: HEALTH_CHECKS[id].title, weight: HEALTH_CHECKS[id].weight, score, missing: missing.slice(0, MAX_ITEMS) }
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
export const HealthDiffSchema = z.object({
  before: z.number().int(),
  after: z.number().int(),
  /** Fixes since the older plan, grouped per check ("3 threats or weaknesses now addressed"). */
  resolved: z.array(z.string()),
  /** Gaps that appeared since the older plan ("No champion identified"). */
  appeared: z.array(z.string()),
  /** One line: "health 54 → 71: champion identified, 3 threats or weaknesses now addressed". */
  summary: z.string(),
})
export type HealthDiff = z.infer<typeof HealthDiffSchema>

/**
 * What changed in health from `older` to `newer`, by the stable keys of the missing items.
 * @example diffHealth(latest.health, previous.health).summary // 'health 54 → 71: champion identified'
 */
export function diffHealth(newer: PlanHealth, older: PlanHealth): HealthDiff {
  const keys = (health: PlanHealth) => new Set(health.checks.flatMap((c) => c.missing.map((m) => m.key)))
  const newKeys = keys(newer)
  const oldKeys = keys(older)
  const resolved: string[] = []
  for (const check of older.checks) {
    const fixed = check.missing.filter((item) => !newKeys.has(item.key))
    const many = HEALTH_CHECKS[check.id].many
    if (fixed.length > 1 && many) resolved.push(many(fixed.length))
    else resolved.push(...fixed.map((item) => item.resolved))
  }
  const appeared = newer.checks.flatMap((c) => c.missing.filter((item) => !oldKeys.has(item.key)).map((item) => item.message))
  const head = `health ${older.score} → ${newer.score}`
  const summary = resolved.length > 0 ? `${head}: ${resolved.join(', ')}` : head
  return { before: older.score, after: newer.score, resolved, appeared, summary }
}
