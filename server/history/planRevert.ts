/**
 * Reverting one change of a board's history as a new change ([H4]): deleted records come back,
 * created records are removed, changed fields go back to their earlier values; a record or field
 * that is no longer as the change left it (changed again since) is left alone and reported as a
 * conflict. A shape's place (its parent, x, y and index, one move) goes back whole or not at all: a
 * note moved again since is not put half back. A record put back whose parent or ends were deleted
 * since (a note of a quadrant deleted since, a line between cards deleted since), or whose parent
 * this revert cannot put back, stays deleted and is reported too: put back, no page would show it.
 * An item marked internal stays internal (its mark is never reverted). Every record written back is validated with
 * the board's tldraw schema. The records
 * are the board as the team sees it (both documents merged, issue 13); the caller writes the
 * result with `writeBoardRecords`, which routes each part to its document.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type { RecordChanges } from '../../shared/docLayout.ts'
import type { BoardChange, RevertConflict } from '../../shared/historyApi.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'
import { sharedKeyplanSchema } from '../../shared/schema.ts'
import { INTERNAL_FROM_PARENT_META_KEY, INTERNAL_META_KEY, isKeptFromGuest } from '../../shared/sensitivity.ts'
import { changedFields, getField, jsonEqual, withField } from './recordFields.ts'

const schema = sharedKeyplanSchema()

/** A shape's place: moved together (a drag between quadrants changes all four), reverted together. */
const PLACE: ReadonlySet<string> = new Set(['parentId', 'x', 'y', 'index'])

/** The field of an item's own internal mark (issue 13). */
const MARK = `meta.${INTERNAL_META_KEY}`

/**
 * Whether the records `record` hangs on exist: a shape's parent shape (a page parent always
 * does), a binding's two shapes.
 */
function referencesPresent(record: JsonObject, exists: (id: string) => boolean): boolean {
  const refs = record.typeName === 'shape' ? [record.parentId] : record.typeName === 'binding' ? [record.fromId, record.toId] : []
  return refs.every((ref) => shapePresent(ref, exists))
}

/** Whether `ref` (a parent or a binding's end) is there: a shape that exists, or no shape (a page). */
function shapePresent(ref: JsonValue | undefined, exists: (id: string) => boolean): boolean {
  return typeof ref !== 'string' || !ref.startsWith('shape:') || exists(ref)
}

/**
 * Of the records a revert would put back (`candidates`, by id), those that can come back: valid
 * (`valid`), and hanging on records that exist (`current`) or come back too. A shape's parent chain
 * is walked once (memoised, without recursion: a chain may be long), a cycle comes back nowhere.
 */
function comingBack(candidates: ReadonlyMap<string, JsonObject>, current: ReadonlyMap<string, JsonObject>, valid: (record: JsonObject) => boolean): Set<string> {
  const shapeBack = new Map<string, boolean>()
  /** Whether shape `start` (a candidate) comes back: its chain of candidate parents walked up, then settled down. */
  const shapeComesBack = (start: string): boolean => {
    const path: string[] = []
    const onPath = new Set<string>()
    let parent: JsonValue | undefined = start
    // Up the chain while the parent is itself put back by this revert and not settled yet.
    while (typeof parent === 'string' && candidates.has(parent) && !shapeBack.has(parent) && !onPath.has(parent)) {
      path.push(parent)
      onPath.add(parent)
      parent = candidates.get(parent)?.parentId
    }
    // What the top of the path hangs on: a page, a shape there now, a settled one; a cycle is nothing.
    let ok = typeof parent !== 'string' ? true : onPath.has(parent) ? false : (shapeBack.get(parent) ?? shapePresent(parent, (id) => current.has(id)))
    for (const id of path.reverse()) {
      const record = candidates.get(id)
      ok = ok && record !== undefined && valid(record)
      shapeBack.set(id, ok)
    }
    return shapeBack.get(start) ?? false
  }
  const back = new Set<string>()
  for (const [id, record] of candidates) {
    if (record.typeName === 'shape' ? shapeComesBack(id) : valid(record)) back.add(id)
  }
  // A binding comes back when both its ends are there or come back (bindings hang on shapes only).
  for (const id of back) {
    const record = candidates.get(id)
    if (record?.typeName === 'binding' && !referencesPresent(record, (end) => current.has(end) || (back.has(end) && candidates.get(end)?.typeName === 'shape'))) back.delete(id)
  }
  return back
}

/** What a revert writes, or why it cannot. */
export type RevertPlan =
  | {
      ok: true
      /** The records to write (merged records), empty when there is nothing to write. */
      changes: RecordChanges
      /** Records put back, removed or changed back. */
      reverted: number
      conflicts: RevertConflict[]
    }
  | { ok: false; reason: string }

/**
 * Computes the change that reverts `change` on the board whose records are `current` (only read),
 * stored in `storedSchema`. `changedSince`: ids of the records a later change touched; a record
 * the change deleted that one did too (put back and deleted again since: on purpose) stays deleted
 * and is reported (QA q28b: a note undone and deleted again came back).
 */
export function planRevert(storedSchema: SerializedSchema | null, current: ReadonlyMap<string, JsonObject>, change: BoardChange, changedSince: ReadonlySet<string> = new Set()): RevertPlan {
  if (relateStoredSchema(schema, storedSchema) !== 'same') {
    return { ok: false, reason: 'the live board is stored in another schema version; open it once, then revert' }
  }
  const migrate = recordMigrator(schema, storedSchema)
  const changes: RecordChanges = { put: [], remove: [] }
  const conflicts: RevertConflict[] = []
  const putValid = (recordId: string, record: JsonObject) => {
    const result = migrate(record)
    if (result.ok) changes.put.push(result.record as unknown as JsonObject) // a tldraw record is JSON
    else conflicts.push({ recordId, field: null, reason: 'invalid' })
  }
  // Records this revert puts back: a note's frame deleted by the same change comes back with it,
  // unless the frame itself cannot (its own parent gone, or not valid): then neither does the note.
  const candidates = new Map(change.records.filter((record) => record.before && !record.after && !current.has(record.id) && !changedSince.has(record.id)).map((record) => [record.id, record.before as JsonObject])) // parsed from stored JSON
  const back = comingBack(candidates, current, (record) => migrate(record).ok)
  const exists = (id: string) => current.has(id) || back.has(id)
  const unkept = new Set<string>()
  for (const record of change.records) {
    const id = record.id
    const before = record.before as JsonObject | null // parsed from stored JSON, so JSON all the way down
    const after = record.after as JsonObject | null // as above
    const now = current.get(id)
    if (!before) {
      // Created by the change: removed, unless changed since (or already gone).
      if (!now) continue
      if (after && jsonEqual(now, after)) changes.remove.push(id)
      else conflicts.push({ recordId: id, field: null, reason: 'changed_since' })
    } else if (!after) {
      // Deleted by the change: back, unless a record with its id exists again, or was back and deleted again since.
      if (!now) {
        if (changedSince.has(id)) conflicts.push({ recordId: id, field: null, reason: 'deleted_since' })
        else if (referencesPresent(before, exists)) putValid(id, before)
        else conflicts.push({ recordId: id, field: null, reason: 'parent_gone' })
      } else if (!jsonEqual(now, before)) conflicts.push({ recordId: id, field: null, reason: 'exists' })
    } else if (!now) {
      conflicts.push({ recordId: id, field: null, reason: 'deleted_since' })
    } else {
      let reverted = now
      const fields = changedFields(before, after)
      // [A40] This change is a guest's delete that left the team an internal copy, and the copy is
      // as it made it: the guest's delete made it internal, not the team, so its revert puts the
      // card back as it was, visible (its internal fields go back to the internal part).
      // Only while the copy is exactly as the delete left it (review: the team's text written into
      // the copy since would reach the guest); a mark set to null (made visible) is no copy.
      const keptByThis = !isKeptFromGuest(before) && isKeptFromGuest(after) && jsonEqual(now, after)
      if (keptByThis) unkept.add(id)
      const place = fields.filter((field) => PLACE.has(field))
      if (place.length > 0) {
        // One move: back only if every part of the place is as the change left it.
        if (place.some((field) => !jsonEqual(getField(now, field), getField(after, field)))) {
          if (place.some((field) => !jsonEqual(getField(now, field), getField(before, field)))) conflicts.push({ recordId: id, field: 'place', reason: 'changed_since' })
        } else if (shapePresent(getField(before, 'parentId'), exists)) {
          for (const field of place) reverted = withField(reverted, field, getField(before, field))
        } else conflicts.push({ recordId: id, field: 'place', reason: 'parent_gone' })
      }
      for (const field of fields) {
        if (PLACE.has(field)) continue
        const value = getField(now, field)
        // An item the team marked internal stays internal, as in a restore: revert "marked
        // internal" would show the customer what was written in it since (QA q28b).
        if (field === MARK && value === true && getField(before, field) !== true && getField(now, `meta.${INTERNAL_FROM_PARENT_META_KEY}`) !== true && !keptByThis) {
          conflicts.push({ recordId: id, field, reason: 'stays_internal' })
          continue
        }
        if (jsonEqual(value, getField(before, field))) continue
        if (jsonEqual(value, getField(after, field))) reverted = withField(reverted, field, getField(before, field))
        else conflicts.push({ recordId: id, field, reason: 'changed_since' })
      }
      if (reverted === now) continue
      // A line whose end moved back to a card deleted since would end nowhere.
      if (reverted.typeName === 'binding' && !referencesPresent(reverted, exists)) conflicts.push({ recordId: id, field: null, reason: 'parent_gone' })
      else putValid(id, reverted)
    }
  }
  keepInsideInternal(changes, current, conflicts, unkept)
  const reverted = changes.put.length + changes.remove.length
  return { ok: true, changes, reverted, conflicts }
}

/**
 * Every shape a revert writes that sits inside an internal item, the board as it will be, is
 * internal ([A39]), marked as from its parent, and one internal now stays internal wherever it
 * goes (on its own mark when outside every internal item): a revert of "marked the frame internal" keeps the
 * frame internal (its own mark stays, `stays_internal`) and so keeps what is inside it, whose
 * marks came from it (review: they were taken off, and the notes, with what was written in them
 * since, went to the guest). Walks up at most as many parents as the board has records.
 */
function keepInsideInternal(changes: RecordChanges, current: ReadonlyMap<string, JsonObject>, conflicts: RevertConflict[], unkept: ReadonlySet<string>): void {
  const written = new Map(changes.put.map((record) => [String(record.id), record]))
  const removed = new Set(changes.remove)
  const after = (id: string): JsonObject | undefined => (removed.has(id) ? undefined : (written.get(id) ?? current.get(id)))
  const marked = (record: JsonObject | undefined) => getField(record ?? {}, MARK) === true
  const insideInternal = (record: JsonObject): boolean => {
    let parentId = record.parentId
    for (let steps = 0; typeof parentId === 'string' && steps <= current.size + written.size; steps++) {
      const parent = after(parentId)
      if (!parent) return false
      if (marked(parent)) return true
      parentId = parent.parentId
    }
    return false
  }
  changes.put = changes.put.flatMap((record) => {
    if (record.typeName !== 'shape' || marked(record)) return [record]
    const id = String(record.id)
    const inside = insideInternal(record)
    // Internal now, whatever made it so: it stays internal where the revert puts it (QA q28d: a
    // note moved into an internal frame, written in, then its move reverted, left the frame with
    // its mark and showed the guest what was written). Outside every internal item, on its own mark.
    const internalNow = marked(current.get(id)) && !unkept.has(id)
    if (!inside && !internalNow) return [record]
    const kept = inside ? withField(withField(record, MARK, true), `meta.${INTERNAL_FROM_PARENT_META_KEY}`, true) : withField(withField(record, MARK, true), `meta.${INTERNAL_FROM_PARENT_META_KEY}`, undefined)
    // Nothing else of it changes back: it is left as it is, and said so.
    if (jsonEqual(kept, current.get(id))) {
      conflicts.push({ recordId: id, field: MARK, reason: 'stays_internal' })
      return []
    }
    if (internalNow && !inside) conflicts.push({ recordId: id, field: MARK, reason: 'stays_internal' })
    return [kept]
  })
}
