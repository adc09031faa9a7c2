/**
 * A refused change costs only itself (QA q30a). When the server refuses a change of a page (4422,
 * docs/server-rules.md [S26]) the page drops its copy of the board and loads it afresh: the
 * refused update held the page's unsent edits too, all of them, and a page that came back after
 * more than half a minute offline lost everything it had made there because the facilitator made
 * one field internal meanwhile ([A37]'s grace is 30 s).
 *
 * So every change this person makes is also kept here, as records before and after, while the
 * board is not confirmed: until its documents have synced and then stayed connected for
 * {@link CONFIRMED_AFTER_MS} (the server refuses an update as soon as it reads it, so what was
 * sent before that is stored). After a refusal, once the fresh copy has synced, the kept changes
 * are made again on the board as it is now, field by field, the way this person made them: a
 * field changed, a card added or deleted. A guest's change to a field that is internal now is left
 * out and named, with its value; on a team page the binding routes each field by today's
 * sensitivity, so nothing is left out. Only for refusals that a change of the workshop explains
 * ({@link REPLAYED_REFUSALS}), and only once: a change refused again after its replay is dropped
 * with the copy, as before.
 */
import { atom, isEqual, type JsonObject, type JsonValue, type TLRecord, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { recordIds } from '../../shared/docLayout.ts'
import { fieldDefault, isInternalField, isInternalRecord, type Sensitivity } from '../../shared/sensitivity.ts'
import { cardNameOf, fieldLabel, plainTextOf } from './offlineEdits.ts'

/** How long a board stays connected after its sync before its kept changes are let go. */
export const CONFIRMED_AFTER_MS = 10_000

/**
 * The refusals an honest page meets when the workshop changed under it (a field, an item or a kind
 * of line made internal while it was offline), whose other changes are made again. Any other
 * refusal (a cap, a right, a malformed update) would meet the same again: dropped with the copy.
 */
const REPLAYED_REFUSALS = /holds internal field|holds what is internal now|is an internal item|binds an internal item|relationship line of internal kind/

/** A refused copy's documents, each its whole state (`Y.encodeStateAsUpdate`). */
export type RefusedCopy = { shared: Uint8Array; internal: Uint8Array | null }

/** One record this person changed: as it was before their first change, and as they left it (null: absent). */
type Kept = { before: TLRecord | null; after: TLRecord | null }

/** A change the replay left out: a guest's value of a field that is internal now. */
export type LeftOut = { field: string; on: string; value: string }

/**
 * A text this person gave a field that the server never received: the field, the card it is on,
 * the text; `typing` when it is the field they were typing into as the board went (they go on
 * typing where it is shown).
 */
export type UnsentText = LeftOut & { typing?: boolean }

/** The changes of one board kept across its reloads (one per board page, kept in a ref). */
export class RefusalReplay {
  private kept = new Map<string, Kept>()
  private pending: Map<string, Kept> | null = null
  private confirming: ReturnType<typeof setTimeout> | undefined
  private confirmed = false
  /** Set while a replay's changes are not confirmed: a refusal then drops them. */
  private replaying = false
  /** Set from a sync of every document until a connection drops: changes go to the server as they are made. */
  private connected = false
  /** Records changed while not connected and not synced since: the server has not had them. */
  private unsent = new Set<string>()
  /**
   * The refused copy's documents, whole, for the changes it held that the journal does not know:
   * made in an earlier visit of the board or in a tab since closed, sent from this browser's
   * IndexedDB copy (review of session 31: they were lost with the copy).
   */
  private copy: RefusedCopy | null = null

  /**
   * Keeps `store`'s changes by this person until confirmed; returns the function that stops it.
   * Each visit of the board (a new store) starts unconfirmed and not connected, with nothing kept
   * but a replay still waiting: an earlier visit's state would let an offline visit journal nothing
   * (review of session 31).
   */
  follow(store: TLStore): () => void {
    clearTimeout(this.confirming)
    this.confirmed = false
    this.connected = false
    this.replaying = false
    this.kept = new Map()
    this.unsent.clear()
    const stop = store.listen(
      ({ changes }) => {
        if (this.confirmed) return
        for (const record of Object.values(changes.added)) this.note(record.id, null, record)
        for (const [from, to] of Object.values(changes.updated)) this.note(to.id, from, to)
        for (const record of Object.values(changes.removed)) this.note(record.id, record, null)
      },
      { source: 'user', scope: 'document' },
    )
    return () => {
      stop()
      clearTimeout(this.confirming)
    }
  }

  private note(id: string, before: TLRecord | null, after: TLRecord | null): void {
    if (!this.connected) this.unsent.add(id)
    const was = this.kept.get(id)
    const first = was ? was.before : before
    // Added and removed again while unconfirmed: nothing to make again.
    if (first === null && after === null) this.kept.delete(id)
    else this.kept.set(id, { before: first, after })
  }

  /** Every document of the board holds the server's state: confirmed after a while connected. */
  synced(): void {
    // The page's own state went out with the sync (y-websocket answers the server's step 1 with it).
    this.connected = true
    this.unsent.clear()
    clearTimeout(this.confirming)
    this.confirming = setTimeout(() => {
      this.confirmed = true
      this.replaying = false
      this.kept.clear()
    }, CONFIRMED_AFTER_MS)
  }

  /** A document lost its connection: changes from now on are kept again. */
  disconnected(): void {
    this.connected = false
    clearTimeout(this.confirming)
    this.confirmed = false
  }

  /** The server's reason for the last refusal. */
  reason = ''

  /** The server refused a change: keeps what was made for the next copy (not after a replay's own refusal). */
  refused(reason: string, copy: RefusedCopy | null = null): void {
    clearTimeout(this.confirming)
    if (this.pending === null && this.copy === null) {
      this.reason = reason
      const replayed = !this.replaying && REPLAYED_REFUSALS.test(reason)
      this.pending = !replayed || this.kept.size === 0 ? null : this.kept
      this.copy = replayed ? copy : null
    }
    // (A second refusal before the replay ran, the other part's: the waiting changes stay.)
    this.kept = new Map()
    this.unsent.clear()
    this.connected = false
    this.confirmed = false
    this.replaying = false
  }

  /**
   * The texts this person gave fields in the changes not yet confirmed (cards and notes they added
   * or changed), for a page that has to drop them: a board withdrawn from a guest ([A6]).
   */
  unsentTexts(): UnsentText[] {
    const texts: UnsentText[] = []
    for (const [id, { before, after }] of this.kept) {
      if (after?.typeName !== 'shape' || !this.unsent.has(id)) continue
      const props = after.props as Record<string, JsonValue> // a shape's props
      const was = before?.typeName === 'shape' ? (before.props as Record<string, JsonValue>) : null
      for (const prop of Object.keys(props)) {
        const label = fieldLabel(after.type, prop)
        const value = props[prop]
        // A new card's fields as it came (status Open) are not the person's words.
        if (label === null || value === undefined || isEqual(was ? was[prop] : fieldDefault(after.type, prop), value)) continue
        const text = plainTextOf(value, prop)
        if (text.trim() !== '' && text !== '(empty)') texts.push({ field: label, on: nameOf(props, after.type), value: text })
      }
    }
    return texts
  }

  /** True when a refused copy's changes wait for the next copy. */
  get waiting(): boolean {
    return this.pending !== null || this.copy !== null
  }

  /**
   * Adds to the waiting changes what the refused copy held that `fresh` (the new copy's documents,
   * synced) lacks, for each record the journal has no change of: the copy merged with the fresh
   * documents, read with `read` as the store would hold it, against the fresh documents. Run once
   * the fresh copy synced, before waiting for the store.
   */
  takeCopy(fresh: { shared: Y.Doc; internal: Y.Doc | null }, read: (shared: Y.Doc, internal: Y.Doc | null, id: string) => JsonObject | null): void {
    const copy = this.copy
    this.copy = null
    if (!copy) return
    const merged = (doc: Y.Doc, old: Uint8Array) => {
      const union = new Y.Doc()
      Y.applyUpdate(union, Y.encodeStateAsUpdate(doc))
      Y.applyUpdate(union, old)
      return union
    }
    const shared = merged(fresh.shared, copy.shared)
    const internal = fresh.internal && copy.internal ? merged(fresh.internal, copy.internal) : fresh.internal
    const ids = new Set([...recordIds(fresh.shared), ...recordIds(shared), ...(fresh.internal ? recordIds(fresh.internal) : []), ...(internal ? recordIds(internal) : [])])
    for (const id of ids) {
      if (this.pending?.has(id)) continue
      const before = read(fresh.shared, fresh.internal, id)
      const after = read(shared, internal, id)
      if (isEqual(before, after)) continue
      this.pending ??= new Map()
      this.pending.set(id, { before: before as TLRecord | null, after: after as TLRecord | null }) // records as the binding reads them
    }
    shared.destroy()
    if (internal !== fresh.internal) internal?.destroy()
  }

  /** The records the waiting changes touch. */
  get waitingIds(): string[] {
    return [...(this.pending?.keys() ?? [])]
  }

  /**
   * Makes the waiting changes again on `store` (the fresh copy, synced), as this person's own
   * edits. `guestSensitivity`: on a guest's page, the sensitivity now, whose internal fields are
   * left out. Returns what was left out.
   */
  replay(store: TLStore, guestSensitivity: Sensitivity | null): { leftOut: LeftOut[] } {
    // (The caller waits until the store holds what the documents hold: see `storeCaughtUp`.)
    const changes = this.pending
    this.pending = null
    if (!changes) return { leftOut: [] } // nothing waited: no replay
    this.replaying = true
    const leftOut: LeftOut[] = []
    const puts: TLRecord[] = []
    const removes: TLRecord['id'][] = []
    for (const [id, { before, after }] of changes) {
      const now = store.get(id as TLRecord['id'])
      if (after === null) {
        // Not over a colleague's change since: the card stays (as offlineEdits.ts puts one back).
        if (now && (before === null || isEqual(now, before))) removes.push(now.id)
        continue
      }
      if (guestSensitivity && isInternalRecord(after as unknown as JsonObject, guestSensitivity)) continue // a record is JSON
      // Changed a record someone deleted since: nothing left to change (the offline notice names it).
      if (before !== null && !now) continue
      const next = before === null || !now ? after : patched(now, before, after)
      const written = guestSensitivity ? withoutInternal(next, now ?? null, guestSensitivity, leftOut) : next
      if (!now || !isEqual(now, written)) puts.push(written)
    }
    // Shapes before the bindings that bind them.
    puts.sort((a, b) => rank(a) - rank(b))
    if (puts.length > 0) store.put(puts)
    if (removes.length > 0) store.remove(removes)
    return { leftOut }
  }
}

function rank(record: TLRecord): number {
  return record.typeName === 'binding' ? 1 : 0
}

/** `now` with each field this person changed from `before` to `after` set as they set it; the rest as it is now. */
function patched(now: TLRecord, before: TLRecord, after: TLRecord): TLRecord {
  const next: Record<string, unknown> = { ...now }
  const from = before as unknown as Record<string, unknown> // records are JSON objects
  const to = after as unknown as Record<string, unknown>
  for (const key of Object.keys(to)) {
    if (key === 'props' || key === 'meta') {
      const was = (from[key] ?? {}) as Record<string, JsonValue> // props and meta are objects
      const set = (to[key] ?? {}) as Record<string, JsonValue>
      const into = { ...((next[key] ?? {}) as Record<string, JsonValue>) }
      const current = (now as unknown as Record<string, Record<string, JsonValue> | undefined>)[key] ?? {} // records are JSON objects
      // A field someone else changed since gives way to theirs (as offline edits do, offlineEdits.ts).
      for (const field of Object.keys(set)) if (!isEqual(was[field], set[field]) && isEqual(current[field], was[field])) into[field] = set[field] as JsonValue
      next[key] = into
    } else if (!isEqual(from[key], to[key]) && isEqual((now as unknown as Record<string, unknown>)[key], from[key])) next[key] = to[key]
  }
  return next as unknown as TLRecord // the same record with this person's fields
}

/** `record` without a guest's values of fields internal now (as the board holds them, or at their default), each named in `leftOut`. */
function withoutInternal(record: TLRecord, now: TLRecord | null, sensitivity: Sensitivity, leftOut: LeftOut[]): TLRecord {
  if (record.typeName !== 'shape') return record
  const props = record.props as Record<string, JsonValue> // a shape's props
  const was = now?.typeName === 'shape' ? (now.props as Record<string, JsonValue>) : null
  let out: Record<string, JsonValue> | null = null
  for (const prop of Object.keys(props)) {
    if (!isInternalField(sensitivity, record.type, prop)) continue
    const fallback = was ? was[prop] : fieldDefault(record.type, prop)
    if (fallback === undefined || isEqual(fallback, props[prop])) continue
    out ??= { ...props }
    out[prop] = fallback
    leftOut.push({ field: fieldLabel(record.type, prop) ?? prop, on: nameOf(props, record.type), value: plainTextOf(props[prop] as JsonValue, prop) })
  }
  return out ? ({ ...record, props: out } as TLRecord) : record // the same shape with those props as they were
}

function nameOf(props: Record<string, JsonValue>, type = 'card'): string {
  return cardNameOf(props) ?? (type === 'note' ? 'a note' : 'a card')
}

const replays = new Map<string, RefusalReplay>()

/** The replay of the board whose room is `roomName`: one per board for the page's life, so a reload keeps it. */
export function refusalReplayOf(roomName: string): RefusalReplay {
  let replay = replays.get(roomName)
  if (!replay) replays.set(roomName, (replay = new RefusalReplay()))
  return replay
}

/**
 * True once `store` holds, for each of `ids`, a record exactly when `inDocuments(id)` says the
 * documents hold one: the binding applies received changes a frame (or several tasks) later, and a
 * replay read off a store still catching up would drop changes to records it does not see yet.
 */
export function storeCaughtUp(store: TLStore, ids: Iterable<string>, inDocuments: (id: string) => boolean): boolean {
  for (const id of ids) if (store.has(id as TLRecord['id']) !== inDocuments(id)) return false
  return true
}

/** Per room: what this browser had not sent to a board withdrawn from it while no page showed it. */
const withdrawnUnsent = atom<ReadonlyMap<string, readonly UnsentText[]>>('unsent texts of withdrawn boards', new Map())

/**
 * Notes that the board of `roomName` was withdrawn (4403) while its unsent edits were being sent
 * in the background (sendUnsent.ts): the page had already let it go, because the new access came
 * first on the room's control socket, and would say nothing of them (QA q30a).
 */
export function noteWithdrawnUnsent(roomName: string): void {
  noteWithdrawnTexts(roomName, refusalReplayOf(roomName).unsentTexts())
}

/**
 * Keeps `texts` as what was not sent of `roomName`, withdrawn (4403), for the workshop page to
 * list: noted as the close arrives, not when the board's page reports it (CI: the page's new
 * access view, without the board, took the board's page away in the same render as the close,
 * and the page said "not available" with nothing listed).
 */
export function noteWithdrawnTexts(roomName: string, texts: readonly UnsentText[]): void {
  // Kept when empty too: the board was withdrawn ("no longer available"), and an earlier list is not this one.
  withdrawnUnsent.update((was) => new Map([...was, [roomName, texts]]))
}

/** What {@link noteWithdrawnUnsent} kept for `roomName` (read in a reactive context: it follows). */
export function withdrawnUnsentOf(roomName: string): readonly UnsentText[] | undefined {
  return withdrawnUnsent.get().get(roomName)
}
