import { BOARD_TITLES } from './boards.ts'
import type { PlanBoardNote, PlanView, PlanVote, ViewAction, ViewCompetitor, ViewObjective, ViewStakeholder, ViewWhitespace } from './plan.ts'
import { linkNames } from './planLabels.ts'
import { LABELS } from './shapes.ts'
import { voteRanks } from './votes.ts'
import { cellsInMatrixOrder, unitsInMatrixOrder } from './whitespaceOrder.ts'
import { whitespaceTotals } from './whitespaceTotals.ts'
import { shownColumns, type Column, type Withheld } from './withheld.ts'
import { actionsInColumnOrder } from './actionOrder.ts'

/**
 * CSV exports of a plan's actions, stakeholders, objectives, whitespace cells, competitors and
 * votes (`GET /snapshots/:sid/actions.csv`, `/stakeholders.csv`, `/objectives.csv`,
 * `/whitespace.csv`, `/competitors.csv`, `/votes.csv`), for spreadsheets and CRM imports. RFC 4180: comma-separated, CRLF line
 * ends, fields quoted when they hold a comma, quote or line break, quotes doubled. Enum values
 * are written as their display labels; ids are kept so an import can match rows across exports.
 * Numbers are written for a spreadsheet to compute with: money as the exact number, no grouping or
 * currency (`99999.99`; people's outputs group it, `shared/formatAmount.ts`), the whitespace board's
 * currency, when it has one, in the header (`Value (EUR)`), percentages as a
 * number in percent under a header ending `(%)` (`Probability (%)` 40, `Share of wallet (%)` 75),
 * never a fraction or a `%` string. Unknown is an empty cell (where Markdown and the review page
 * print "—"). Whitespace cells are in the matrix's order, as every output lists them.
 * A field the plan view withholds (customer guests, docs/security.md [A36]) has no column.
 */

/**
 * Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * that some apps strip before parsing) get a leading `'`, per OWASP's CSV injection advice.
 */
const FORMULA_START = /^[=+\-@\t\r]/
/** A number as `String(number)` writes it: a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/

/**
 * One CSV field: neutralised against formula injection, then quoted if needed (RFC 4180). A plain
 * number is left as it is: "-2.5" prefixed with a quote would read as text, not as the amount.
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('')
}

/** The CSV of `items` of cards of `type` in the columns `withheld` leaves in. */
function itemCsv<T>(type: string, withheld: Withheld | undefined, columns: readonly Column<T>[], items: readonly T[]): string {
  const shown = shownColumns(columns, withheld, type)
  return csv(shown.map(([, header]) => header), items.map((item) => shown.map(([, , text]) => text(item))))
}

/**
 * A fraction (0–1) in percent to two decimals: 1/3 is 33.33, not 33.333333333333336. Percentages
 * are written as numbers in percent under a `(%)` header, as cell probabilities are entered.
 */
const percent = (fraction: number): number => Math.round(fraction * 10_000) / 100

/** A nullable number as a cell: empty when not given (or withheld). */
const num = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(value))

/**
 * The actions as CSV: id, title, owner, due date, status, overdue (`yes` or empty).
 * Takes any plan that shows actions, so a customer view must have the section to export it.
 * @example
 * actionsCsv(record) // 'Id,Action,Owner,Due,Status,Overdue\r\nshape:a1,Send proposal,Ada,2026-12-01,Open,\r\n'
 */
export function actionsCsv(plan: { actions: readonly ViewAction[]; withheld?: Withheld | undefined }): string {
  return itemCsv('action', plan.withheld, [
    [null, 'Id', (a) => a.id],
    ['title', 'Action', (a) => a.title ?? ''],
    ['owner', 'Owner', (a) => a.owner ?? ''],
    ['due', 'Due', (a) => a.due ?? ''],
    ['status', 'Status', (a) => (a.status ? LABELS.status[a.status] : '')],
    // Read off the status: no column where the status is withheld.
    ['status', 'Overdue', (a) => (a.overdue ? 'yes' : '')],
  ], actionsInColumnOrder(plan.actions))
}

/**
 * Linked items' names in one cell, one a line: a name's own line breaks become spaces, so an
 * importer splits the cell on line breaks (QA q32a: joined with "; ", a title holding "; " made
 * five linked actions read as six).
 */
function oneALine(names: readonly string[] | null | undefined): string {
  return (names ?? []).map((name) => name.replace(/\s*[\r\n]+\s*/g, ' ')).join('\n')
}

/**
 * The objectives as CSV: id, objective, KPI type, measure, unit, baseline, target, target date,
 * owner, status, past target date (`yes` or empty), strategy, the titles of the actions serving it and the first lines of the SWOT
 * notes it answers (one a line in the cell; empty when the view hides the action plan or SWOT).
 * @example objectivesCsv(record) // 'Id,Objective,KPI,…\r\nshape:o1,Grow logistics,Revenue growth,…,"Send proposal\nRenewal plan",Globex undercuts\r\n'
 */
export function objectivesCsv(plan: { objectives: readonly ViewObjective[]; withheld?: Withheld | undefined } & Pick<PlanView, 'actions' | 'swot'>): string {
  const names = linkNames(plan)
  return itemCsv('objective', plan.withheld, [
    [null, 'Id', (o) => o.id],
    ['objective', 'Objective', (o) => o.objective ?? ''],
    ['kpiType', 'KPI', (o) => (o.kpiType ? LABELS.kpiType[o.kpiType] : '')],
    ['measure', 'Measure', (o) => o.measure ?? ''],
    ['unit', 'Unit', (o) => o.unit ?? ''],
    ['baseline', 'Baseline', (o) => num(o.baseline)],
    ['target', 'Target', (o) => num(o.target)],
    ['targetDate', 'Target date', (o) => o.targetDate ?? ''],
    ['owner', 'Owner', (o) => o.owner ?? ''],
    ['status', 'Status', (o) => (o.status ? LABELS.objectiveStatus[o.status] : '')],
    // Like the actions' Overdue column; absent where the status is withheld ([P9], QA q33b).
    ['status', 'Past target date', (o) => (o.pastTargetDate ? 'yes' : '')],
    ['strategy', 'Strategy', (o) => o.strategy ?? ''],
    [null, 'Actions', (o) => oneALine(names.actions(o.actions))],
    [null, 'Answers', (o) => oneALine(names.notes(o.addresses))],
  ], plan.objectives)
}

/** A money column's header, with the whitespace board's currency when it has one: `Value (EUR)`. */
function inCurrency(header: string, currency: string | null | undefined): string {
  return currency ? `${header} (${currency})` : header
}

/**
 * The whitespace cells as CSV, one row per cell: id, business unit, offering, kind, competitor,
 * value, probability (in percent: 40 is 40 %), notes. Rows in the matrix's order, as the review
 * page and the Markdown read them ({@link cellsInMatrixOrder}): by unit, then offering.
 * @example whitespaceCsv(record) // 'Id,Business unit,Offering,…\r\nshape:w1,Logistics,Tracking,Open opportunity,,120000,40,\r\n'
 */
export function whitespaceCsv(plan: { whitespace: Pick<ViewWhitespace, 'rows' | 'columns' | 'cells' | 'currency'>; withheld?: Withheld | undefined }): string {
  const currency = plan.whitespace.currency
  return itemCsv('whitespace', plan.withheld, [
    [null, 'Id', (c) => c.id],
    ['row', 'Business unit', (c) => c.row ?? ''],
    ['column', 'Offering', (c) => c.column ?? ''],
    ['kind', 'Kind', (c) => (c.kind ? LABELS.whitespaceKind[c.kind] : '')],
    ['competitor', 'Competitor', (c) => c.competitor ?? ''],
    ['value', inCurrency('Value', currency), (c) => num(c.value)],
    ['probability', 'Probability (%)', (c) => num(c.probability)],
    ['notes', 'Notes', (c) => c.notes ?? ''],
  ], cellsInMatrixOrder(plan.whitespace))
}

/**
 * What the whitespace adds up to per business unit, as CSV: open opportunities (count, value,
 * value × probability) and share of wallet (our revenue, their spend, and ours / spend in percent
 * under `Share of wallet (%)`: 75 is 75 %, to two decimals, a number a spreadsheet sums as the
 * `Probability (%)` of the cells CSV is; all three empty when the share is unknown), one row per
 * unit with either, in the matrix's row order. Without the money fields (a guest's view): the
 * count of open opportunities per unit only.
 * @example whitespaceUnitsCsv(record) // 'Business unit,Open opportunities,…\r\nLogistics,1,200000,50000,300000,400000,75\r\n'
 */
export function whitespaceUnitsCsv(plan: { whitespace: Pick<ViewWhitespace, 'rows' | 'cells' | 'opportunities' | 'shareOfWallet' | 'currency'> }): string {
  const { opportunities, shareOfWallet, currency } = plan.whitespace
  const opportunityOf = new Map(opportunities.byRow.map((o) => [o.row, o]))
  const walletOf = new Map(shareOfWallet.map((w) => [w.row, w]))
  // Without the money fields (withheld) the totals are absent: the count of open opportunities per
  // unit, and no money columns, so the file does not read as totals of 0.
  if (opportunities.value === undefined) {
    const { byRow } = whitespaceTotals(plan.whitespace.rows, plan.whitespace.cells).opportunities
    return csv(['Business unit', 'Open opportunities'], byRow.map((o) => [o.row, String(o.count)]))
  }
  return csv(
    ['Business unit', 'Open opportunities', ...['Opportunity value', 'Weighted value', 'Our revenue', 'Their spend'].map((header) => inCurrency(header, currency)), 'Share of wallet (%)'],
    unitsInMatrixOrder(plan.whitespace).map((unit) => {
      const o = opportunityOf.get(unit)
      const w = walletOf.get(unit)
      return [
        unit,
        o ? String(o.count) : '0',
        o ? String(o.value) : '',
        o ? String(o.weighted) : '',
        // Sums of a unit whose share is unknown are partial (a supplied cell has no value): empty.
        w?.share == null ? '' : String(w.ours),
        w?.share == null ? '' : String(w.spend),
        w?.share == null ? '' : String(percent(w.share)),
      ]
    }),
  )
}

/**
 * The competitors as CSV: id, name, position, strengths and weaknesses against us, relationship,
 * and how many whitespace cells name them (the Markdown's `Cells supplied`).
 * @example competitorsCsv(record) // 'Id,Competitor,Position,…,Cells supplied\r\nshape:c1,Globex,Incumbent,…,2\r\n'
 */
export function competitorsCsv(plan: { competitors: readonly ViewCompetitor[]; withheld?: Withheld | undefined }): string {
  return itemCsv('competitor', plan.withheld, [
    [null, 'Id', (c) => c.id],
    ['name', 'Competitor', (c) => c.name ?? ''],
    ['position', 'Position', (c) => (c.position ? LABELS.competitorPosition[c.position] : '')],
    ['strengths', 'Strengths vs us', (c) => c.strengths ?? ''],
    ['weaknesses', 'Weaknesses vs us', (c) => c.weaknesses ?? ''],
    ['relationship', 'Relationship', (c) => c.relationship ?? ''],
    [null, 'Cells supplied', (c) => String(c.cells.length)],
  ], plan.competitors)
}

/**
 * The revealed dot votes as CSV, one row per item and vote, ranked: vote id, question, board, rank,
 * item id, item, votes.
 * @example
 * votesCsv(record) // 'Vote,Question,Board,Rank,Item id,Item,Votes\r\nvote-1,Which threats matter most?,SWOT,1,shape:t1,Competitor discount,3\r\n'
 */
export function votesCsv(plan: { votes: readonly PlanVote[] }): string {
  return csv(
    ['Vote', 'Question', 'Board', 'Rank', 'Item id', 'Item', 'Votes'],
    plan.votes.flatMap((vote) => {
      const ranks = voteRanks(vote.items)
      return vote.items.map((item, i) => [vote.id, vote.question, BOARD_TITLES[vote.board], String(ranks[i]), item.id, item.label, String(item.votes)])
    }),
  )
}

/**
 * The stakeholders as CSV: id, name, job title, department, buying role, influence, attitude,
 * relationship owner, notes.
 * @example
 * stakeholdersCsv(record) // 'Id,Name,Job title,…\r\nshape:s1,Dana Ortiz,CEO,…\r\n'
 */
export function stakeholdersCsv(plan: { stakeholders: readonly ViewStakeholder[]; withheld?: Withheld | undefined }): string {
  return itemCsv('stakeholder', plan.withheld, [
    [null, 'Id', (s) => s.id],
    ['name', 'Name', (s) => s.name ?? ''],
    ['jobTitle', 'Job title', (s) => s.jobTitle ?? ''],
    ['department', 'Department', (s) => s.department ?? ''],
    ['buyingRole', 'Buying role', (s) => (s.buyingRole ? LABELS.buyingRole[s.buyingRole] : '')],
    ['influence', 'Influence', (s) => (s.influence ? LABELS.influence[s.influence] : '')],
    ['attitude', 'Attitude', (s) => (s.attitude ? LABELS.attitude[s.attitude] : '')],
    ['owner', 'Relationship owner', (s) => s.owner ?? ''],
    ['notes', 'Notes', (s) => s.notes ?? ''],
  ], plan.stakeholders)
}

/**
 * [P17] The notes written on the boards other than the SWOT as CSV, board by board in reading
 * order: board, id, text, author.
 * @example
 * boardNotesCsv(record) // 'Board,Id,Text,Author\r\nStakeholder map,shape:n1,Budget frozen until Q3,Ada\r\n'
 */
export function boardNotesCsv(plan: { notes: readonly PlanBoardNote[] }): string {
  return csv(
    ['Board', 'Id', 'Text', 'Author'],
    plan.notes.map((note) => [BOARD_TITLES[note.board], note.id, note.text, note.author ?? '']),
  )
}
