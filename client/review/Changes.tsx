import { createContext, useContext } from 'react'
import type { FieldChange } from '../../shared/planDiff.ts'
import { fieldLabel, formatValue, type ReadChange } from './format.ts'
import { fieldChange, type ItemChange } from './planChanges.ts'

/**
 * What the review compares the snapshot with, as its marks name it: "the previous snapshot", a
 * snapshot picked by its title, or "the last workshop".
 */
export const ComparedWithContext = createContext('the previous snapshot')

/**
 * A field's value; when it changed since the snapshot compared with, "before → after". `unit`
 * follows an amount; a change that carries its `units` reads each side in its own.
 */
export function FieldValue({ field, value, change, unit }: { field: string; value: FieldChange['before']; change?: ReadChange | undefined; unit?: string }) {
  const comparedWith = useContext(ComparedWithContext)
  if (!change) return <>{formatValue(field, value, unit)}</>
  return (
    <span className="change" title={`${fieldLabel(field)} changed since ${comparedWith}`}>
      <del className="change-before">{formatValue(field, change.before, change.units?.before ?? unit)}</del>
      <span className="change-arrow" aria-label="changed to">
        →
      </span>
      <ins className="change-after">{formatValue(field, change.after, change.units?.after ?? unit)}</ins>
    </span>
  )
}

/** "New" or "Changed" beside an item that differs from the previous snapshot. */
export function ChangeBadge({ change }: { change: ItemChange | undefined }) {
  if (!change) return null
  return change.kind === 'added' ? (
    <span className="change-badge change-badge-added">New</span>
  ) : (
    <span className="change-badge change-badge-changed">Changed</span>
  )
}

/**
 * The name at the start of an item's row: the field's value (or `placeholder` when it is empty),
 * "before → after" when it changed, and the item's New/Changed badge.
 */
export function ItemTitle({ field, value, placeholder, change }: { field: string; value: string; placeholder: string; change: ItemChange | undefined }) {
  return (
    <div className="person-cell">
      <strong>{value ? <FieldValue field={field} value={value} change={fieldChange(change, field)} /> : <span className="placeholder">{placeholder}</span>}</strong>
      <ChangeBadge change={change} />
    </div>
  )
}

/** Field changes not shown in a cell of their own (e.g. notes, author), as a short list. */
export function OtherChanges({ change, shown }: { change: ItemChange | undefined; shown: readonly string[] }) {
  if (change?.kind !== 'changed') return null
  const rest = [...change.fields.values()].filter((item) => !shown.includes(item.field))
  if (rest.length === 0) return null
  return (
    <ul className="other-changes">
      {rest.map((item) => (
        <li key={item.field}>
          <span className="other-changes-field">{fieldLabel(item.field)}:</span> <FieldValue field={item.field} value={item.after} change={item} />
        </li>
      ))}
    </ul>
  )
}

/** Items in the snapshot compared with that are gone from this one. */
export function RemovedList({ items }: { items: readonly string[] }) {
  const comparedWith = useContext(ComparedWithContext)
  return (
    <div className="removed-list">
      <h3>Removed since {comparedWith}</h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>
            <del>{item}</del>
          </li>
        ))}
      </ul>
    </div>
  )
}
