import type { PlanView } from './plan.ts'
import { fieldDefault, type FieldSensitivity, type Sensitivity } from './sensitivity.ts'

/**
 * A plan view as a customer guest may see it (issue 13, docs/security.md [A36]): items that were
 * internal when the snapshot was taken (`internalIds`) are left out, relationship lines of
 * internal kinds too, and every internal field holds its default (what the guest's board shows).
 * Snapshots taken before issue 13 have no record of either: they are judged by the defaults.
 * Money totals of the whitespace board go whenever a money field is internal; plan health goes
 * always (its checks read internal fields, [A22]).
 * @example customerSafePlan(customerView(record, flags), recorded.sensitivity, new Set(recorded.internalIds))
 */
export function customerSafePlan(plan: PlanView, sensitivity: Sensitivity, internalIds: ReadonlySet<string>): PlanView {
  const visible = <T extends { id: string }>(items: T[] | undefined): T[] | undefined => items?.filter((item) => !internalIds.has(item.id))
  const level = (key: string): FieldSensitivity | undefined => (sensitivity as Record<string, FieldSensitivity | undefined>)[key] // keys outside the map read undefined
  /** `item` with every internal prop of card `type` at its default. */
  const safe = <T extends object>(type: string, item: T): T => {
    const out = { ...item } as Record<string, unknown> // a plan item is a plain object
    for (const key of Object.keys(out)) {
      if (level(`${type}.${key}`) !== 'internal') continue
      const value = fieldDefault(type, key)
      out[key] = value === undefined ? null : value
    }
    return out as T // the same keys, each with a value of its own type (the card's default)
  }
  const swot = plan.swot && {
    strengths: visible(plan.swot.strengths) ?? [],
    weaknesses: visible(plan.swot.weaknesses) ?? [],
    opportunities: visible(plan.swot.opportunities) ?? [],
    threats: visible(plan.swot.threats) ?? [],
    unsorted: visible(plan.swot.unsorted) ?? [],
  }
  const stakeholders = visible(plan.stakeholders)?.map((person) => safe('stakeholder', person))
  const shownPeople = new Set(stakeholders?.map((person) => person.id))
  const relationships = visible(plan.relationships)?.filter(
    (line) => level(`relationship.${line.kind}`) !== 'internal' && shownPeople.has(line.from) && shownPeople.has(line.to),
  )
  const moneyInternal = ['whitespace.value', 'whitespace.probability'].some((key) => level(key) === 'internal')
  const whitespace = plan.whitespace && {
    ...plan.whitespace,
    cells: (visible(plan.whitespace.cells) ?? []).map((cell) => safe('whitespace', cell)),
    ...(moneyInternal ? { opportunities: { count: plan.whitespace.opportunities.count, value: 0, weighted: 0, byRow: [] }, shareOfWallet: [] } : {}),
  }
  // [A22] the health checks read internal fields (attitude, influence, money): a guest gets none.
  const { health: _health, ...rest } = plan
  return {
    ...rest,
    ...(swot ? { swot } : {}),
    ...(stakeholders ? { stakeholders } : {}),
    ...(relationships ? { relationships } : {}),
    ...(plan.objectives ? { objectives: (visible(plan.objectives) ?? []).map((objective) => safe('objective', objective)) } : {}),
    ...(plan.actions ? { actions: (visible(plan.actions) ?? []).map((action) => safe('action', action)) } : {}),
    ...(whitespace ? { whitespace } : {}),
    ...(plan.competitors ? { competitors: (visible(plan.competitors) ?? []).map((competitor) => safe('competitor', competitor)) } : {}),
    votes: plan.votes.map((vote) => ({ ...vote, items: vote.items.filter((item) => !internalIds.has(item.id)) })),
    warnings: plan.warnings.filter((warning) => warning.shapeId === undefined || !internalIds.has(warning.shapeId)),
  }
}
