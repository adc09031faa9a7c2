import { BOARD_TITLES } from './boards.ts'
import type { PlanRecord } from './plan.ts'
import { LABELS } from './shapes.ts'

/**
 * CSV exports of a plan's actions, stakeholders, objectives, whitespace cells, competitors and
 * votes (`GET /snapshots/:sid/actions.csv`, `/stakeholders.csv`, `/objectives.csv`,
 * `/whitespace.csv`, `/competitors.csv`, `/votes.csv`), for spreadsheets and CRM imports. RFC 4180: comma-separated, CRLF line
 * ends, fields quoted when they hold a comma, quote or line break, quotes doubled. Enum values
 * are written as their display labels; ids are kept so an import can match rows across exports.
 */

/**
 * Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * that some apps strip before parsing) get a leading `'`, per OWASP's CSV injection advice.
 */
const FORMULA_START = /^[=+\-@\t\r]/

/** One CSV field: neutralised against formula injection, then quoted if needed (RFC 4180). */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('')
}

/**
 * The actions as CSV: id, title, owner, due date, status, overdue (`yes` or empty).
 * Takes any plan that shows actions, so a customer view must have the section to export it.
 * @example
 * actionsCsv(record) // 'Id,Action,Owner,Due,Status,Overdue\r\nshape:a1,Send proposal,Ada,2026-12-01,Open,\r\n'
 */
export function actionsCsv(plan: Pick<PlanRecord, 'actions'>): string {
  return csv(
    ['Id', 'Action', 'Owner', 'Due', 'Status', 'Overdue'],
    plan.actions.map((a) => [a.id, a.title, a.owner, a.due ?? '', LABELS.status[a.status], a.overdue ? 'yes' : '']),
  )
}

/**
 * The objectives as CSV: id, objective, KPI type, measure, unit, baseline, target, target date,
 * owner, status, strategy, the ids of the actions serving it (separated by spaces).
 * @example objectivesCsv(record) // 'Id,Objective,KPI,…\r\nshape:o1,Grow logistics,Revenue growth,…\r\n'
 */
export function objectivesCsv(plan: Pick<PlanRecord, 'objectives'>): string {
  return csv(
    ['Id', 'Objective', 'KPI', 'Measure', 'Unit', 'Baseline', 'Target', 'Target date', 'Owner', 'Status', 'Strategy', 'Actions'],
    plan.objectives.map((o) => [
      o.id,
      o.objective,
      LABELS.kpiType[o.kpiType],
      o.measure,
      o.unit,
      o.baseline === null ? '' : String(o.baseline),
      o.target === null ? '' : String(o.target),
      o.targetDate ?? '',
      o.owner,
      LABELS.objectiveStatus[o.status],
      o.strategy,
      o.actions.join(' '),
    ]),
  )
}

/**
 * The whitespace cells as CSV, one row per cell: id, business unit, offering, kind, competitor,
 * value, probability, notes.
 * @example whitespaceCsv(record) // 'Id,Business unit,Offering,…\r\nshape:w1,Logistics,Tracking,Open opportunity,,120000,40,\r\n'
 */
export function whitespaceCsv(plan: Pick<PlanRecord, 'whitespace'>): string {
  return csv(
    ['Id', 'Business unit', 'Offering', 'Kind', 'Competitor', 'Value', 'Probability', 'Notes'],
    plan.whitespace.cells.map((c) => [
      c.id,
      c.row,
      c.column,
      LABELS.whitespaceKind[c.kind],
      c.competitor,
      c.value === null ? '' : String(c.value),
      c.probability === null ? '' : String(c.probability),
      c.notes,
    ]),
  )
}

/**
 * What the whitespace adds up to per business unit, as CSV: open opportunities (count, value,
 * value × probability) and share of wallet (our revenue, their spend, ours / spend as a fraction,
 * all three empty when the share is unknown), one row per unit with either, in the matrix's row order.
 * @example whitespaceUnitsCsv(record) // 'Business unit,Open opportunities,…\r\nLogistics,1,200000,50000,300000,400000,0.75\r\n'
 */
export function whitespaceUnitsCsv(plan: Pick<PlanRecord, 'whitespace'>): string {
  const { rows, opportunities, shareOfWallet } = plan.whitespace
  const units = [...new Set([...rows, ...opportunities.byRow.map((o) => o.row), ...shareOfWallet.map((w) => w.row)])]
  const opportunityOf = new Map(opportunities.byRow.map((o) => [o.row, o]))
  const walletOf = new Map(shareOfWallet.map((w) => [w.row, w]))
  return csv(
    ['Business unit', 'Open opportunities', 'Opportunity value', 'Weighted value', 'Our revenue', 'Their spend', 'Share of wallet'],
    units
      .filter((unit) => opportunityOf.has(unit) || walletOf.has(unit))
      .map((unit) => {
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
          w?.share == null ? '' : String(w.share),
        ]
      }),
  )
}

/**
 * The competitors as CSV: id, name, position, strengths and weaknesses against us, relationship.
 * @example competitorsCsv(record) // 'Id,Competitor,Position,…\r\nshape:c1,Globex,Incumbent,…\r\n'
 */
export function competitorsCsv(plan: Pick<PlanRecord, 'competitors'>): string {
  return csv(
    ['Id', 'Competitor', 'Position', 'Strengths vs us', 'Weaknesses vs us', 'Relationship'],
    plan.competitors.map((c) => [c.id, c.name, LABELS.competitorPosition[c.position], c.strengths, c.weaknesses, c.relationship]),
  )
}

/**
 * The revealed dot votes as CSV, one row per item and vote, ranked: vote id, question, board, rank,
 * item id, item, votes.
 * @example
 * votesCsv(record) // 'Vote,Question,Board,Rank,Item id,Item,Votes\r\nvote-1,Which threats matter most?,SWOT,1,shape:t1,Competitor discount,3\r\n'
 */
export function votesCsv(plan: Pick<PlanRecord, 'votes'>): string {
  return csv(
    ['Vote', 'Question', 'Board', 'Rank', 'Item id', 'Item', 'Votes'],
    plan.votes.flatMap((vote) =>
      vote.items.map((item, i) => [vote.id, vote.question, BOARD_TITLES[vote.board], String(i + 1), item.id, item.label, String(item.votes)]),
    ),
  )
}

/**
 * The stakeholders as CSV: id, name, job title, department, buying role, influence, attitude,
 * relationship owner, notes.
 * @example
 * stakeholdersCsv(record) // 'Id,Name,Job title,…\r\nshape:s1,Dana Ortiz,CEO,…\r\n'
 */
export function stakeholdersCsv(plan: Pick<PlanRecord, 'stakeholders'>): string {
  return csv(
    ['Id', 'Name', 'Job title', 'Department', 'Buying role', 'Influence', 'Attitude', 'Relationship owner', 'Notes'],
    plan.stakeholders.map((s) => [
      s.id,
      s.name,
      s.jobTitle,
      s.department,
      s.buyingRole ? LABELS.buyingRole[s.buyingRole] : '',
      LABELS.influence[s.influence],
      LABELS.attitude[s.attitude],
      s.owner,
      s.notes,
    ]),
  )
}
