import type { FieldChange, SectionDiff } from '../../shared/planDiff.ts'

/** How one item of a section differs from the previous snapshot. */
export type ItemChange = { kind: 'added' } | { kind: 'changed'; fields: ReadonlyMap<string, FieldChange> }

/** A section's diff arranged for rendering: look up an item by id, list the removed ones. */
export interface SectionChanges<Item> {
  byId: ReadonlyMap<string, ItemChange>
  removed: readonly Item[]
  /** Added + changed + removed. */
  total: number
}

/**
 * Arranges a section diff for the tables and lists. Null when there is nothing to compare with
 * (the first snapshot, or a section hidden from this viewer), so nothing is highlighted.
 * @example sectionChanges(diff?.stakeholders)?.byId.get(person.id) // { kind: 'changed', fields }
 */
export function sectionChanges<Item>(diff: SectionDiff<Item> | undefined, idOf: (item: Item) => string): SectionChanges<Item> | null {
  if (!diff) return null
  const byId = new Map<string, ItemChange>()
  for (const item of diff.added) byId.set(idOf(item), { kind: 'added' })
  for (const { id, changes } of diff.changed) {
    byId.set(id, { kind: 'changed', fields: new Map(changes.map((change) => [change.field, change])) })
  }
  return { byId, removed: diff.removed, total: diff.added.length + diff.changed.length + diff.removed.length }
}

/** The change of one field of an item, if that field changed. */
export function fieldChange(change: ItemChange | undefined, field: string): FieldChange | undefined {
  return change?.kind === 'changed' ? change.fields.get(field) : undefined
}

/** CSS modifier of a row or list item: `is-added`, `is-changed`, or nothing. */
export function changeClass(change: ItemChange | undefined): string {
  return change ? ` is-${change.kind}` : ''
}
