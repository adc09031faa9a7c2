/**
 * [A40] A guest's delete never takes the team's internal notes with it. When a board's shared room
 * accepts a guest's delete of a card the team wrote internal values on (overlay entries of the
 * internal document holding anything but the field's default), the card's last version, with
 * those values, becomes an internal item of the internal document (marked, creator kept, and
 * {@link KEPT_FROM_GUEST_META_KEY}). It is written in the turn that applies the delete, so the
 * group commit stores both documents' rows in one store transaction and relays neither before
 * both are durable ([S1], [S43]). When that guest re-creates the card (its undo), the copy is
 * merged back: its internal fields become overlay entries again.
 *
 * The room collects what the record pass saw ({@link GuestPartOps}) per update, drops the ops of a
 * refused update, and asks for the writes at the end of its turn.
 */
import { createHash } from 'node:crypto'
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type * as Y from 'yjs'
import { readRecord, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { isPlainObject } from '../../shared/FieldIndex.ts'
import { mayDeleteRecord, type BoardEditor } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY, KEPT_FROM_GUEST_META_KEY, fieldDefault, isKeptFromGuest, sameJson, splitRecord, type Sensitivity } from '../../shared/sensitivity.ts'

/** One guest op on a record the record pass accepted: a delete (with the record before it) or a re-create of a kept copy. */
export type GuestPartOp = { id: string; deleted: JsonObject | null; by: string }

/** The guest deletes and re-creates of one room turn, in order. */
export class GuestPartOps {
  private ops: GuestPartOp[] = []

  /** How many ops are noted: give it to {@link dropFrom} when the update that follows is refused. */
  get mark(): number {
    return this.ops.length
  }

  /** Forgets the ops noted since `mark` (their update was refused). */
  dropFrom(mark: number): void {
    if (this.ops.length > mark) this.ops.length = mark
  }

  /** A guest deleted `id`, which was `before`. */
  deleted(id: string, before: JsonObject, by: string): void {
    this.ops.push({ id, deleted: before, by })
  }

  /** A guest re-created `id`, the id of a copy kept from its own delete. */
  recreated(id: string, by: string): void {
    this.ops.push({ id, deleted: null, by })
  }

  /** The last op of each record of the turn, and forgets them all. */
  take(): GuestPartOp[] {
    if (this.ops.length === 0) return []
    const last = new Map<string, GuestPartOp>()
    for (const op of this.ops) last.set(op.id, op)
    this.ops = []
    return [...last.values()]
  }
}

/** `record` with every overlay field it has as a prop applied, and whether one of them is off its default. */
function withOverlay(record: JsonObject, overlay: ReadonlyMap<string, JsonValue>): { record: JsonObject; written: boolean } {
  const props = record.props
  const type = record.type
  if (!isPlainObject(props) || typeof type !== 'string') return { record, written: false }
  const merged: JsonObject = { ...props }
  let written = false
  for (const [field, value] of overlay) {
    const prop = field.startsWith('props.') ? field.slice('props.'.length) : undefined
    if (prop === undefined || !Object.hasOwn(merged, prop)) continue
    merged[prop] = value
    written ||= !sameJson(value, fieldDefault(type, prop))
  }
  return { record: { ...record, props: merged }, written }
}

/**
 * Writes, into the internal document `internal`, a kept copy of each card `ops` deleted that has
 * internal values there. Call it inside the turn's transaction of the shared
 * document, after its updates are applied: the internal room's row is then queued first, stored in
 * the same commit and relayed before the delete, so a team page never sees the card go.
 */
export function keepDeletedCards(internal: Y.Doc, ops: readonly GuestPartOp[], origin: unknown, now = Date.now()): void {
  const kept: JsonObject[] = []
  for (const { id, deleted, by } of ops) {
    if (deleted === null) continue
    const { record, overlay } = readRecord(internal, id)
    // Only overlay entries (a record the internal document holds whole is not the guest's to delete).
    if (record !== null || overlay === null || overlay.size === 0) continue
    const merged = withOverlay(deleted, overlay)
    if (!merged.written) continue
    const meta = isPlainObject(deleted.meta) ? deleted.meta : {}
    const copy = { ...merged.record, meta: { ...meta, [INTERNAL_META_KEY]: true } }
    kept.push({ ...copy, meta: { ...copy.meta, [KEPT_FROM_GUEST_META_KEY]: { by, at: now, content: contentOf(copy) } } })
  }
  // Written whole: its base replaces the record's overlay entries, which hold the same values.
  if (kept.length > 0) writeRecordChanges(internal, { put: kept, remove: [] }, origin)
}

/**
 * True when `editor` (a guest) may re-create `id`, an internal item of `internal`: a copy kept from
 * that guest's own delete of its own card (its undo).
 */
export function mayRecreateKept(internal: Y.Doc, id: string, editor: BoardEditor): boolean {
  const { record } = readRecord(internal, id)
  if (!record || !isKeptFromGuest(record)) return false
  // The team wrote on the copy since (it is an internal item): merged back, the guest's old values
  // would erase the team's, and any of the team's the guest would get (QA q30b). Only a copy as
  // the delete left it comes back, as a revert brings one back (planRevert.ts).
  const kept = (record.meta as JsonObject)[KEPT_FROM_GUEST_META_KEY] as JsonObject // checked by isKeptFromGuest
  if (typeof kept.content === 'string' && kept.content !== contentOf(record)) return false
  return mayDeleteRecord(editor, record)
}

/**
 * A fingerprint of what a kept copy says: its props and its meta but the keep mark (its position
 * may follow the team's stacking without counting as a change), keys in order.
 */
function contentOf(record: JsonObject): string {
  const meta = isPlainObject(record.meta) ? Object.fromEntries(Object.entries(record.meta).filter(([key]) => key !== KEPT_FROM_GUEST_META_KEY)) : {}
  return createHash('sha256').update(canonicalJson({ props: record.props ?? null, meta })).digest('base64url').slice(0, 22)
}

/** JSON with every object's keys sorted: equal values give equal text whatever order they were composed in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

/**
 * Merges back the kept copies of the cards `ops` re-created (once the shared document holds them
 * again): each copy's entries are cleared and its internal fields written as overlay entries, in
 * one transaction (written before the clear, they would be deleted with it). Its visible fields
 * are the guest's re-created ones.
 */
export function mergeBackRecreated(internal: Y.Doc, shared: Y.Doc, ops: readonly GuestPartOp[], sensitivity: Sensitivity, origin: unknown): void {
  const overlays = new Map<string, Map<string, JsonValue>>()
  const clear: string[] = []
  for (const { id, deleted } of ops) {
    if (deleted !== null) continue
    const copy = readRecord(internal, id).record
    if (!copy || readRecord(shared, id).record === null) continue
    clear.push(id)
    const overlay = splitRecord(copy, sensitivity).overlay
    if (overlay.size > 0) overlays.set(id, overlay)
  }
  if (clear.length > 0) writeOverlayChanges(internal, overlays, clear, undefined, origin)
}
