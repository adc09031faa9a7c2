import { SNAPSHOT_TRIGGER_LABELS, SWOT_QUADRANT_TITLES, type PlanSummary } from '../../shared/plan.ts'
import { formatAmount } from '../../shared/formatAmount.ts'
import type { FieldChange } from '../../shared/planDiff.ts'
import { LABELS } from '../../shared/shapes.ts'

/** How the review page words snapshots, dates and plan values. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dayOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })

const zoned = new Map<string, Intl.DateTimeFormat>()

/**
 * A snapshot's time, e.g. "22 Nov 2026, 14:05": in the workshop's time zone when given (as the
 * PDF and Markdown give it, so the page and its exports agree), named after it with `named`
 * ("22 Nov 2026, 14:05 (Europe/Berlin)"); the browser's otherwise.
 */
export function formatDateTime(iso: string, timeZone?: string, named = false): string {
  if (timeZone === undefined) return dateTime.format(new Date(iso))
  let format = zoned.get(timeZone)
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone })
    } catch {
      return dateTime.format(new Date(iso)) // a zone this browser does not know
    }
    zoned.set(timeZone, format)
  }
  return `${format.format(new Date(iso))}${named ? ` (${timeZone})` : ''}`
}

/** A calendar date `YYYY-MM-DD` (a due date), e.g. "5 Dec 2026"; the date itself, not shifted by time zone. */
export function formatDay(isoDate: string): string {
  return dayOnly.format(new Date(`${isoDate}T00:00:00Z`))
}

/** The snapshot's name: its label, or what took it. */
export function snapshotTitle(snapshot: Pick<PlanSummary, 'label' | 'trigger'>): string {
  return snapshot.label ?? SNAPSHOT_TRIGGER_LABELS[snapshot.trigger]
}

/** Short trigger names for badges. */
export const TRIGGER_BADGES = {
  manual: 'Manual',
  session_end: 'Session end',
  periodic: 'Periodic',
  before_restore: 'Before restore',
} as const satisfies Record<PlanSummary['trigger'], string>

/** Display names of the plan fields a diff can report. */
const FIELD_LABELS: Record<string, string> = {
  text: 'Text',
  author: 'Author',
  quadrant: 'Quadrant',
  name: 'Name',
  jobTitle: 'Job title',
  department: 'Department',
  buyingRole: 'Buying role',
  influence: 'Influence',
  attitude: 'Attitude',
  owner: 'Owner',
  notes: 'Notes',
  from: 'From',
  to: 'To',
  kind: 'Kind',
  title: 'Title',
  due: 'Due',
  status: 'Status',
  overdue: 'Overdue',
  objective: 'Objective',
  kpiType: 'KPI',
  measure: 'Measure',
  unit: 'Unit',
  baseline: 'Baseline',
  target: 'Target',
  targetDate: 'Target date',
  pastTargetDate: 'Past target date',
  strategy: 'Strategy',
  addresses: 'Addresses',
  actions: 'Actions',
  objectives: 'Objectives',
  row: 'Business unit',
  column: 'Offering',
  competitor: 'Competitor',
  value: 'Value',
  probability: 'Probability (%)',
  position: 'Position',
  strengths: 'Strengths',
  weaknesses: 'Weaknesses',
  relationship: 'Relationship',
  cells: 'Cells',
  currency: 'Currency',
}

/** The label of a changed field. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field
}

const VALUE_LABELS: Record<string, Readonly<Record<string, string>>> = {
  buyingRole: LABELS.buyingRole,
  influence: LABELS.influence,
  attitude: LABELS.attitude,
  // Actions and objectives both have a status, relationships and whitespace cells a kind: the keys differ.
  status: { ...LABELS.status, ...LABELS.objectiveStatus },
  kind: { ...LABELS.relationship, ...LABELS.whitespaceKind },
  kpiType: LABELS.kpiType,
  position: LABELS.competitorPosition,
  quadrant: { ...SWOT_QUADRANT_TITLES, unsorted: 'Unsorted' },
}

/** An amount with its unit when it has one ("1,500,000 EUR"), "—" when not given (or withheld from the view). */
export function formatMoney(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '—'
  return `${formatAmount(value)}${unit.trim() ? ` ${unit.trim()}` : ''}`
}

/** The unit of an objective's amount on each side of a change, when it has one. */
export type UnitsOfChange = { before: string; after: string }

/** A field change as people read it; an amount's carries the unit each side was in. */
export type ReadChange = FieldChange & { units?: UnitsOfChange }

/** An objective's fields that hold an amount in its unit. */
const AMOUNT_FIELDS: readonly string[] = ['baseline', 'target']

/**
 * An objective's field changes with its amounts in the unit each side was in, so a changed unit
 * is never hidden: the before value reads in the unit before ("12,500,000.50 EUR → 12,500,000.49
 * USD", not a one-cent fix in USD), and an amount whose number stayed but whose unit changed is a
 * change too ("15,000,000 EUR → 15,000,000 USD"), added after the others. `objective` is the
 * newer version (the diff's `item`).
 * @example objectiveChanges([{ field: 'unit', before: 'EUR', after: 'USD' }], { unit: 'USD', target: 15e6 })
 * // [unit EUR → USD, { field: 'target', before: 15e6, after: 15e6, units: { before: 'EUR', after: 'USD' } }]
 */
export function objectiveChanges(
  changes: readonly FieldChange[],
  objective: { unit?: string | undefined; baseline?: number | null | undefined; target?: number | null | undefined },
): ReadChange[] {
  const unitChange = changes.find((change) => change.field === 'unit')
  const after = objective.unit ?? ''
  const units = { before: unitChange ? String(unitChange.before ?? '') : after, after }
  const changed = units.before.trim() !== units.after.trim()
  const read: ReadChange[] = changes.map((change) => (AMOUNT_FIELDS.includes(change.field) ? { ...change, units } : change))
  if (!changed) return read
  for (const field of AMOUNT_FIELDS) {
    const value = field === 'baseline' ? objective.baseline : objective.target
    // An amount not given has no unit to change ("—" either way).
    if (value === null || value === undefined || changes.some((change) => change.field === field)) continue
    read.push({ field, before: value, after: value, units })
  }
  return read
}

/**
 * A field value as people read it: enum labels, dates, yes/no, "—" for nothing, amounts as the
 * rows show them (separators, cents when there are any, the objective's `unit`), probabilities
 * with "%".
 */
export function formatValue(field: string, value: FieldChange['before'], unit = ''): string {
  if (value === null || value === '') return '—'
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (typeof value === 'number') return field === 'probability' ? `${value} %` : formatMoney(value, unit)
  const label = VALUE_LABELS[field]?.[value]
  if (label) return label
  if (field === 'due' || field === 'targetDate') return formatDay(value)
  return value
}

export { plural } from '../../shared/plural.ts'
