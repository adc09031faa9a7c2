import { BOARD_TITLES } from './boards.ts'
import {
  SNAPSHOT_TRIGGER_LABELS,
  SWOT_QUADRANTS,
  SWOT_QUADRANT_TITLES,
  type PlanAction,
  type PlanCompetitor,
  type PlanObjective,
  type PlanRelationship,
  type PlanStakeholder,
  type PlanView,
  type PlanVote,
  type PlanWarning,
  type Swot,
  type SwotItem,
  type PlanShareOfWallet,
  type PlanWhitespace,
} from './plan.ts'
import type { PlanHealth } from './planHealth.ts'
import { LABELS } from './shapes.ts'

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

/** Board text inside a list item: continuation lines are indented to stay in the item. */
function listText(text: string): string {
  return text.split(NEWLINES).map(escapeLine).join('\n  ')
}

/** Board text inside a table cell: newlines become `<br>` (a table row is one line). */
function cell(text: string): string {
  return text.split(NEWLINES).map(escapeLine).join('<br>')
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ]
}

/** `2026-11-22T14:00:00.000Z` → `2026-11-22 14:00 UTC`, the same for every reader. */
function formatTakenAt(takenAt: string): string {
  const date = new Date(takenAt)
  if (Number.isNaN(date.getTime())) return inline(takenAt)
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
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

function stakeholderSection(stakeholders: readonly PlanStakeholder[]): string[] {
  if (stakeholders.length === 0) return ['## Stakeholders', '', '_None._', '']
  const rows = stakeholders.map((s) => [
    cell(s.name),
    cell(s.jobTitle),
    cell(s.department),
    s.buyingRole ? LABELS.buyingRole[s.buyingRole] : '',
    LABELS.influence[s.influence],
    LABELS.attitude[s.attitude],
    cell(s.owner),
    cell(s.notes),
  ])
  return [
    '## Stakeholders',
    '',
    ...table(['Name', 'Job title', 'Department', 'Buying role', 'Influence', 'Attitude', 'Owner', 'Notes'], rows),
    '',
  ]
}

function relationshipSection(relationships: readonly PlanRelationship[], stakeholders: readonly PlanStakeholder[]): string[] {
  const names = new Map(stakeholders.map((s) => [s.id, s.name.trim() === '' ? '(unnamed)' : s.name]))
  const name = (id: string) => cell(names.get(id) ?? '(unknown)')
  const items = relationships.map((r) => `- ${name(r.from)} → ${name(r.to)}: ${LABELS.relationship[r.kind]}`)
  return ['## Relationships', '', ...(items.length > 0 ? items : ['_None._']), '']
}

function actionSection(actions: readonly PlanAction[]): string[] {
  if (actions.length === 0) return ['## Actions', '', '_None._', '']
  const rows = actions.map((a) => [
    cell(a.title),
    cell(a.owner),
    a.due ?? '',
    LABELS.status[a.status],
    a.overdue ? '**Overdue**' : '',
  ])
  const overdue = actions.filter((a) => a.overdue).length
  return [
    '## Actions',
    '',
    ...table(['Action', 'Owner', 'Due', 'Status', 'Overdue'], rows),
    '',
    ...(overdue > 0 ? [`${overdue} of ${actions.length} actions overdue.`, ''] : []),
  ]
}

// Made on first use: an Intl formatter maps in ICU's locale data (~4 MB of RSS), which a server
// that never exports a plan need not carry.
let numberFormat: Intl.NumberFormat | undefined

/** A number with thousands separators, or empty when not given. */
function amount(value: number | null): string {
  if (value === null) return ''
  numberFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
  return numberFormat.format(value)
}

/**
 * A row of the share-of-wallet table. Its sums are known only when its share is (a supplied cell
 * without a value makes them partial): unknown prints "—", as the review page does.
 */
function walletRow(r: PlanShareOfWallet): string[] {
  const unit = r.row === '' ? '(no unit)' : cell(r.row)
  return r.share === null ? [unit, '—', '—', '—'] : [unit, amount(r.ours), amount(r.spend), `${Math.round(r.share * 100)} %`]
}

function objectiveSection(objectives: readonly PlanObjective[], actions: readonly PlanAction[] | undefined): string[] {
  const lines = ['## Objectives & KPIs', '']
  if (objectives.length === 0) lines.push('_None._', '')
  const titles = new Map((actions ?? []).map((a) => [a.id, a.title.trim() === '' ? '(untitled)' : a.title]))
  for (const o of objectives) {
    const unit = o.unit.trim() === '' ? '' : ` ${inline(o.unit)}`
    lines.push(`### ${inline(o.objective.trim() === '' ? '(untitled objective)' : o.objective)}`, '')
    lines.push(
      `- **KPI:** ${LABELS.kpiType[o.kpiType]}${o.measure.trim() ? ` — ${inline(o.measure)}` : ''}`,
      `- **Baseline → target:** ${amount(o.baseline) || '?'}${unit} → ${amount(o.target) || '?'}${unit}${o.targetDate ? ` by ${o.targetDate}` : ''}`,
      `- **Owner:** ${o.owner.trim() ? inline(o.owner) : '_none_'} · **Status:** ${LABELS.objectiveStatus[o.status]}`,
      ...(o.strategy.trim() ? [`- **Strategy:** ${inline(o.strategy)}`] : []),
      ...(actions ? [`- **Actions:** ${o.actions.length > 0 ? o.actions.map((id) => inline(titles.get(id) ?? id)).join('; ') : '_none_'}`] : []),
      '',
    )
  }
  const unlinked = (actions ?? []).filter((a) => a.objectives.length === 0)
  if (actions && unlinked.length > 0) {
    lines.push('### Actions serving no objective', '', ...unlinked.map((a) => `- ${inline(a.title.trim() === '' ? '(untitled)' : a.title)}`), '')
  }
  return lines
}

function cellSummary(whitespace: PlanWhitespace, row: string, column: string): string {
  return whitespace.cells
    .filter((c) => c.row === row && c.column === column)
    .map((c) => {
      if (c.kind === 'competitor') return `${LABELS.whitespaceKind.competitor}: ${inline(c.competitor || '?')}`
      if (c.kind === 'opportunity') return `Opportunity ${amount(c.value) || '?'}${c.probability === null ? '' : ` (${c.probability} %)`}`
      return LABELS.whitespaceKind[c.kind]
    })
    .join('<br>')
}

function whitespaceSection(whitespace: PlanWhitespace): string[] {
  const lines = ['## Whitespace', '']
  if (whitespace.cells.length === 0) return [...lines, '_None._', '']
  const rows = [...whitespace.rows, ...(whitespace.cells.some((c) => c.row === '') ? [''] : [])]
  const columns = [...whitespace.columns, ...(whitespace.cells.some((c) => c.column === '') ? [''] : [])]
  lines.push(
    ...table(
      ['Business unit', ...columns.map((c) => (c === '' ? '(no offering)' : cell(c)))],
      rows.map((row) => [row === '' ? '(no unit)' : cell(row), ...columns.map((column) => cellSummary(whitespace, row, column))]),
    ),
    '',
  )
  const o = whitespace.opportunities
  lines.push(`**Open opportunities:** ${o.count}, total ${amount(o.value)}, weighted ${amount(o.weighted)}`, '')
  if (o.byRow.length > 0) {
    lines.push(...table(['Business unit', 'Opportunities', 'Value', 'Weighted'], o.byRow.map((r) => [r.row === '' ? '(no unit)' : cell(r.row), String(r.count), amount(r.value), amount(r.weighted)])), '')
  }
  if (whitespace.shareOfWallet.length > 0) {
    lines.push(
      '### Share of wallet',
      '',
      ...table(['Business unit', 'Our revenue', 'Their spend', 'Share'], whitespace.shareOfWallet.map(walletRow)),
      '',
    )
  }
  return lines
}

function competitorSection(competitors: readonly PlanCompetitor[]): string[] {
  if (competitors.length === 0) return ['## Competitors', '', '_None._', '']
  const rows = competitors.map((c) => [cell(c.name), LABELS.competitorPosition[c.position], cell(c.strengths), cell(c.weaknesses), cell(c.relationship), String(c.cells.length)])
  return ['## Competitors', '', ...table(['Competitor', 'Position', 'Strengths vs us', 'Weaknesses vs us', 'Relationship', 'Cells supplied'], rows), '']
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
    ...votes.flatMap((vote) => [
      `### ${inline(vote.question)}`,
      '',
      `${BOARD_TITLES[vote.board]}, ${vote.votesPerPerson} votes per person; ${vote.totalVotes} votes from ${vote.voters} ${vote.voters === 1 ? 'person' : 'people'}${vote.closed ? '' : ' (still open)'}.`,
      '',
      ...(vote.items.length > 0
        ? table(['Rank', 'Item', 'Votes'], vote.items.map((item, i) => [String(i + 1), item.label.trim() === '' ? '(deleted item)' : cell(item.label), String(item.votes)]))
        : ['_No votes._']),
      '',
    ]),
  ]
}

function warningSection(warnings: readonly PlanWarning[]): string[] {
  if (warnings.length === 0) return []
  const items = warnings.map(
    (w) => `- ${BOARD_TITLES[w.board]}${w.shapeId ? ` (${cell(w.shapeId)})` : ''}: ${cell(w.message)}`,
  )
  return ['## Could not be read', '', ...items, '']
}

/**
 * The plan as a Markdown document: title, account, date, trigger and participants; SWOT as four
 * lists plus the notes outside every quadrant; a stakeholder table with display labels; the
 * relationships; objectives with their KPI and actions (and the actions serving none); an action
 * table with overdue actions marked; the whitespace matrix, opportunities and share of wallet; the
 * competitor table; the health score and its checklist; each revealed vote's items ranked; what
 * could not be read. Sections
 * absent from a view (customer guests) are left out entirely.
 * @example
 * const markdown = planMarkdown(customerView(record, customerFacing))
 */
export function planMarkdown(plan: PlanView): string {
  const lines = [
    `# ${inline(plan.title)}`,
    '',
    `**Account:** ${inline(plan.account)}  `,
    `**Snapshot:** ${formatTakenAt(plan.takenAt)}, ${SNAPSHOT_TRIGGER_LABELS[plan.trigger].toLowerCase()}${plan.label ? ` — ${inline(plan.label)}` : ''}  `,
    `**Participants:** ${plan.participants.length > 0 ? plan.participants.map(inline).join(', ') : '_none recorded_'}`,
    '',
    ...(plan.swot ? swotSection(plan.swot) : []),
    ...(plan.stakeholders ? stakeholderSection(plan.stakeholders) : []),
    ...(plan.relationships ? relationshipSection(plan.relationships, plan.stakeholders ?? []) : []),
    ...(plan.objectives ? objectiveSection(plan.objectives, plan.actions) : []),
    ...(plan.actions ? actionSection(plan.actions) : []),
    ...(plan.whitespace ? whitespaceSection(plan.whitespace) : []),
    ...(plan.competitors ? competitorSection(plan.competitors) : []),
    ...(plan.health ? healthSection(plan.health) : []),
    ...voteSection(plan.votes),
    ...warningSection(plan.warnings),
  ]
  return `${lines.join('\n').trimEnd()}\n`
}
