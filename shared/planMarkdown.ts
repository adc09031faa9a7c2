import { BOARD_TITLES } from './boards.ts'
import { amountIn } from './currency.ts'
import { formatAmount, formatShare } from './formatAmount.ts'
import {
  SNAPSHOT_TRIGGER_LABELS,
  SWOT_QUADRANTS,
  SWOT_QUADRANT_TITLES,
  type NoteBoard,
  type PlanBoardNote,
  type PlanRelationship,
  type PlanView,
  type PlanVote,
  type PlanWarning,
  type Swot,
  type SwotItem,
  type PlanShareOfWallet,
  type ViewAction,
  type ViewCompetitor,
  type ViewObjective,
  type ViewStakeholder,
  type ViewWhitespace,
} from './plan.ts'
import type { PlanHealth } from './planHealth.ts'
import { linkNames, titleOf } from './planLabels.ts'
import { plural } from './plural.ts'
import { voteItemLabel, voteRanks } from './votes.ts'
import { LABELS } from './shapes.ts'
import { dateInTimeZone, DEFAULT_TIME_ZONE } from './timeZone.ts'
import { shownColumns, shownField, type Column, type Withheld } from './withheld.ts'
import { cellsInMatrixOrder } from './whitespaceOrder.ts'
import { actionsInColumnOrder } from './actionOrder.ts'

/**
 * The account plan as a Markdown document (`GET /snapshots/:sid?format=md`): readable as plain
 * text and rendered. Every piece of board text is escaped, so a note cannot add headings, links,
 * HTML or table columns to the document.
 */

/** Characters with inline meaning in CommonMark/GFM (emphasis, code, links, HTML, tables). */
const INLINE_SPECIALS = /[\\`*_[\]<>|~]/g

/** Escapes one line of board text for use inside a paragraph, list item or table cell. */
function escapeLine(line: string): string {
  return (
    line
      .replace(INLINE_SPECIALS, '\\$&')
      // Block markers only mean something at the start of a line.
      .replace(/^(\s*)([#+=-])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  )
}

const NEWLINES = /\r\n|\r|\n/

/** A short text (title, name, label) on one line. */
function inline(text: string): string {
  return escapeLine(text.split(NEWLINES).join(' '))
}

/**
 * Board text inside a list item: continuation lines are indented to stay in the item, each after a
 * hard break (a backslash at the end of the line): a soft break renders as a space, and the note's
 * two lines ran into one (QA q36b), as they do not in a table cell (`<br>`).
 */
function listText(text: string): string {
  return text.split(NEWLINES).map(escapeLine).join('\\\n  ')
}

/** Board text inside a table cell: newlines become `<br>` (a table row is one line). */
function cell(text: string): string {
  return text.split(NEWLINES).map(escapeLine).join('<br>')
}

/** A table of `items` in the columns `withheld` leaves in (a withheld field has no column). */
function itemTable<T>(type: string, withheld: Withheld | undefined, columns: readonly Column<T>[], items: readonly T[]): string[] {
  const shown = shownColumns(columns, withheld, type)
  return table(shown.map(([, header]) => header), items.map((item) => shown.map(([, , text]) => text(item))))
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ]
}

/**
 * When the snapshot was taken, in the workshop's time zone (as the PDF, the file name and overdue
 * say it), the same for every reader: `2026-11-22 14:00 UTC`, or `2026-11-23 03:00 (Pacific/Auckland)`.
 */
function formatTakenAt(takenAt: string, timeZone: string): string {
  const date = new Date(takenAt)
  if (Number.isNaN(date.getTime())) return inline(takenAt)
  if (timeZone === DEFAULT_TIME_ZONE) return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date)
  return `${dateInTimeZone(date, timeZone)} ${time} (${timeZone})`
}

function swotItem(item: SwotItem): string {
  return `- ${listText(item.text)}${item.author ? ` (${inline(item.author)})` : ''}`
}

function swotSection(swot: Swot): string[] {
  const lines = ['## SWOT', '']
  for (const quadrant of SWOT_QUADRANTS) {
    lines.push(`### ${SWOT_QUADRANT_TITLES[quadrant]}`, '')
    lines.push(...(swot[quadrant].length > 0 ? swot[quadrant].map(swotItem) : ['_None._']), '')
  }
  if (swot.unsorted.length > 0) {
    lines.push('### Not in a quadrant', '', ...swot.unsorted.map(swotItem), '')
  }
  return lines
}

/** [P17] The notes written on `board` beside its cards, under its section; nothing when it has none. */
function boardNotes(notes: readonly PlanBoardNote[] | undefined, board: NoteBoard): string[] {
  const items = (notes ?? []).filter((note) => note.board === board)
  return items.length > 0 ? ['### Notes on the board', '', ...items.map(swotItem), ''] : []
}

/** A table cell of a field left empty: "—", as the review page shows it (a blank cell reads like a broken table). */
function orDash(text: string | null | undefined): string {
  return text?.trim() ? cell(text) : '—'
}

const STAKEHOLDER_COLUMNS: readonly Column<ViewStakeholder>[] = [
  ['name', 'Name', (s) => cell(s.name ?? '')],
  ['jobTitle', 'Job title', (s) => orDash(s.jobTitle)],
  ['department', 'Department', (s) => orDash(s.department)],
  ['buyingRole', 'Buying role', (s) => (s.buyingRole ? LABELS.buyingRole[s.buyingRole] : '—')],
  // Not assessed: "—", as a buying role not assessed.
  ['influence', 'Influence', (s) => (s.influence ? LABELS.influence[s.influence] : '—')],
  ['attitude', 'Attitude', (s) => (s.attitude ? LABELS.attitude[s.attitude] : '—')],
  ['owner', 'Owner', (s) => orDash(s.owner)],
  ['notes', 'Notes', (s) => cell(s.notes ?? '')],
]

function stakeholderSection(stakeholders: readonly ViewStakeholder[], withheld: Withheld | undefined): string[] {
  if (stakeholders.length === 0) return ['## Stakeholders', '', '_None._', '']
  return ['## Stakeholders', '', ...itemTable('stakeholder', withheld, STAKEHOLDER_COLUMNS, stakeholders), '']
}

function relationshipSection(relationships: readonly PlanRelationship[], stakeholders: readonly ViewStakeholder[]): string[] {
  // A name withheld from this audience is absent: said so, not taken for a card without a name.
  const names = new Map(stakeholders.map((s) => [s.id, s.name === undefined ? 'Name not shared' : !s.name.trim() ? '(unnamed)' : s.name]))
  const name = (id: string) => cell(names.get(id) ?? '(unknown)')
  const items = relationships.map((r) => `- ${name(r.from)} → ${name(r.to)}: ${LABELS.relationship[r.kind]}`)
  return ['## Relationships', '', ...(items.length > 0 ? items : ['_None._']), '']
}

const ACTION_COLUMNS: readonly Column<ViewAction>[] = [
  // Named as in the objectives' lists above: an empty title reads "(untitled)", not a blank cell.
  ['title', 'Action', (a) => cell(titleOf('action', a.title, '(untitled)'))],
  ['owner', 'Owner', (a) => orDash(a.owner)],
  ['due', 'Due', (a) => a.due ?? '—'],
  ['status', 'Status', (a) => (a.status ? LABELS.status[a.status] : '')],
  // Read off the status: no column where the status is withheld.
  ['status', 'Overdue', (a) => (a.overdue ? '**Overdue**' : '')],
]

function actionSection(actions: readonly ViewAction[], withheld: Withheld | undefined): string[] {
  if (actions.length === 0) return ['## Actions', '', '_None._', '']
  const overdue = actions.filter((a) => a.overdue).length
  return [
    '## Actions',
    '',
    ...itemTable('action', withheld, ACTION_COLUMNS, actionsInColumnOrder(actions)),
    '',
    ...(overdue > 0 ? [`${overdue} of ${actions.length} actions overdue.`, ''] : []),
  ]
}

/** An amount as people read it ({@link formatAmount}), or empty when not given. */
function amount(value: number | null): string {
  return value === null ? '' : formatAmount(value, 'en-US')
}

/** An amount of the whitespace board with its currency, when the board has one ({@link amountIn}), or empty when not given. */
function money(value: number | null, currency: string | null | undefined): string {
  return value === null ? '' : amountIn(value, currency, 'en-US')
}

/**
 * A row of the share-of-wallet table. Its sums are known only when its share is (a supplied cell
 * without a value makes them partial): unknown prints "—", as the review page does.
 */
function walletRow(r: PlanShareOfWallet, currency: string | null | undefined): string[] {
  const unit = r.row === '' ? '(no unit)' : cell(r.row)
  return r.share === null ? [unit, '—', '—', '—'] : [unit, money(r.ours, currency), money(r.spend, currency), formatShare(r.share)]
}

/** `- **Label:** a; b`, `_none_` when empty; no line when the linked section is hidden from the view. */
function linkLine(label: string, names: readonly string[] | undefined): string[] {
  if (!names) return []
  return [`- **${label}:** ${names.length > 0 ? names.map(inline).join('; ') : '_none_'}`]
}

function objectiveSection(objectives: readonly ViewObjective[], actions: readonly ViewAction[] | undefined, swot: Swot | undefined, withheld: Withheld | undefined): string[] {
  const lines = ['## Objectives & KPIs', '']
  if (objectives.length === 0) lines.push('_None._', '')
  const shown = shownField(withheld, 'objective')
  const names = linkNames({ actions, swot })
  for (const o of objectives) {
    const unit = !o.unit?.trim() ? '' : ` ${inline(o.unit)}`
    // Baseline and target share a line ("Baseline → target"): a withheld one is left out of it,
    // label and all; the first label starts with a capital (QA q29b: "target:" alone).
    const range = [
      // Unknown reads "—", as everywhere in the Markdown, with no unit after it.
      ...(shown('baseline') ? [['Baseline', amount(o.baseline ?? null) ? `${amount(o.baseline ?? null)}${unit}` : '—']] : []),
      ...(shown('target') ? [['Target', amount(o.target ?? null) ? `${amount(o.target ?? null)}${unit}` : '—']] : []),
    ]
    const ownerStatus = [
      ...(shown('owner') ? [`**Owner:** ${o.owner?.trim() ? inline(o.owner) : '_none_'}`] : []),
      ...(o.status ? [`**Status:** ${LABELS.objectiveStatus[o.status]}`] : []),
      ...(o.pastTargetDate ? ['**Past target date**'] : []),
    ]
    // A withheld KPI kind or measure is left out; with both withheld, the line is.
    const kpi = [...(o.kpiType ? [LABELS.kpiType[o.kpiType]] : []), ...(o.measure?.trim() ? [inline(o.measure)] : [])]
    lines.push(`### ${inline(titleOf('objective', o.objective, '(untitled objective)'))}`, '')
    lines.push(
      ...(kpi.length > 0 ? [`- **KPI:** ${kpi.join(' — ')}`] : []),
      ...(range.length > 0
        ? [`- **${range.map(([label], i) => (i === 0 ? label : label?.toLowerCase())).join(' → ')}:** ${range.map(([, value]) => value).join(' → ')}${o.targetDate ? ` by ${o.targetDate}` : ''}`]
        : o.targetDate
          ? [`- **Target date:** ${o.targetDate}`]
          : []),
      ...(ownerStatus.length > 0 ? [`- ${ownerStatus.join(' · ')}`] : []),
      ...(o.strategy?.trim() ? [`- **Strategy:** ${listText(o.strategy.trim())}`] : []),
      ...linkLine('Answers', names.notes(o.addresses)),
      ...linkLine('Actions', names.actions(o.actions)),
      '',
    )
  }
  const unlinked = (actions ?? []).filter((a) => a.objectives.length === 0)
  if (actions && unlinked.length > 0) {
    lines.push('### Actions serving no objective', '', ...unlinked.map((a) => `- ${inline(titleOf('action', a.title, '(untitled)'))}`), '')
  }
  return lines
}

function cellSummary(whitespace: ViewWhitespace, row: string, column: string, shown: (prop: string) => boolean): string {
  return whitespace.cells
    .filter((c) => (c.row ?? '') === row && (c.column ?? '') === column)
    .map((c) => {
      // What a supplied cell is worth, when known and shown: its share of wallet is computed from it.
      const worth = shown('value') && c.value !== null && c.value !== undefined ? money(c.value, whitespace.currency) : ''
      if (c.kind === 'competitor') return `${LABELS.whitespaceKind.competitor}${shown('competitor') ? `: ${c.competitor ? inline(c.competitor) : '—'}` : ''}${worth ? `, ${worth}` : ''}`
      if (c.kind === 'we_supply') return `${LABELS.whitespaceKind.we_supply}${worth ? ` ${worth}` : ''}`
      if (c.kind === 'opportunity') {
        const value = shown('value') ? ` ${money(c.value ?? null, whitespace.currency) || '—'}` : ''
        const probability = c.probability === null || c.probability === undefined ? '' : ` (${c.probability} %)`
        return `Opportunity${value}${probability}`
      }
      return c.kind ? LABELS.whitespaceKind[c.kind] : ''
    })
    .join('<br>')
}

function whitespaceSection(whitespace: ViewWhitespace, withheld: Withheld | undefined): string[] {
  const lines = ['## Whitespace', '']
  if (whitespace.cells.length === 0) return [...lines, '_None._', '']
  const shown = shownField(withheld, 'whitespace')
  const rows = [...whitespace.rows, ...(whitespace.cells.some((c) => !c.row) ? [''] : [])]
  const columns = [...whitespace.columns, ...(whitespace.cells.some((c) => !c.column) ? [''] : [])]
  lines.push(
    ...table(
      ['Business unit', ...columns.map((c) => (c === '' ? '(no offering)' : cell(c)))],
      rows.map((row) => [row === '' ? '(no unit)' : cell(row), ...columns.map((column) => cellSummary(whitespace, row, column, shown))]),
    ),
    '',
  )
  const o = whitespace.opportunities
  // Totals are computed from the money fields: without them, only the count; without the cells'
  // kind (internal for the workshop), nothing (a count of 0 would stand in for ours).
  const currency = whitespace.currency
  const totals = o.value === undefined || o.weighted === undefined ? '' : `, total ${money(o.value, currency)}, weighted ${money(o.weighted, currency)}`
  if (shown('kind')) lines.push(`**Open opportunities:** ${o.count}${totals}`, '')
  if (o.byRow.length > 0) {
    lines.push(...table(['Business unit', 'Opportunities', 'Value', 'Weighted'], o.byRow.map((r) => [r.row === '' ? '(no unit)' : cell(r.row), String(r.count), money(r.value, currency), money(r.weighted, currency)])), '')
  }
  if (whitespace.shareOfWallet.length > 0) {
    lines.push(
      '### Share of wallet',
      '',
      ...table(['Business unit', 'Our revenue', 'Their spend', 'Share'], whitespace.shareOfWallet.map((r) => walletRow(r, currency))),
      '',
    )
  }
  // A cell's notes ("contract runs until 2028") do not fit the matrix: listed after it, by cell.
  const noted = shown('notes') ? cellsInMatrixOrder(whitespace).filter((c) => c.notes?.trim()) : []
  if (noted.length > 0) {
    const where = (c: (typeof noted)[number]) => `${c.row ? inline(c.row) : '(no unit)'} × ${c.column ? inline(c.column) : '(no offering)'}`
    lines.push('### Cell notes', '', ...noted.map((c) => `- **${where(c)}:** ${listText((c.notes ?? '').trim())}`), '')
  }
  return lines
}

const COMPETITOR_COLUMNS: readonly Column<ViewCompetitor>[] = [
  ['name', 'Competitor', (c) => cell(c.name ?? '')],
  ['position', 'Position', (c) => (c.position ? LABELS.competitorPosition[c.position] : '')],
  ['strengths', 'Strengths vs us', (c) => cell(c.strengths ?? '')],
  ['weaknesses', 'Weaknesses vs us', (c) => cell(c.weaknesses ?? '')],
  ['relationship', 'Relationship', (c) => cell(c.relationship ?? '')],
  [null, 'Cells supplied', (c) => String(c.cells.length)],
]

function competitorSection(competitors: readonly ViewCompetitor[], withheld: Withheld | undefined): string[] {
  if (competitors.length === 0) return ['## Competitors', '', '_None._', '']
  return ['## Competitors', '', ...itemTable('competitor', withheld, COMPETITOR_COLUMNS, competitors), '']
}

function healthSection(health: PlanHealth): string[] {
  const lines = ['## Plan health', '', `**Score:** ${health.score} / 100`, '']
  for (const check of health.checks) {
    const mark = check.score === null ? 'n/a' : check.score === 1 ? 'done' : `${Math.round(check.score * 100)} %`
    lines.push(`- ${check.title} (weight ${check.weight}): ${mark}`)
    for (const item of check.missing.slice(0, 10)) lines.push(`  - ${inline(item.message)}: ${inline(item.fix)}`)
    if (check.missing.length > 10) lines.push(`  - … and ${check.missing.length - 10} more`)
  }
  return [...lines, '']
}

function voteSection(votes: readonly PlanVote[]): string[] {
  if (votes.length === 0) return []
  return [
    '## Votes',
    '',
    ...votes.flatMap((vote) => {
      const ranks = voteRanks(vote.items)
      return [
        `### ${inline(vote.question)}`,
        '',
        `${BOARD_TITLES[vote.board]}, ${plural(vote.votesPerPerson, 'vote')} per person; ${plural(vote.totalVotes, 'vote')} from ${plural(vote.voters, 'person', 'people')}${vote.closed ? '' : ' (still open)'}.`,
        '',
        ...(vote.items.length > 0
          ? table(['Rank', 'Item', 'Votes'], vote.items.map((item, i) => [String(ranks[i]), cell(voteItemLabel(item)), String(item.votes)]))
          : ['_No votes._']),
        '',
      ]
    }),
  ]
}

function warningSection(warnings: readonly PlanWarning[]): string[] {
  if (warnings.length === 0) return []
  const items = warnings.map(
    // The card by its name where it has one: its id means nothing to a reader ([P2]; QA q36b).
    (w) => `- ${BOARD_TITLES[w.board]}${w.label ? ` “${cell(w.label)}”` : ''}: ${cell(w.message)}`,
  )
  return ['## Could not be read', '', ...items, '']
}

/**
 * The plan as a Markdown document: title, account, date, trigger and participants; SWOT as four
 * lists plus the notes outside every quadrant; a stakeholder table with display labels; the
 * relationships; objectives with their KPI, the SWOT notes they answer (first lines) and their
 * actions (titles), and the actions serving none; an action
 * table with overdue actions marked; the whitespace matrix, opportunities and share of wallet; the
 * competitor table; the health score and its checklist; each revealed vote's items ranked; what
 * could not be read. Sections
 * absent from a view (customer guests) are left out entirely, and so are the fields it withholds
 * (no column, no label, no default in their place).
 * @example
 * const markdown = planMarkdown(customerView(record, customerFacing), 'Europe/Berlin') // the workshop's time zone
 */
export function planMarkdown(plan: PlanView, timeZone: string = DEFAULT_TIME_ZONE): string {
  const lines = [
    `# ${inline(plan.title)}`,
    '',
    `**Account:** ${inline(plan.account)}  `,
    `**Snapshot:** ${formatTakenAt(plan.takenAt, timeZone)}, ${SNAPSHOT_TRIGGER_LABELS[plan.trigger].toLowerCase()}${plan.label ? ` — ${inline(plan.label)}` : ''}  `,
    `**Participants:** ${plan.participants.length > 0 ? plan.participants.map(inline).join(', ') : '_none recorded_'}`,
    '',
    ...(plan.swot ? swotSection(plan.swot) : []),
    ...(plan.stakeholders ? stakeholderSection(plan.stakeholders, plan.withheld) : []),
    ...(plan.relationships ? relationshipSection(plan.relationships, plan.stakeholders ?? []) : []),
    ...boardNotes(plan.notes, 'stakeholders'),
    ...(plan.objectives ? objectiveSection(plan.objectives, plan.actions, plan.swot, plan.withheld) : []),
    ...boardNotes(plan.notes, 'objectives'),
    ...(plan.actions ? actionSection(plan.actions, plan.withheld) : []),
    ...boardNotes(plan.notes, 'actions'),
    ...(plan.whitespace ? whitespaceSection(plan.whitespace, plan.withheld) : []),
    ...(plan.competitors ? competitorSection(plan.competitors, plan.withheld) : []),
    ...boardNotes(plan.notes, 'whitespace'),
    ...(plan.health ? healthSection(plan.health) : []),
    ...voteSection(plan.votes),
    ...warningSection(plan.warnings),
  ]
  return `${lines.join('\n').trimEnd()}\n`
}
