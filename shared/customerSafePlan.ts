import type { PlanView } from './plan.ts'
import type { FieldSensitivity, Sensitivity } from './sensitivity.ts'
import { whitespaceTotals } from './whitespaceTotals.ts'
import { unionWithheld, withheldFields, withoutWithheld } from './withheld.ts'

/**
 * A plan view as a customer guest may see it (issue 13, docs/security.md [A36]): items that were
 * internal when the snapshot was taken (`internalIds`) are left out, and so are links to them (an
 * objective's actions and notes, an action's objectives, a competitor's cells), relationship lines of
 * internal kinds too, and every internal card field is withheld: absent from the items and listed
 * in the view's `withheld`, so that every rendering (Markdown, CSV, PDF, the review page) leaves
 * it out rather than print the default a guest's board holds in its place.
 * Snapshots taken before issue 13 have no record of either: they are judged by the defaults.
 * The whitespace board's totals count only the cells left in, and its money totals go whenever a
 * money field is internal; plan health goes always (its checks read internal fields, [A22]).
 * @example customerSafePlan(customerView(record, flags), recorded.sensitivity, new Set(recorded.internalIds))
 */
export function customerSafePlan(plan: PlanView, sensitivity: Sensitivity, internalIds: ReadonlySet<string>): PlanView {
  const visible = <T extends { id: string }>(items: T[] | undefined): T[] | undefined => items?.filter((item) => !internalIds.has(item.id))
  // Links to an internal item go with it: its id in a list, or the Markdown's "Cells supplied: 2"
  // beside one shown cell, told the guest it exists.
  const shownLinks = (ids: readonly string[]): string[] => ids.filter((id) => !internalIds.has(id))
  const level = (key: string): FieldSensitivity | undefined => (sensitivity as Record<string, FieldSensitivity | undefined>)[key] // keys outside the map read undefined
  // A view already made for a guest (a second record applied) keeps what it withheld.
  const withheld = unionWithheld(plan.withheld, withheldFields(sensitivity))
  const swot = plan.swot && {
    strengths: visible(plan.swot.strengths) ?? [],
    weaknesses: visible(plan.swot.weaknesses) ?? [],
    opportunities: visible(plan.swot.opportunities) ?? [],
    threats: visible(plan.swot.threats) ?? [],
    unsorted: visible(plan.swot.unsorted) ?? [],
  }
  const stakeholders = visible(plan.stakeholders)?.map((person) => withoutWithheld(person, 'stakeholder', withheld))
  const shownPeople = new Set(stakeholders?.map((person) => person.id))
  const relationships = visible(plan.relationships)?.filter(
    (line) => level(`relationship.${line.kind}`) !== 'internal' && shownPeople.has(line.from) && shownPeople.has(line.to),
  )
  // A view already made for a guest has no money left in its cells to sum: its totals stay gone.
  const moneyInternal = (['whitespace.value', 'whitespace.probability'] as const).some((key) => level(key) === 'internal' || withheld?.includes(key))
  const shownCells = visible(plan.whitespace?.cells)?.map((cell) => withoutWithheld(cell, 'whitespace', withheld))
  // Totals are summed again over the cells the guest sees, as the guest sees them: the stored ones
  // count internal cards too, so even the count of open opportunities would tell that hidden ones
  // exist; and summed over a hidden kind, the count would tell the kinds.
  const totals = plan.whitespace && shownCells && whitespaceTotals(plan.whitespace.rows, shownCells)
  const whitespace = plan.whitespace && totals && {
    ...plan.whitespace,
    cells: shownCells,
    ...(moneyInternal ? { opportunities: { count: totals.opportunities.count, byRow: [] }, shareOfWallet: [] } : totals),
  }
  // [A22] the health checks read internal fields (attitude, influence, money): a guest gets none.
  const { health: _health, withheld: _withheld, ...rest } = plan
  return {
    ...rest,
    ...(withheld ? { withheld } : {}),
    ...(swot ? { swot } : {}),
    ...(stakeholders ? { stakeholders } : {}),
    ...(relationships ? { relationships } : {}),
    ...(plan.objectives ? { objectives: (visible(plan.objectives) ?? []).map((objective) => ({ ...withoutWithheld(objective, 'objective', withheld), actions: shownLinks(objective.actions), addresses: shownLinks(objective.addresses) })) } : {}),
    ...(plan.actions ? { actions: (visible(plan.actions) ?? []).map((action) => ({ ...withoutWithheld(action, 'action', withheld), objectives: shownLinks(action.objectives) })) } : {}),
    ...(whitespace ? { whitespace } : {}),
    ...(plan.competitors ? { competitors: (visible(plan.competitors) ?? []).map((competitor) => ({ ...withoutWithheld(competitor, 'competitor', withheld), cells: shownLinks(competitor.cells) })) } : {}),
    votes: plan.votes.map((vote) => ({ ...vote, items: vote.items.filter((item) => !internalIds.has(item.id)) })),
    // A warning's card label may be a field withheld from guests (a stakeholder's name): it goes.
    warnings: plan.warnings
      .filter((warning) => warning.shapeId === undefined || !internalIds.has(warning.shapeId))
      .map(({ label: _label, ...warning }) => warning),
  }
}
