import { useState } from 'react'
import type { AccountOverview, TimelineEntry } from '../../shared/accounts.ts'
import type { ViewObjective } from '../../shared/plan.ts'
import type { FieldChange, PlanDiff } from '../../shared/planDiff.ts'
import { LABELS, RELATIONSHIP_KINDS } from '../../shared/shapes.ts'
import { getAccountDiff, getAccountTimeline } from '../api.ts'
import { fieldLabel, formatDateTime, formatValue, objectiveChanges, plural, snapshotTitle, type ReadChange } from '../review/format.ts'
import { useRequest } from '../review/useRequest.ts'

type Section = Exclude<keyof PlanDiff, 'newer' | 'older' | 'health' | 'withheld' | 'names' | 'whitespaceCurrency'>

/** What the diff calls the items it names by id (`PlanDiff.names`). */
type Names = Readonly<Record<string, string>>

const SECTIONS: ReadonlyArray<[Section, string]> = [
  ['swot', 'SWOT'],
  ['stakeholders', 'Stakeholders'],
  ['relationships', 'Relationships'],
  ['objectives', 'Objectives'],
  ['actions', 'Actions'],
  ['whitespace', 'Whitespace'],
  ['competitors', 'Competitors'],
  ['votes', 'Votes'],
]

/**
 * How a plan item is named in the list: its text, name, title or objective; a cell by its row and
 * column; a relationship by the people at its ends.
 */
function itemName(item: object, names: Names): string {
  if ('from' in item && 'to' in item && 'kind' in item) {
    const kind = RELATIONSHIP_KINDS.find((known) => known === item.kind)
    const end = (id: unknown) => (typeof id === 'string' && Object.hasOwn(names, id) ? names[id] : 'someone')
    return `${end(item.from)} ${kind ? LABELS.relationship[kind].toLowerCase() : 'relates to'} ${end(item.to)}`
  }
  for (const key of ['text', 'name', 'title', 'objective', 'question']) {
    const value: unknown = key in item ? item[key as keyof typeof item] : undefined // a key checked on this item just before
    if (typeof value === 'string' && value.trim()) return value.trim()
  }
  if ('row' in item && 'column' in item) return `${String(item.row) || '—'} × ${String(item.column) || '—'}`
  return 'id' in item ? String(item.id) : '?'
}

function entryLabel(entry: TimelineEntry): string {
  return `${entry.workshopTitle} · ${snapshotTitle(entry.summary)} · ${formatDateTime(entry.summary.takenAt)}`
}

/**
 * Compares any two snapshots of an account across its workshops (docs/accounts.md [K6]): pick the
 * account and two versions of its plan; the older of the two is compared with the newer, with the
 * field-level diff of the plan, section by section.
 */
export function AccountCompare({ accounts }: { accounts: readonly AccountOverview[] }) {
  const withPlans = accounts.filter((a) => a.latestPlan !== null)
  const [accountId, setAccountId] = useState(withPlans[0]?.id ?? '')
  const [picked, setPicked] = useState<[string, string] | null>(null)
  const timeline = useRequest(accountId || null, (signal) => getAccountTimeline(accountId, signal))
  const entries = timeline.status === 'ready' ? timeline.data.entries : []
  const [first, second] = picked ?? [entries[0]?.summary.id ?? '', entries[1]?.summary.id ?? '']
  // The timeline is newest first: whichever was picked, the later one is "newer".
  const order = (id: string) => entries.findIndex((e) => e.summary.id === id)
  const [newer, older] = order(first) <= order(second) ? [first, second] : [second, first]
  const ready = newer !== '' && older !== '' && newer !== older
  const diff = useRequest(ready ? `${accountId}/${newer}/${older}` : null, (signal) => getAccountDiff(accountId, newer, older, signal))

  if (withPlans.length === 0) return null
  const choose = (index: 0 | 1, id: string) => setPicked(index === 0 ? [id, second] : [first, id])
  return (
    <section className="account-compare" aria-labelledby="account-compare-heading">
      <h3 id="account-compare-heading">Compare two versions of a plan</h3>
      <div className="account-compare-controls">
        <label className="field">
          <span>Account</span>
          <select
            aria-label="Account to compare"
            value={accountId}
            onChange={(e) => {
              setAccountId(e.target.value)
              setPicked(null)
            }}
          >
            {withPlans.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        {([0, 1] as const).map((index) => (
          <label className="field" key={index}>
            <span>{index === 0 ? 'This version' : 'with this one'}</span>
            <select aria-label={index === 0 ? 'First version' : 'Second version'} value={index === 0 ? first : second} onChange={(e) => choose(index, e.target.value)}>
              {entries.map((entry) => (
                <option key={entry.summary.id} value={entry.summary.id}>
                  {entryLabel(entry)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {timeline.status === 'ready' && entries.length < 2 && <p className="muted">This account has one version of its plan so far: nothing to compare.</p>}
      {first !== '' && first === second && <p className="muted">Pick two different versions.</p>}
      {timeline.status === 'error' && <p className="form-error">{timeline.message}</p>}
      {ready && diff.status === 'error' && <p className="form-error">{diff.message}</p>}
      {ready && diff.status === 'ready' && <DiffList diff={diff.data} />}
    </section>
  )
}

/** The field-level diff of two versions, section by section; items named by the diff's `names`. */
export function DiffList({ diff }: { diff: PlanDiff }) {
  const names = diff.names ?? {}
  const sections = SECTIONS.flatMap(([key, title]) => {
    const section = diff[key]
    // The whitespace board's currency changed: a change of the section, though no cell's number did.
    const currency = key === 'whitespace' && diff.whitespaceCurrency ? 1 : 0
    return section && section.added.length + section.changed.length + section.removed.length + currency > 0 ? [{ key, title, section }] : []
  })
  return (
    <div className="account-diff" data-testid="account-diff">
      {diff.health && <p className="change-health">{diff.health.summary}</p>}
      {sections.length === 0 && <p>No changes between these two versions.</p>}
      {sections.map(({ key, title, section }) => (
        <section key={key} className="account-diff-section" aria-label={title}>
          <h4>
            {title}{' '}
            <small className="muted">
              {[
                section.added.length > 0 && `${section.added.length} added`,
                section.changed.length > 0 && `${section.changed.length} changed`,
                key === 'whitespace' && diff.whitespaceCurrency && 'currency changed',
                section.removed.length > 0 && `${section.removed.length} removed`,
              ]
                .filter(Boolean)
                .join(', ')}
            </small>
          </h4>
          <ul>
            {key === 'whitespace' && diff.whitespaceCurrency && (
              <li className="is-changed">
                <ChangedField change={{ field: 'currency', before: diff.whitespaceCurrency.before, after: diff.whitespaceCurrency.after }} names={names} />
              </li>
            )}
            {section.added.map((item) => (
              <li key={`a-${item.id}`} className="is-added">
                <ins>{itemName(item, names)}</ins>
              </li>
            ))}
            {section.changed.map(({ id, item, changes }) => (
              <li key={`c-${id}`} className="is-changed">
                {itemName(item, names)}: {readChanges(key, item, changes).map((change) => <ChangedField key={change.field} change={change} names={names} />)}
              </li>
            ))}
            {section.removed.map((item) => (
              <li key={`r-${item.id}`} className="is-removed">
                <del>{itemName(item, names)}</del>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p className="muted small">{plural(sections.length, 'section')} changed.</p>
    </div>
  )
}

/** An item's changes as people read them: an objective's amounts in the unit each side was in. */
function readChanges(key: Section, item: object, changes: readonly FieldChange[]): readonly ReadChange[] {
  return key === 'objectives' ? objectiveChanges(changes, item as ViewObjective) : changes // the objectives section's items are objectives
}

/**
 * A field's value; ids of other items (an objective's SWOT notes, a line's ends) by their names;
 * an amount with its `unit` ("1,500,000 EUR").
 */
export function valueText(field: string, value: FieldChange['before'], names: Names, unit = ''): string {
  const named = (id: string) => (Object.hasOwn(names, id) ? names[id] : undefined)
  if (typeof value === 'string' && named(value) !== undefined) return named(value) as string // just checked
  // A list of links travels as its ids joined (planDiff's valueOf; QA q29b: two or more read as raw ids).
  const ids = typeof value === 'string' && value.includes(', ') ? value.split(', ') : null
  if (ids?.every((id) => named(id) !== undefined)) return ids.map((id) => named(id) as string).join('; ') // every one a named id, just checked
  if (Array.isArray(value) && value.length > 0 && value.every((id) => typeof id === 'string' && named(id) !== undefined)) {
    return value.map((id) => named(id as string)).join('; ') // every one a named id, just checked
  }
  return formatValue(field, value, unit)
}

function ChangedField({ change, names }: { change: ReadChange; names: Names }) {
  return (
    <span className="account-diff-field">
      {fieldLabel(change.field)} <del>{valueText(change.field, change.before, names, change.units?.before)}</del> → <ins>{valueText(change.field, change.after, names, change.units?.after)}</ins>{' '}
    </span>
  )
}
