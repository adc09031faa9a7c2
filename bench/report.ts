import type { Row, Suite, SuiteResult } from './types.ts'

/** Where and on what the numbers were taken; printed with every table. */
export interface RunInfo {
  date: string
  machine: string
  node: string
  quick: boolean
}

/** A suite's result, ready to print. */
export interface SuiteReport {
  suite: Suite
  result: SuiteResult
  info: RunInfo
  seconds: number
}

/** ratio of the baseline to the best other candidate, and whether the baseline wins. */
function ratio(row: Row, suite: Suite): { text: string; wins: boolean | undefined } {
  if (row.informational) return { text: '', wins: undefined }
  const baseline = row.baseline ?? suite.baseline
  const ours = row.values[baseline]
  const peers = Object.entries(row.values)
    .filter(([name]) => name !== baseline)
    .map(([, value]) => value)
  if (ours === undefined || peers.length === 0) return { text: '—', wins: undefined }
  const best = row.better === 'lower' ? Math.min(...peers) : Math.max(...peers)
  if (best === 0) return { text: '—', wins: undefined }
  const r = ours / best
  const wins = row.better === 'lower' ? r <= 1 : r >= 1
  return { text: `${r.toFixed(2)}×`, wins }
}

function formatValue(value: number | undefined): string {
  if (value === undefined) return '—'
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

/** Header and body cells of a suite's table. */
function tableCells(report: SuiteReport): { header: string[]; body: string[][] } {
  const { suite, result } = report
  const header = ['scenario', 'metric', 'unit', ...suite.columns, `${suite.baseline} / best other`, 'better']
  const suspect = new Set(result.warnings.filter((w) => (w.kind ?? 'correctness') === 'correctness').map((w) => `${w.scenario}\0${w.candidate}`))
  const cell = (row: Row, column: string) => formatValue(row.values[column]) + (suspect.has(`${row.scenario}\0${column}`) && row.values[column] !== undefined ? ' ⚠' : '')
  let lastScenario = ''
  const body = result.rows.map((row) => {
    const r = ratio(row, suite)
    const scenario = row.scenario === lastScenario ? '' : row.scenario
    lastScenario = row.scenario
    const mark = r.wins === undefined ? '' : r.wins ? ' ✓' : ' ✗'
    return [scenario, row.metric, row.unit, ...suite.columns.map((c) => cell(row, c)), r.text + mark, row.informational ? '(context)' : row.better]
  })
  return { header, body }
}

function infoLine(info: RunInfo, seconds: number): string {
  return `${info.date} · ${info.machine} · Node ${info.node} · ${info.quick ? 'QUICK (smoke sizes, not comparable)' : 'full run'} · ${seconds.toFixed(0)} s`
}

/** Plain-text table for the terminal. */
export function formatText(report: SuiteReport): string {
  const { header, body } = tableCells(report)
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)))
  const numeric = (i: number) => i >= 3 && i < header.length - 1
  const line = (cells: string[]) => cells.map((c, i) => (numeric(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ')
  const out = [`== ${report.suite.title} ==`, infoLine(report.info, report.seconds), '', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)]
  out.push('', `ratio = ${report.suite.baseline} / best other; ✓ = ${report.suite.baseline} at least as good as every other candidate; ⚠ = see the warnings.`)
  for (const row of report.result.rows) if (row.note) out.push(`note: ${row.scenario} / ${row.metric}: ${row.note}`)
  for (const w of report.result.warnings) out.push(`WARNING (${w.kind ?? 'correctness'}) [${w.candidate}] ${w.scenario}: ${w.message}`)
  return out.join('\n')
}

/** Markdown section for `docs/benchmarks.md`. */
export function formatMarkdown(report: SuiteReport): string {
  const { header, body } = tableCells(report)
  const escape = (cell: string) => cell.replaceAll('|', '\\|')
  const out = [
    `## ${report.suite.title}`,
    '',
    `Run: ${infoLine(report.info, report.seconds)}.`,
    '',
    report.suite.description,
    '',
    `| ${header.map(escape).join(' | ')} |`,
    `| ${header.map((_, i) => (i >= 3 && i < header.length - 1 ? '---:' : '---')).join(' | ')} |`,
    ...body.map((cells) => `| ${cells.map(escape).join(' | ')} |`),
    '',
    `Ratio = ${report.suite.baseline} / best other candidate; ✓ means ${report.suite.baseline} is at least as good as every other; ⚠ marks numbers of a candidate that has a correctness warning in that scenario.`,
  ]
  const notes = report.result.rows.filter((row) => row.note)
  if (notes.length > 0) {
    out.push('', 'Notes:', '')
    for (const row of notes) out.push(`- ${row.scenario} / ${row.metric}: ${escape(row.note ?? '')}`)
  }
  if (report.result.warnings.length > 0) {
    out.push('', 'Warnings (correctness and skipped runs):', '')
    for (const w of report.result.warnings) out.push(`- ${w.kind ?? 'correctness'}: **${w.candidate}**, ${w.scenario}: ${escape(w.message)}`)
  }
  return out.join('\n')
}
