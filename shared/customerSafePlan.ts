import type { PlanView } from './plan.ts'
import type { FieldSensitivity, Sensitivity } from './sensitivity.ts'
import { labelKey } from './labelKey.ts'
import { planItemNames } from './planLabels.ts'
import { whitespaceTotals } from './whitespaceTotals.ts'
import { shownField, unionWithheld, withheldFields, withoutWithheld, type Withheld } from './withheld.ts'

type ViewWhitespace = NonNullable<PlanView['whitespace']>

/** Cards a vote item can be, and the field its label is read from (extractPlan's itemLabel). */
type VoteCard = 'stakeholder' | 'action' | 'objective' | 'competitor'
const VOTE_LABEL_FIELDS = { stakeholder: 'name', action: 'title', objective: 'objective', competitor: 'name' } as const satisfies Record<VoteCard, string>
/** What a guest reads for an item whose label field is withheld: the card faces' words. */
const VOTE_LABEL_NOT_SHARED = { stakeholder: 'Name not shared', action: 'Title not shared', objective: 'Objective not shared', competitor: 'Name not shared' } as const satisfies Record<VoteCard, string>

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
export function customerSafePlan(plan: PlanView, sensitivity: Sensitivity, internalIds: ReadonlySet<string>, guestVoters: ReadonlyMap<string, number> = new Map()): PlanView {
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
  const axes = plan.whitespace && customerSafeAxes(plan.whitespace, internalIds, withheld)
  const shownCells = visible(plan.whitespace?.cells)?.map((cell) => {
    const safe = withoutWithheld(cell, 'whitespace', withheld)
    // A visible cell in the band of an internal header is read in no unit or offering.
    return axes ? { ...safe, row: axes.hidden.row.has(labelKey(cell.row ?? '')) ? '' : safe.row, column: axes.hidden.column.has(labelKey(cell.column ?? '')) ? '' : safe.column } : safe
  })
  // Totals are summed again over the cells the guest sees, as the guest sees them: the stored ones
  // count internal cards too, so even the count of open opportunities would tell that hidden ones
  // exist; and summed over a hidden kind, the count would tell the kinds.
  // A label stays if a header the guest sees has it, or a cell the guest sees names it (as the guest
  // sees it): not one only an internal cell names, nor one typed on cards whose row is withheld.
  const shownLabels = (axis: 'row' | 'column', labels: readonly string[]): string[] => {
    if (!axes || axes.keepAll) return [...labels]
    const kept = new Set([...(axes.headers ?? []).filter((header) => header.axis === axis).map((header) => header.label), ...(shownCells ?? []).map((cell) => cell[axis] ?? '')].map(labelKey))
    return labels.filter((label) => kept.has(labelKey(label)))
  }
  const rows = plan.whitespace ? shownLabels('row', plan.whitespace.rows) : []
  const totals = axes && shownCells && whitespaceTotals(rows, shownCells)
  const whitespace = plan.whitespace && axes && totals && {
    ...plan.whitespace,
    rows,
    columns: shownLabels('column', plan.whitespace.columns),
    ...(axes.headers ? { headers: axes.headers } : {}),
    cells: shownCells,
    ...(moneyInternal ? { opportunities: { count: totals.opportunities.count, byRow: [] }, shareOfWallet: [] } : totals),
  }
  // A vote item's label is its card's name, title or objective, or a cell's unit × offering: a
  // field withheld from guests, or an internal unit or offering, is not read out in the results.
  const cardLabel = cardVoteLabeller(plan, withheld)
  const cellsById = new Map(shownCells?.map((cell) => [cell.id, cell]))
  const originalCells = new Map(plan.whitespace?.cells.map((cell) => [cell.id, cell]))
  const voteLabel = (id: string, label: string): string => {
    const cell = cellsById.get(id)
    // Read again only where a unit or offering was taken out of the cell (an internal header's).
    const hiddenAxis = cell && (cell.row !== originalCells.get(id)?.row || cell.column !== originalCells.get(id)?.column)
    if (cell) return hiddenAxis ? [cell.row ?? '', cell.column ?? ''].filter((part) => part.trim() !== '').join(' × ') : label
    return cardLabel(id, label)
  }
  // [A22] the health checks read internal fields (attitude, influence, money): a guest gets none.
  const { health: _health, withheld: _withheld, ...rest } = plan
  const safe: PlanView = {
    ...rest,
    ...(withheld ? { withheld } : {}),
    ...(swot ? { swot } : {}),
    ...(stakeholders ? { stakeholders } : {}),
    ...(relationships ? { relationships } : {}),
    ...(plan.objectives
      ? {
          objectives: (visible(plan.objectives) ?? []).map((objective) => ({
            ...withoutWithheld(objective, 'objective', withheld),
            actions: shownLinks(objective.actions),
            addresses: shownLinks(objective.addresses),
            // Read off the date and the status, as the guest's card is: with either withheld, never past its date.
            ...(withheld?.includes('objective.targetDate') || withheld?.includes('objective.status') ? { pastTargetDate: false } : {}),
          })),
        }
      : {}),
    ...(plan.actions
      ? {
          actions: (visible(plan.actions) ?? []).map((action) => ({
            ...withoutWithheld(action, 'action', withheld),
            objectives: shownLinks(action.objectives),
            // Overdue is read off the status: of an action past its date, "not overdue" said "done"
            // (QA q30b). With the status withheld, no action is marked overdue.
            ...(withheld?.includes('action.status') ? { overdue: false } : {}),
          })),
        }
      : {}),
    ...(whitespace ? { whitespace } : {}),
    ...(plan.competitors ? { competitors: (visible(plan.competitors) ?? []).map((competitor) => ({ ...withoutWithheld(competitor, 'competitor', withheld), cells: shownLinks(competitor.cells) })) } : {}),
    // [P17] a note marked internal goes, as any internal item.
    ...(plan.notes ? { notes: visible(plan.notes) ?? [] } : {}),
    votes: plan.votes.map((vote) => {
      const items = vote.items.filter((item) => !internalIds.has(item.id)).map((item) => ({ ...item, label: voteLabel(item.id, item.label) }))
      // Counted over the items left in: "5 votes" above items summing to 4 would tell of a hidden
      // one, and so would "from 2 people" when one person placed them (QA q28a): the people who
      // voted on items left in, as the snapshot counted them.
      const totalVotes = items.reduce((sum, item) => sum + item.votes, 0)
      return { ...vote, items, totalVotes, voters: Math.min(vote.voters, guestVoters.get(vote.id) ?? vote.voters, totalVotes) }
    }),
    // A warning's card label may be a field withheld from guests (a stakeholder's name): it goes.
    // One that quotes a withheld field's value goes whole (QA q29b: a cell's internal competitor name reached the guest).
    warnings: plan.warnings
      .filter((warning) => warning.shapeId === undefined || !internalIds.has(warning.shapeId))
      .filter((warning) => {
        // Snapshots taken before warnings said what they quote: told by their words.
        const quotes = warning.quotes ?? (warning.board === 'whitespace' && warning.message.startsWith('Cell names competitor') ? 'whitespace.competitor' : undefined)
        return quotes === undefined || !withheld?.includes(quotes)
      })
      .map(({ label: _label, ...warning }) => warning),
  }
  // A warning's card named as the guest's plan names it (QA q36b: the guest read its raw id), where
  // the guest's plan has the card: its name field, when withheld, reads "… not shared".
  const names = planItemNames(safe)
  safe.warnings = safe.warnings.map((warning) => {
    const label = warning.shapeId === undefined ? undefined : names.get(warning.shapeId)
    return label === undefined ? warning : { ...warning, label }
  })
  return safe
}

/**
 * Reads a vote item's label as an audience `withheld` is withheld from: a card whose label field it
 * withholds reads "Name not shared" (and so on); a card off its own board (a stakeholder card on
 * the SWOT), whose kind is unknown, reads "Not shared" while any label field is withheld. A SWOT
 * note's or a whitespace cell's label is left as it is (a cell's follows its unit and offering).
 */
function cardVoteLabeller(plan: PlanView, withheld: Withheld | undefined): (id: string, label: string) => string {
  const cardTypes = new Map<string, VoteCard>()
  for (const [type, items] of [['stakeholder', plan.stakeholders], ['action', plan.actions], ['objective', plan.objectives], ['competitor', plan.competitors]] as const) {
    for (const item of items ?? []) cardTypes.set(item.id, type)
  }
  const known = new Set([...(plan.swot ? Object.values(plan.swot).flatMap((items) => items.map((item) => item.id)) : []), ...(plan.whitespace?.cells.map((cell) => cell.id) ?? [])])
  const shownFieldOf = (type: VoteCard) => shownField(withheld, type)(VOTE_LABEL_FIELDS[type])
  const anyWithheld = (Object.keys(VOTE_LABEL_FIELDS) as VoteCard[]).some((type) => !shownFieldOf(type)) // the keys of a Record<VoteCard, …>
  return (id, label) => {
    const type = cardTypes.get(id)
    if (type) return label === '' || shownFieldOf(type) ? label : VOTE_LABEL_NOT_SHARED[type]
    if (known.has(id) || label === '') return label
    return anyWithheld ? 'Not shared' : label
  }
}

/**
 * The votes of `plan` (a view) with their items' labels read as for an audience `withheld` is
 * withheld from: for a diff of two guest views, each of which withheld only what was internal
 * when it was taken, read with both sides' fields ({@link unionWithheld}).
 */
export function votesAsWithheld(plan: PlanView, withheld: Withheld | undefined): PlanView['votes'] {
  if (!withheld) return plan.votes
  const label = cardVoteLabeller(plan, withheld)
  return plan.votes.map((vote) => ({ ...vote, items: vote.items.map((item) => ({ ...item, label: label(item.id, item.label) })) }))
}

/**
 * What a guest may see of the whitespace matrix's headers: the headers that were not internal, and
 * the labels (as `labelKey` keys) of those that were (an internal business unit or offering), unless a visible header
 * has the same label: a cell in such a band is read in no unit or offering. A plan extracted before
 * headers were recorded cannot tell which labels came from a header: when anything was internal
 * or withheld then, only the labels a shown cell names are kept (`keepAll` false), and those no
 * shown cell names are hidden.
 */
function customerSafeAxes(whitespace: ViewWhitespace, internalIds: ReadonlySet<string>, withheld: Withheld | undefined): { keepAll: boolean; headers?: ViewWhitespace['headers']; hidden: Record<'row' | 'column', ReadonlySet<string>> } {
  // Labels are compared by labelKey, as extraction groups them: a cell counts under a header named like it ([P13]).
  const { headers } = whitespace
  if (!headers) {
    const shownAxis = shownField(withheld, 'whitespace')
    const nothingHidden = internalIds.size === 0 && shownAxis('row') && shownAxis('column')
    if (nothingHidden) return { keepAll: true, hidden: { row: new Set(), column: new Set() } }
    const shown = whitespace.cells.filter((cell) => !internalIds.has(cell.id))
    const named = (axis: 'row' | 'column') => new Set(shown.map((cell) => labelKey(cell[axis] ?? '')))
    const hidden = (axis: 'row' | 'column', labels: readonly string[]) => new Set(labels.map(labelKey).filter((key) => !named(axis).has(key)))
    return { keepAll: false, hidden: { row: hidden('row', whitespace.rows), column: hidden('column', whitespace.columns) } }
  }
  const shownHeaders = headers.filter((header) => !internalIds.has(header.id))
  const hiddenLabels = (axis: 'row' | 'column') => {
    const shown = new Set(shownHeaders.filter((header) => header.axis === axis).map((header) => labelKey(header.label)))
    return new Set(headers.filter((header) => header.axis === axis && internalIds.has(header.id)).map((header) => labelKey(header.label)).filter((key) => !shown.has(key)))
  }
  return { keepAll: false, headers: shownHeaders, hidden: { row: hiddenLabels('row'), column: hiddenLabels('column') } }
}
