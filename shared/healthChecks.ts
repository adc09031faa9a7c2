/**
 * The checks behind plan health (docs/plan-health.md [PH1]–[PH13]), one function each; the
 * schemas, weights and the score are in `planHealth.ts`.
 */
import type { HealthCheckId, HealthContext, HealthItem, HealthPlan } from './planHealth.ts'
import { LABELS, type BuyingRole } from './shapes.ts'

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

/** What one check finds: its score over every item, and the first {@link MAX_MISSING} items it misses. */
export type CheckResult = { score: number | null; missing: HealthItem[] }

/** Most items one check lists (a board of 2,000 untitled actions lists the first 100). */
export const MAX_MISSING = 100

function label(text: string, fallback: string): string {
  const line = text.split('\n')[0]?.trim() ?? ''
  if (line === '') return fallback
  return line.length > 60 ? `${line.slice(0, 57)}…` : line
}

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim()

function share(done: number, total: number): number | null {
  return total === 0 ? null : done / total
}

/**
 * The usual check over a list: every item that `lacks` something is a missing item (`gap`), and
 * the score is the share of items without; null for an empty list.
 */
function eachMust<T>(items: readonly T[], lacks: (item: T) => boolean, gap: (item: T) => HealthItem): CheckResult {
  const missing: HealthItem[] = []
  let lacking = 0
  for (const item of items) {
    if (!lacks(item)) continue
    lacking++
    // Counted all, described only as many as are listed.
    if (missing.length < MAX_MISSING) missing.push(gap(item))
  }
  return { score: share(items.length - lacking, items.length), missing }
}

/** A check that is not met at all: score 0 and one missing item. */
function unmet(item: HealthItem): CheckResult {
  return { score: 0, missing: [item] }
}

function keyRoles(plan: HealthPlan): CheckResult {
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

function relationshipOwners(plan: HealthPlan): CheckResult {
  return eachMust(
    plan.stakeholders.filter((s) => s.influence === 'high'),
    (s) => s.owner.trim() === '',
    (s) => ({
      key: `relationship_owners:${s.id}`,
      message: `${label(s.name, 'A high-influence stakeholder')} has no relationship owner`,
      fix: 'Name who on our side owns the relationship, on the card',
      resolved: `relationship owner named for ${label(s.name, 'a stakeholder')}`,
      board: 'stakeholders',
      shapeId: s.id,
    }),
  )
}

/**
 * The normalised texts of the plan, indexed by the first {@link MIN_NAMED} characters at every word
 * start, so "is this note named anywhere" costs a lookup and a few comparisons instead of a scan
 * of every text (2,000 threats × 4,000 texts would be half a billion character comparisons).
 * Built from an earlier index ({@link NamedIndex.of}) when few texts differ; never changed once built.
 */
class NamedIndex {
  /** The answers of {@link names} so far, by name: the index never changes, so neither do they. */
  private readonly answers = new Map<string, boolean>()

  private constructor(
    /** The texts it was built from, as given. */
    private readonly raw: ReadonlySet<string>,
    /** Each indexed (normalised) text, with how many of {@link raw} normalise to it. */
    private readonly normalised: ReadonlyMap<string, number>,
    private readonly starts: ReadonlyMap<string, readonly { text: string; at: number }[]>,
  ) {}

  /**
   * The index of `texts`: `previous` itself when it was built from the same texts (in any order,
   * any number of times each), else built from `previous` by the texts added and removed when they
   * are few, else anew. All three index the same texts the same way.
   */
  static of(texts: readonly string[], previous?: NamedIndex): NamedIndex {
    const raw = new Set(texts)
    const removed = previous ? [...previous.raw].filter((text) => !raw.has(text)) : []
    const added = previous ? [...raw].filter((text) => !previous.raw.has(text)) : []
    if (previous && removed.length === 0 && added.length === 0) return previous
    if (!previous || removed.length + added.length > raw.size / 4) {
      // The same text twice (a strategy copied onto every objective) adds nothing to look up.
      const normalised = new Map<string, number>()
      for (const text of raw) {
        const one = normalise(text)
        normalised.set(one, (normalised.get(one) ?? 0) + 1)
      }
      const starts = new Map<string, { text: string; at: number }[]>()
      for (const text of normalised.keys()) {
        eachWordStart(text, (key, at) => {
          const list = starts.get(key)
          if (list) list.push({ text, at })
          else starts.set(key, [{ text, at }])
        })
      }
      return new NamedIndex(raw, normalised, starts)
    }
    const normalised = new Map(previous.normalised)
    const starts = new Map(previous.starts)
    for (const text of removed) {
      const one = normalise(text)
      const left = (normalised.get(one) ?? 0) - 1
      if (left > 0) {
        normalised.set(one, left)
        continue
      }
      normalised.delete(one)
      eachWordStart(one, (key) => {
        const list = (starts.get(key) ?? []).filter((entry) => entry.text !== one)
        if (list.length > 0) starts.set(key, list)
        else starts.delete(key)
      })
    }
    for (const text of added) {
      const one = normalise(text)
      const count = normalised.get(one) ?? 0
      normalised.set(one, count + 1)
      if (count > 0) continue
      // A new list, not a push: the lists of `previous` stay as they are.
      eachWordStart(one, (key, at) => starts.set(key, [...(starts.get(key) ?? []), { text: one, at }]))
    }
    return new NamedIndex(raw, normalised, starts)
  }

  /** [PH13] True when the first line of `name`, normalised and at least {@link MIN_NAMED} characters, starts at a word start of a text. */
  names(name: string): boolean {
    const known = this.answers.get(name)
    if (known !== undefined) return known
    const wanted = normalise(name.split('\n')[0] ?? '')
    const found = wanted.length >= MIN_NAMED && (this.starts.get(wanted.slice(0, MIN_NAMED)) ?? []).some(({ text, at }) => text.startsWith(wanted, at))
    this.answers.set(name, found)
    return found
  }
}

/** Calls `each` with the first {@link MIN_NAMED} characters at each word start of a normalised text, and where it starts. */
function eachWordStart(text: string, each: (key: string, at: number) => void): void {
  for (let at = 0; at + MIN_NAMED <= text.length; at++) {
    if (at > 0 && isWordChar(text, at - 1)) continue
    each(text.slice(at, at + MIN_NAMED), at)
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u

/** Whether the UTF-16 unit at `at` is a letter or digit; ASCII without a regular expression (every character of every text is asked). */
function isWordChar(text: string, at: number): boolean {
  const code = text.charCodeAt(at)
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)
  return WORD_CHAR.test(text[at] ?? '')
}

/**
 * The texts objectives and actions name things in, indexed, by the very sections they come from:
 * a plan whose objectives and actions are those of an earlier one (only the SWOT changed, so
 * `swot_addressed` runs again) reuses their index. Sections are never changed once extracted.
 * Other sections are indexed from the last index of their kind ({@link NamedIndex.of}): actions
 * only moved, or one title changed, keep it or change it by that title.
 */
const actionIndexes = new WeakMap<readonly unknown[], NamedIndex>()
const planIndexes = new WeakMap<readonly unknown[], { objectives: readonly unknown[]; index: NamedIndex }>()
const lastIndex: { actions?: NamedIndex; plan?: NamedIndex } = {}

function namedIn(actions: HealthPlan['actions'], objectives: HealthPlan['objectives'] | null): NamedIndex {
  const titles = () => actions.map((a) => a.title)
  if (objectives === null) {
    const index = actionIndexes.get(actions) ?? NamedIndex.of(titles(), lastIndex.actions)
    actionIndexes.set(actions, index)
    lastIndex.actions = index
    return index
  }
  const known = planIndexes.get(actions)
  if (known && known.objectives === objectives) return known.index
  const index = NamedIndex.of([...objectives.flatMap((o) => [o.objective, o.strategy]), ...titles()], lastIndex.plan)
  planIndexes.set(actions, { objectives, index })
  lastIndex.plan = index
  return index
}

function opponentsAddressed(plan: HealthPlan): CheckResult {
  const actionTexts = namedIn(plan.actions, null)
  return eachMust(
    plan.stakeholders.filter((s) => s.influence === 'high' && (s.attitude === 'blocker' || s.attitude === 'skeptic')),
    (s) => !actionTexts.names(s.name),
    (s) => ({
      key: `opponents_addressed:${s.id}`,
      message: `${label(s.name, 'A high-influence opponent')} (${s.attitude ? LABELS.attitude[s.attitude].toLowerCase() : 'opponent'}) is not addressed by any action`,
      fix: 'Add an action on the action plan that names them',
      resolved: `${label(s.name, 'an opponent')} addressed`,
      board: 'stakeholders',
      shapeId: s.id,
    }),
  )
}

function swotAddressed(plan: HealthPlan): CheckResult {
  const linked = new Set(plan.objectives.flatMap((o) => o.addresses))
  const texts = namedIn(plan.actions, plan.objectives)
  const notes = [
    ...plan.swot.weaknesses.map((item) => ({ item, kind: 'weakness' })),
    ...plan.swot.threats.map((item) => ({ item, kind: 'threat' })),
  ]
  return eachMust(
    notes,
    ({ item }) => !linked.has(item.id) && !texts.names(item.text),
    ({ item, kind }) => ({
      key: `swot_addressed:${item.id}`,
      message: `The ${kind} "${label(item.text, '(empty)')}" is not addressed by any objective or action`,
      fix: `Link it from an objective card, or name it in an objective or action`,
      resolved: `${kind} addressed`,
      board: 'swot',
      shapeId: item.id,
    }),
  )
}

const NO_OBJECTIVES: HealthItem = {
  key: 'objectives:none',
  message: 'No objectives yet',
  fix: 'Add an objective card on the Objectives & KPIs board',
  resolved: 'first objective added',
  board: 'objectives',
}

function objectivesComplete(plan: HealthPlan): CheckResult {
  if (plan.objectives.length === 0) return unmet(NO_OBJECTIVES)
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
      if (missing.length >= MAX_MISSING) continue
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

function objectivesActions(plan: HealthPlan): CheckResult {
  return eachMust(
    plan.objectives,
    (o) => o.actions.length === 0,
    (o) => ({
      key: `objectives_actions:${o.id}`,
      message: `Objective "${label(o.objective, '(untitled)')}" has no action`,
      fix: 'Link an action to it from the action card (Serves objectives)',
      resolved: 'objective has an action',
      board: 'objectives',
      shapeId: o.id,
    }),
  )
}

function actionsOwnerDue(plan: HealthPlan): CheckResult {
  if (plan.actions.length === 0) {
    return unmet({ key: 'actions:none', message: 'No actions yet', fix: 'Add action cards on the action plan', resolved: 'first action added', board: 'actions' })
  }
  return eachMust(
    plan.actions,
    (a) => a.owner.trim() === '' || a.due === null,
    (a) => {
      const lacks = [a.owner.trim() === '' ? 'owner' : '', a.due === null ? 'due date' : ''].filter(Boolean).join(' and ')
      return {
        key: `actions_owner_due:${a.id}`,
        message: `Action "${label(a.title, '(untitled)')}" has no ${lacks}`,
        fix: `Set its ${lacks} in the side panel`,
        resolved: 'action has an owner and due date',
        board: 'actions',
        shapeId: a.id,
      }
    },
  )
}

function actionsOverdue(plan: HealthPlan): CheckResult {
  return eachMust(
    plan.actions.filter((a) => a.status !== 'done'),
    (a) => a.overdue,
    (a) => ({
      key: `actions_overdue:${a.id}`,
      message: `Action "${label(a.title, '(untitled)')}" is overdue (due ${a.due ?? '?'})`,
      fix: 'Finish it, or agree a new due date',
      resolved: 'action no longer overdue',
      board: 'actions',
      shapeId: a.id,
    }),
  )
}

function actionsLinked(plan: HealthPlan): CheckResult {
  return eachMust(
    plan.actions,
    (a) => a.objectives.length === 0,
    (a) => ({
      key: `actions_linked:${a.id}`,
      message: `Action "${label(a.title, '(untitled)')}" serves no objective`,
      fix: 'Pick the objectives it serves in the side panel',
      resolved: 'action serves an objective',
      board: 'actions',
      shapeId: a.id,
    }),
  )
}

function whitespaceOpportunity(plan: HealthPlan): CheckResult {
  const opportunities = plan.whitespace.cells.filter((c) => c.kind === 'opportunity')
  if (opportunities.some((c) => c.value !== null && c.value > 0)) {
    // Without a probability an opportunity is weighted 0 ([P14]): ask for it rather than say nothing.
    return eachMust(
      opportunities,
      (c) => c.probability === null,
      (c) => ({
        key: `whitespace_opportunity:${c.id}`,
        message: `Opportunity ${label([c.row, c.column].filter((part) => part !== '').join(' × '), '(in no row or column)')} has no probability`,
        fix: 'Give its probability (%) in the side panel: without one its weighted value is 0',
        resolved: 'opportunity has a probability',
        board: 'whitespace',
        shapeId: c.id,
      }),
    )
  }
  return unmet({
    key: 'whitespace_opportunity',
    message: 'No open opportunity with an estimated value',
    fix: 'Add an "Open opportunity" cell with its estimated value on the whitespace board',
    resolved: 'open opportunity valued',
    board: 'whitespace',
  })
}

function shareOfWallet(plan: HealthPlan): CheckResult {
  const rows = plan.whitespace.shareOfWallet
  if (rows.length === 0) {
    return unmet({
      key: 'share_of_wallet:none',
      message: 'No business unit shows who supplies it',
      fix: 'Add "We supply" or "Competitor supplies" cells with their revenue on the whitespace board',
      resolved: 'supply mapped',
      board: 'whitespace',
    })
  }
  return eachMust(
    rows,
    (r) => r.share === null,
    (r) => {
      const cell = plan.whitespace.cells.find((c) => c.row === r.row && (c.kind === 'we_supply' || c.kind === 'competitor') && c.value === null)
      return {
        key: `share_of_wallet:${r.row}`,
        message: `Share of wallet unknown for ${label(r.row, '(cards in no row)')}`,
        fix: 'Give the revenue of every supplied cell in that row',
        resolved: `share of wallet known for ${label(r.row, 'a unit')}`,
        board: 'whitespace',
        ...(cell ? { shapeId: cell.id } : {}),
      }
    },
  )
}

const DAY_MS = 86_400_000

function daysBetween(from: string, to: string): number | null {
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS
  return Number.isFinite(days) ? Math.max(0, Math.floor(days)) : null
}

function freshness(context: HealthContext): CheckResult {
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

/**
 * Each check of `HEALTH_CHECK_IDS`: its score (0–1, null when it does not apply) and the first
 * {@link MAX_MISSING} items it finds missing, in the order of the plan. Pure; `planHealth` weighs them.
 */
export const HEALTH_CHECK_RUNS: Record<HealthCheckId, (plan: HealthPlan, context: HealthContext) => CheckResult> = {
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


/**
 * The sections of the plan each check reads (freshness reads only the context): a check whose
 * sections are the very objects of an earlier plan has the result it had then (`planHealth`).
 * Checked by `health-check-reads-only-its-sections.test.ts`.
 */
export const HEALTH_CHECK_READS: Record<HealthCheckId, readonly (keyof HealthPlan)[]> = {
  key_roles: ['stakeholders'],
  relationship_owners: ['stakeholders'],
  opponents_addressed: ['stakeholders', 'actions'],
  swot_addressed: ['swot', 'objectives', 'actions'],
  objectives_complete: ['objectives'],
  objectives_actions: ['objectives'],
  actions_owner_due: ['actions'],
  actions_overdue: ['actions'],
  actions_linked: ['actions'],
  whitespace_opportunity: ['whitespace'],
  share_of_wallet: ['whitespace'],
  freshness: [],
}
