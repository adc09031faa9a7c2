import type { TLShape } from '@tldraw/tlschema'
import type { Point } from './boardGeometry.ts'
import type {
  PlanAction,
  PlanCompetitor,
  PlanObjective,
  PlanWarning,
  PlanWhitespace,
  PlanWhitespaceCell,
  Swot,
} from './plan.ts'
import { richTextToPlainText } from './richText.ts'
import { isPastTargetDate, kindHasField, MAX_EXACT_AMOUNT, WHITESPACE_AXIS_META, type CompetitorCardShape, type ObjectiveCardShape, type WhitespaceAxis, type WhitespaceCardShape } from './shapes.ts'
import { formatAmount } from './formatAmount.ts'
import { labelKey } from './labelKey.ts'
import { EXACT_TOTAL_BELOW, whitespaceTotals } from './whitespaceTotals.ts'

/**
 * The objectives and whitespace sections of the plan ([P11]–[P15] in docs/plan-extraction.md):
 * objectives with the actions that serve them, the whitespace matrix read from its row and column
 * headers and cell cards, opportunity totals, share of wallet, and the competitor table. Pure and
 * total, like `extractPlan.ts`, which reads the boards and calls these with shapes in reading order.
 */

/** Labels longer than this are cut (the plan record's text limit). */
const MAX_TEXT = 10_000

/** A shape with its centre on the page; null when its position is unknown. */
export type Located<S> = { shape: S; center: Point | null }

/** A whitespace header: its label and where its band lies on the page. */
export interface AxisHeader {
  id: string
  axis: WhitespaceAxis
  label: string
  /** Page bounds of the header (rotation ignored: headers are laid out axis-aligned). */
  x: number
  y: number
  w: number
  h: number
}

/** The axis of a shape that is a whitespace header, or null. */
export function headerAxis(shape: TLShape): WhitespaceAxis | null {
  if (shape.type !== 'geo') return null
  const axis = shape.meta[WHITESPACE_AXIS_META]
  return axis === 'row' || axis === 'column' ? axis : null
}

/** A header's label: the plain text of its rich text, trimmed. */
export function headerLabel(shape: TLShape): string {
  return shape.type === 'geo' ? richTextToPlainText(shape.props.richText).trim().slice(0, MAX_TEXT) : ''
}

/**
 * What one {@link extractObjectives} linked, to link the next extraction of the same boards from:
 * the card ids and SWOT ids it linked by (the very sets, kept while their ids are the same), and
 * each action and card it read with what it made of them. Read-only once returned.
 */
export interface ObjectiveLinks {
  cardIds: ReadonlySet<string>
  swotIds: ReadonlySet<string>
  actions: ReadonlyMap<PlanAction, { linked: PlanAction }>
  cards: ReadonlyMap<ObjectiveCardShape, { objective: PlanObjective; dropped: boolean }>
}

/**
 * Objectives in reading order, each with the ids of the actions that link to it and whether it is
 * past its target date on `today` (the snapshot's day, [P9]); and the actions
 * with only links to objectives that exist. A link to a missing objective, or from an objective
 * to a note that is not a SWOT weakness or threat, is dropped with a warning ([P11], [P12]).
 * With `previous` (the links of an earlier call), an action that is the very object of that call,
 * linked by the same card ids, gives the very action it gave; a card likewise, by the same SWOT
 * ids and the same serving actions: the same result as linking everything again, in shared objects.
 * @example
 * const first = extractObjectives(cards, actions, swot, '2026-11-22', warnings)
 * const next = extractObjectives(cards, movedActions, swot, '2026-11-22', warnings, first.links) // unchanged actions keep their objects
 */
export function extractObjectives(
  cards: readonly ObjectiveCardShape[],
  actions: readonly PlanAction[],
  swot: Swot,
  today: string,
  warnings: PlanWarning[],
  previous?: ObjectiveLinks,
): { objectives: PlanObjective[]; actions: PlanAction[]; links: ObjectiveLinks } {
  const cardIds = sameSet(previous?.cardIds, new Set<string>(cards.map((card) => card.id)))
  const actionsKept = previous?.cardIds === cardIds ? previous.actions : undefined
  // A link to an objective deleted since is left out without a warning: the action's panel lists
  // only the objectives on the board, so nobody could act on one (QA pass q26b); the id stays in
  // the card's prop, so an objective brought back (undo, revert) is served again.
  const actionLinks = new Map<PlanAction, { linked: PlanAction }>()
  const linkedActions: PlanAction[] = actions.map((action) => {
    let link = actionsKept?.get(action)
    if (!link) link = { linked: { ...action, objectives: [...new Set(action.objectives)].filter((id) => cardIds.has(id)) } }
    actionLinks.set(action, link)
    return link.linked
  })
  const servedBy = new Map<string, string[]>()
  for (const action of linkedActions) {
    for (const objective of action.objectives) {
      const served = servedBy.get(objective)
      if (served) served.push(action.id)
      else servedBy.set(objective, [action.id])
    }
  }
  const swotIds = sameSet(previous?.swotIds, new Set([...swot.weaknesses, ...swot.threats].map((item) => item.id)))
  const cardsKept = previous?.swotIds === swotIds ? previous.cards : undefined
  const cardLinks = new Map<ObjectiveCardShape, { objective: PlanObjective; dropped: boolean }>()
  const objectives = cards.map((card): PlanObjective => {
    const served = servedBy.get(card.id) ?? []
    let link = cardsKept?.get(card)
    // [P9] judged on the snapshot's day, as an action's overdue is: a link made on another day is made again.
    const pastTargetDate = isPastTargetDate(card.props, today)
    if (!link || !sameIds(link.objective.actions, served) || link.objective.pastTargetDate !== pastTargetDate) {
      const { id, props } = card
      const addresses = [...new Set(props.addresses)]
      const known = addresses.filter((note) => swotIds.has(note))
      link = {
        objective: {
          id,
          objective: props.objective,
          kpiType: props.kpiType,
          measure: props.measure,
          unit: props.unit,
          baseline: props.baseline,
          target: props.target,
          targetDate: props.targetDate === '' ? null : props.targetDate,
          owner: props.owner,
          status: props.status,
          pastTargetDate,
          strategy: props.strategy,
          addresses: known,
          actions: served,
        },
        dropped: known.length < addresses.length,
      }
    }
    cardLinks.set(card, link)
    if (link.dropped) {
      // Deleted since, or moved out of Weaknesses and Threats: the reader is told which.
      const onSwot = new Set([...swot.strengths, ...swot.opportunities, ...swot.unsorted].map((item) => item.id))
      const deleted = card.props.addresses.some((note) => !swotIds.has(note) && !onSwot.has(note))
      const label = card.props.objective.trim()
      warnings.push({
        board: 'objectives',
        shapeId: card.id,
        concerns: 'swot',
        ...(label === '' ? {} : { label }),
        message: deleted
          ? 'Objective answers a SWOT note that is no longer on the SWOT (deleted); that link is left out'
          : 'Objective answers a note that is no longer a weakness or threat on the SWOT; that link is left out',
      })
    }
    return link.objective
  })
  return { objectives, actions: linkedActions, links: { cardIds, swotIds, actions: actionLinks, cards: cardLinks } }
}

/** `previous` when it holds exactly the ids of `next`, else `next`. */
function sameSet(previous: ReadonlySet<string> | undefined, next: ReadonlySet<string>): ReadonlySet<string> {
  if (!previous || previous.size !== next.size) return next
  for (const id of next) if (!previous.has(id)) return next
  return previous
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i])
}

/** Whether header `h`'s band holds `point`: a row's band runs right of it, a column's below it ([P13]). */
export function inBand(h: Pick<AxisHeader, 'axis' | 'x' | 'y' | 'w' | 'h'>, point: Point): boolean {
  return h.axis === 'row' ? point.y >= h.y && point.y < h.y + h.h && point.x >= h.x : point.x >= h.x && point.x < h.x + h.w && point.y >= h.y
}

/** The header whose band holds `point`. */
function bandAt(headers: readonly AxisHeader[], axis: WhitespaceAxis, point: Point): AxisHeader | undefined {
  return headers.find((h) => inBand(h, point))
}

/**
 * The labels of one axis by {@link labelKey}, each spelled as it was first met (headers in order,
 * then cards): `spell` gives a label's listed spelling, adding it when it is new.
 */
function axisLabels(): { labels: string[]; spell: (label: string) => string } {
  const labels: string[] = []
  const byKey = new Map<string, string>()
  const spell = (label: string) => {
    if (label === '') return ''
    const key = labelKey(label)
    const known = byKey.get(key)
    if (known !== undefined) return known
    byKey.set(key, label)
    labels.push(label)
    return label
  }
  return { labels, spell }
}

/**
 * The whitespace section: rows (top to bottom) and columns (left to right) from their headers,
 * then labels only cards name; each cell with its row and column (its own props first, else the
 * header band that holds its centre, [P13]); opportunities in total and by row; share of wallet
 * per row ([P14]).
 */
export function extractWhitespace(
  headers: readonly AxisHeader[],
  cells: readonly Located<WhitespaceCardShape>[],
  warnings: PlanWarning[],
): PlanWhitespace {
  // A cell names its unit and offering as typed; it counts under the spelling listed first ([P13]).
  const { labels: rows, spell: rowLabel } = axisLabels()
  const { labels: columns, spell: columnLabel } = axisLabels()
  const sortedRows = headers.filter((h) => h.axis === 'row').sort((p, q) => p.y - q.y || p.x - q.x)
  const sortedColumns = headers.filter((h) => h.axis === 'column').sort((p, q) => p.x - q.x || p.y - q.y)
  for (const header of [...sortedRows, ...sortedColumns]) {
    if (header.label === '') {
      warnings.push({ board: 'whitespace', shapeId: header.id, message: `A ${header.axis} header has no label; cards in its band are read without a ${header.axis}` })
    }
  }
  for (const h of sortedRows) rowLabel(h.label)
  for (const h of sortedColumns) columnLabel(h.label)

  const planCells = cells.map(({ shape: { id, props }, center }): PlanWhitespaceCell => {
    const row = rowLabel(props.row.trim() || (center ? (bandAt(sortedRows, 'row', center)?.label ?? '') : ''))
    const column = columnLabel(props.column.trim() || (center ? (bandAt(sortedColumns, 'column', center)?.label ?? '') : ''))
    if (row === '' || column === '') {
      const lacks = [row === '' ? 'business unit (row)' : '', column === '' ? 'offering (column)' : ''].filter(Boolean).join(' or ')
      warnings.push({ board: 'whitespace', shapeId: id, message: `Whitespace cell has no ${lacks}: place it in the matrix or name it on the card` })
    }
    if (props.kind === 'competitor' && props.competitor.trim() === '') {
      warnings.push({ board: 'whitespace', shapeId: id, message: 'Cell says a competitor supplies it but does not name the competitor' })
    }
    return {
      id,
      row,
      column,
      kind: props.kind,
      // Only what the cell's kind shows on the board: a value kept from another kind is not the team's read.
      competitor: kindHasField(props.kind, 'competitor') ? props.competitor.trim() : '',
      value: kindHasField(props.kind, 'value') ? props.value : null,
      probability: kindHasField(props.kind, 'probability') ? props.probability : null,
      notes: props.notes,
    }
  })

  // [P14] Amounts past what keeps cents exact (stored before the side panel's limit, or written by
  // another client) are told, not silently summed off by a few cents (QA q33b).
  for (const cell of planCells) {
    if (cell.value !== null && Math.abs(cell.value) > MAX_EXACT_AMOUNT) {
      warnings.push({ board: 'whitespace', shapeId: cell.id, ...cellLabel(cell), message: `Amount beyond ±${formatAmount(MAX_EXACT_AMOUNT, 'en-US')}: its cents are not exact, nor those of the totals it is in`, quotes: 'whitespace.value' })
    }
  }
  const totals = whitespaceTotals(rows, planCells)
  const { opportunities, shareOfWallet } = totals
  const sums = [opportunities.value, opportunities.weighted, ...opportunities.byRow.flatMap((r) => [r.value, r.weighted]), ...shareOfWallet.flatMap((w) => [w.ours, w.spend])]
  if (sums.some((sum) => Math.abs(sum) >= EXACT_TOTAL_BELOW)) {
    warnings.push({ board: 'whitespace', message: `A whitespace total is beyond ${formatAmount(EXACT_TOTAL_BELOW, 'en-US')}: its cents are not exact`, quotes: 'whitespace.value' })
  }
  return {
    rows,
    columns,
    headers: [...sortedRows, ...sortedColumns].map(({ id, axis, label }) => ({ id, axis, label })),
    cells: planCells,
    ...totals,
  }
}

/** A cell's name in a warning: its business unit × offering, when it has either. */
function cellLabel(cell: Pick<PlanWhitespaceCell, 'row' | 'column'>): { label?: string } {
  const label = [cell.row, cell.column].filter((part) => part.trim() !== '').join(' × ')
  return label === '' ? {} : { label }
}

/**
 * The competitor table: one entry per competitor card in reading order, with the cells whose
 * competitor is named like the card ({@link labelKey}: case and spaces ignored) ([P15]); a cell naming a
 * competitor that no card is named like is a warning.
 */
export function extractCompetitors(cards: readonly CompetitorCardShape[], cells: readonly PlanWhitespaceCell[], warnings: PlanWarning[]): PlanCompetitor[] {
  const key = labelKey
  // One pass over the cells, not one per card: a matrix of 2,000 cells and 60 competitor cards.
  const supplied = new Map<string, string[]>()
  for (const cell of cells) {
    if (cell.kind !== 'competitor') continue
    const name = key(cell.competitor)
    if (name === '') continue
    const list = supplied.get(name)
    if (list) list.push(cell.id)
    else supplied.set(name, [cell.id])
  }
  // A cell naming a competitor no card is named like (a typo, a card renamed elsewhere) supplies nobody in the table.
  const carded = new Set(cards.map(({ props }) => key(props.name)))
  for (const cell of cells) {
    if (cell.kind !== 'competitor' || key(cell.competitor) === '' || carded.has(key(cell.competitor))) continue
    // The name quoted is the cell's competitor field: internal by a facilitator's choice, the warning is too (QA q29b).
    warnings.push({
      board: 'whitespace',
      shapeId: cell.id,
      ...cellLabel(cell),
      message: `Cell names competitor "${cell.competitor}", but no competitor card has that name: add the card or correct the name`,
      quotes: 'whitespace.competitor',
    })
  }
  return cards.map(({ id, props }) => ({
    id,
    name: props.name,
    position: props.position,
    strengths: props.strengths,
    weaknesses: props.weaknesses,
    relationship: props.relationship,
    // A copy each: two cards naming the same competitor must not share one array.
    cells: [...(supplied.get(key(props.name)) ?? [])],
  }))
}
