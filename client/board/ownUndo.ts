import type { Editor, RecordsDiff, TLRecord, TLStore } from 'tldraw'

/**
 * Undo and redo that touch only this person's own changes. tldraw's history records only local
 * changes (remote ones arrive through `mergeRemoteChanges`), but it stores whole records: undoing a
 * drag puts the card back as it was before the drag, peers' later edits of its other fields
 * included, and undoing a change of a card a peer has since deleted brings the card back. So every
 * diff tldraw's history applies (undo, redo, a cancelled gesture) is rebased on the store first
 * ({@link rebaseHistoryDiff}): only the fields the step changed and no peer has written since are
 * set, on top of the record as it is now.
 */

/** Record types of the board's document, which peers share; session records stay as tldraw has them. */
const DOCUMENT_TYPES: ReadonlySet<string> = new Set(['document', 'page', 'shape', 'binding', 'asset'])

/** Keys split into one field per key, as the record log does (`shared/FieldIndex.ts`). */
const FLATTENED = ['props', 'meta'] as const

type AnyRecord = Record<string, unknown>

function isPlainObject(value: unknown): value is AnyRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The record's fields as the document layout writes them: `x`, `props.status`, `meta.relationship`. */
function fieldsOf(record: AnyRecord, keep: (key: string) => boolean = () => true): Map<string, unknown> {
  const fields = new Map<string, unknown>()
  for (const [key, value] of Object.entries(record)) {
    if (key === 'id' || key === 'typeName' || !keep(key)) continue
    if ((FLATTENED as readonly string[]).includes(key) && isPlainObject(value)) {
      for (const [sub, subValue] of Object.entries(value)) fields.set(`${key}.${sub}`, subValue)
    } else fields.set(key, value)
  }
  return fields
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The fields whose values differ between two versions of a record (a field one of them lacks
 * counts as changed).
 * @example changedFields({ id, x: 1, props: { a: 1 } }, { id, x: 1, props: { a: 2 } }) // ['props.a']
 */
export function changedFields(a: AnyRecord, b: AnyRecord): string[] {
  const moved = topLevelValuesChanged(a, b)
  if (moved) return moved
  // A key both versions hold the same value under (tldraw keeps unchanged `props` objects) has no
  // changed field: left out before flattening, which cost ~12 ms per 1,000 remote moves.
  const differs = (key: string) => !(key in a && key in b && Object.is(a[key], b[key]))
  const fieldsA = fieldsOf(a, differs)
  const fieldsB = fieldsOf(b, differs)
  const changed: string[] = []
  for (const [field, value] of fieldsA) if (!fieldsB.has(field) || !jsonEqual(value, fieldsB.get(field))) changed.push(field)
  for (const field of fieldsB.keys()) if (!fieldsA.has(field)) changed.push(field)
  return changed
}

/**
 * The changed fields of two versions with the same keys whose differing values are all plain
 * values (not objects): the keys themselves, as {@link changedFields} would flatten them. Undefined
 * otherwise. A move (`x`, `y`, maybe `rotation`) is the common case, ~1,000 at a time from a
 * teammate, and this finds its fields without the two field maps of the general path.
 */
function topLevelValuesChanged(a: AnyRecord, b: AnyRecord): string[] | undefined {
  const changed: string[] = []
  let keys = 0
  for (const key in b) {
    keys++
    if (!(key in a)) return undefined
    const x = a[key]
    const y = b[key]
    if (Object.is(x, y) || key === 'id' || key === 'typeName') continue
    if ((typeof x === 'object' && x !== null) || (typeof y === 'object' && y !== null)) return undefined
    changed.push(key)
  }
  // Every key of `b` is in `a`: the same keys when `a` has no more.
  return Object.keys(a).length === keys ? changed : undefined
}

/** `record` with `field` set to `value` (removed when `absent`); nested containers are copied, never changed. */
function withField<R extends AnyRecord>(record: R, field: string, value: unknown, absent: boolean): R {
  const dot = field.indexOf('.')
  const next: AnyRecord = { ...record }
  if (dot === -1) {
    if (absent) delete next[field]
    else next[field] = value
  } else {
    const top = field.slice(0, dot)
    const container: AnyRecord = isPlainObject(next[top]) ? { ...next[top] } : {}
    if (absent) delete container[field.slice(dot + 1)]
    else container[field.slice(dot + 1)] = value
    next[top] = container
  }
  return next as R // the same record with one field replaced
}

/** Fields a peer's page changes on its own, placing a record in the stacking order. */
const RESTACKING: ReadonlySet<string> = new Set(['index'])

/** What {@link rebaseHistoryDiff} needs to know about the store now. */
export interface RebaseContext {
  /** The record as the store holds it now, or undefined. */
  current(id: string): TLRecord | undefined
  /** The fields of a record a peer wrote after this person last did (see {@link PeerFieldLedger}). */
  peerFields(id: string): ReadonlySet<string> | undefined
}

/**
 * A history diff (undo, redo or a cancelled gesture) rebased on the store as it is now, so that it
 * changes only what this person's step changed:
 * - a changed record gets only the fields the step changed and no peer has written since, on top
 *   of its current version; a record a peer deleted meanwhile is left deleted (never resurrected);
 * - a record the step deleted comes back only while it is still gone and whatever it sits in or
 *   points at (its parent, a binding's two shapes) is there;
 * - a record the step created is removed only if no peer has changed it since (their work stays).
 * Session records (selection, camera) are left as they are.
 * @example
 * store.applyDiff(rebaseHistoryDiff(diffToUndo, { current: (id) => store.get(id), peerFields }))
 */
export function rebaseHistoryDiff(diff: RecordsDiff<TLRecord>, context: RebaseContext): RecordsDiff<TLRecord> {
  const out: RecordsDiff<TLRecord> = { added: {}, updated: {}, removed: {} }
  const isDocument = (record: TLRecord) => DOCUMENT_TYPES.has(record.typeName)
  const exists = (id: unknown) => typeof id === 'string' && (context.current(id) !== undefined || id in diff.added)

  for (const [id, record] of Object.entries(diff.added)) {
    if (!isDocument(record)) {
      out.added[id as TLRecord['id']] = record // a key of diff.added
      continue
    }
    if (context.current(id)) continue
    const fields = record as unknown as AnyRecord // records are JSON objects
    if (record.typeName === 'shape' && !exists(fields.parentId)) continue
    if (record.typeName === 'binding' && !(exists(fields.fromId) && exists(fields.toId))) continue
    out.added[id as TLRecord['id']] = record // a key of diff.added
  }

  for (const [id, [mine, target]] of Object.entries(diff.updated)) {
    if (!isDocument(target)) {
      out.updated[id as TLRecord['id']] = [mine, target] // a key of diff.updated
      continue
    }
    const current = context.current(id)
    if (!current) continue
    const peer = context.peerFields(id)
    const fields = target as unknown as AnyRecord // records are JSON objects
    // Back into a frame a peer deleted meanwhile: the card would have nowhere to be.
    if (target.typeName === 'shape' && fields.parentId !== (current as unknown as AnyRecord).parentId && !exists(fields.parentId)) continue // as above
    let next = current as unknown as AnyRecord // records are JSON objects
    const targetFields = fieldsOf(target as unknown as AnyRecord) // as above
    for (const field of changedFields(mine as unknown as AnyRecord, target as unknown as AnyRecord)) { // as above
      if (peer?.has(field)) continue
      next = withField(next, field, targetFields.get(field), !targetFields.has(field))
    }
    if (next !== (current as unknown as AnyRecord)) out.updated[id as TLRecord['id']] = [current, next as unknown as TLRecord] // as above
  }

  for (const [id, record] of Object.entries(diff.removed)) {
    if (!isDocument(record)) {
      out.removed[id as TLRecord['id']] = record // a key of diff.removed
      continue
    }
    const current = context.current(id)
    if (!current) continue
    // A peer's page re-stacking it (tldraw re-indexes a new line on every page that sees it bound)
    // is no work of the peer's: only other fields keep it (QA q29d: an undone line stayed, unbound).
    if ([...(context.peerFields(id) ?? [])].some((field) => !RESTACKING.has(field))) continue
    out.removed[id as TLRecord['id']] = current // a key of diff.removed
  }
  return out
}

/**
 * Which fields of which records a peer wrote last: a remote change adds the fields it changed, a
 * change of this person's (an edit, an undo) takes them out again, a deleted record is forgotten.
 */
export class PeerFieldLedger {
  private readonly byRecord = new Map<string, Set<string>>()

  /** Records a change of `id` from `prev` to `next`, made by a peer (`remote`) or here (`user`). */
  changed(prev: TLRecord, next: TLRecord, source: 'user' | 'remote'): void {
    const fields = changedFields(prev as unknown as AnyRecord, next as unknown as AnyRecord) // records are JSON objects
    if (fields.length === 0) return
    let set = this.byRecord.get(next.id)
    if (source === 'remote') {
      if (!set) this.byRecord.set(next.id, (set = new Set()))
      for (const field of fields) set.add(field)
    } else if (set) {
      for (const field of fields) set.delete(field)
      if (set.size === 0) this.byRecord.delete(next.id)
    }
  }

  /** Forgets a record that was deleted (or created anew). */
  forget(id: string): void {
    this.byRecord.delete(id)
  }

  fieldsOf(id: string): ReadonlySet<string> | undefined {
    return this.byRecord.get(id)
  }
}

/** Whether `editor` is applying a history diff (undo, redo, a cancelled gesture) right now. */
export function isReplayingHistory(editor: Editor): boolean {
  // tldraw 5.4.2 has this method at runtime but leaves it out of its published types.
  return (editor as unknown as { isReplayingHistory(): boolean }).isReplayingHistory()
}

/**
 * Makes the undo, redo and cancelled gestures of the history bound to `store` change only this
 * person's own changes (see {@link rebaseHistoryDiff}): every diff the store applies while
 * `replaying()` is rebased first.
 * @returns a function that restores tldraw's own behaviour
 * @example
 * const stop = keepUndoToOwnChanges(editor.store, () => isReplayingHistory(editor))
 */
export function keepUndoToOwnChanges(store: TLStore, replaying: () => boolean): () => void {
  const ledger = new PeerFieldLedger()
  const { sideEffects } = store
  // Peers edit shapes and bindings; pages and the document change too rarely to need a ledger.
  const stops = [
    sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => ledger.changed(prev, next, source)),
    sideEffects.registerAfterChangeHandler('binding', (prev, next, source) => ledger.changed(prev, next, source)),
    sideEffects.registerAfterCreateHandler('shape', (record) => ledger.forget(record.id)),
    sideEffects.registerAfterCreateHandler('binding', (record) => ledger.forget(record.id)),
    sideEffects.registerAfterDeleteHandler('shape', (record) => ledger.forget(record.id)),
    sideEffects.registerAfterDeleteHandler('binding', (record) => ledger.forget(record.id)),
  ]
  const original = store.applyDiff
  const context: RebaseContext = { current: (id) => store.get(id as TLRecord['id']), peerFields: (id) => ledger.fieldsOf(id) } // ids come from the store's own diff
  store.applyDiff = function (diff, opts) {
    return original.call(this, replaying() ? rebaseHistoryDiff(diff, context) : diff, opts)
  }
  return () => {
    store.applyDiff = original
    for (const stop of stops) stop()
  }
}
