/**
 * How one writer's open change accumulates ([H2]): per record the first `before` and the last
 * `after`, and which fields the writer changed, so that fields someone else changed meanwhile stay
 * out of the change.
 */
import type { JsonObject } from '@tldraw/utils'
import type { ChangedRecord, StoredRecord } from '../../shared/historyApi.ts'
import { changedFields, getField, jsonEqual, withFieldsOf } from './recordFields.ts'

/** One record of an open change: absent before (created) or after (deleted) is null. */
export type OpenRecord = { before: JsonObject | null; after: JsonObject | null; fields: Set<string> }

/** The records of one open change, by id. */
export type OpenRecords = Map<string, OpenRecord>

/**
 * Adds one record's before/after of a transaction to a writer's open change ([H2]): the change
 * keeps the first before and the last after; fields someone else changed in between are taken
 * into `before`, so that the change holds only what this writer did.
 */
export function addToPending(records: OpenRecords, id: string, before: JsonObject | null, after: JsonObject | null): void {
  const entry = records.get(id)
  if (!entry) {
    records.set(id, { before, after, fields: new Set(before && after ? changedFields(before, after) : []) })
    return
  }
  if (entry.before && before) {
    if (after) for (const field of changedFields(before, after)) entry.fields.add(field)
    const first = entry.before
    entry.before = withFieldsOf(before, entry.fields, (field) => getField(first, field))
  }
  entry.after = after
}

/** The records of a closing change; a record created and deleted within it, or changed back, drops out. */
/**
 * A line (an arrow) whose only change is its place in the drawing order: tldraw keeps a line above
 * the cards it joins, so a page that opens a board after a guest raised a card under a team's
 * internal line moves the line up, a change nobody made (QA q36b: "Fiona moved 1 arrow", again and
 * again, each with a Revert). Not history; the line itself is stored as written.
 */
function onlyLineReordered(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  if (after.typeName !== 'shape' || after.type !== 'arrow' || before.index === after.index) return false
  return jsonEqual({ ...before, index: null }, { ...after, index: null })
}

export function changedRecords(open: OpenRecords): ChangedRecord[] {
  const records: ChangedRecord[] = []
  for (const [id, { before, after }] of open) {
    const either = after ?? before
    if (!either || (before && after && (jsonEqual(before, after) || onlyLineReordered(before, after)))) continue
    records.push({
      id,
      typeName: typeof either.typeName === 'string' ? either.typeName : '',
      type: typeof either.type === 'string' ? either.type : null,
      before: before as StoredRecord | null, // composed records always carry a string id and typeName
      after: after as StoredRecord | null, // as above
    })
  }
  return records
}
