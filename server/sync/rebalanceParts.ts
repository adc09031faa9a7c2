/**
 * [A35] Puts every value of a board in the document its sensitivity says (issue 13): internal
 * items and internal field values out of the shared document into the internal one, and what
 * became visible back into the shared one. Run when a board's rooms load (boards stored before
 * issue 13 hold everything in the shared document) and when the facilitator changes a
 * sensitivity, as server changes: stored and relayed like any update. Additions are durable before
 * the removals they replace are written, so a crash in between loses nothing (at worst a value is
 * in both documents, which the next run resolves).
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import * as Y from 'yjs'
import { DOC_KEYS, readOverlays, readRecord, readRecords, recordIds, rewriteRecordsWhole, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { isInternalBinding, isInternalRecord, leakedProps, sameJson, splitRecord, type Sensitivity } from '../../shared/sensitivity.ts'

/** Where a board's values must move, computed from both documents and a sensitivity. */
export type RebalancePlan = {
  /** Records to write whole into the internal document. */
  internalPuts: JsonObject[]
  /** Overlay fields to write into the internal document. */
  overlays: Map<string, Map<string, JsonValue>>
  /** Records to write into (or rewrite in) the shared document. */
  sharedPuts: JsonObject[]
  /** Records to remove from the shared document (now internal items). */
  sharedRemoves: string[]
  /** Records to remove from the internal document (now visible). */
  internalRemoves: string[]
  /** Overlay fields to remove from the internal document (now visible), by record id. */
  overlayRemoves: Map<string, string[]>
}

/** True when the plan changes nothing. */
export function isEmptyPlan(plan: RebalancePlan): boolean {
  return (
    plan.internalPuts.length === 0 &&
    plan.overlays.size === 0 &&
    plan.sharedPuts.length === 0 &&
    plan.sharedRemoves.length === 0 &&
    plan.internalRemoves.length === 0 &&
    plan.overlayRemoves.size === 0
  )
}

/** Applies every overlay field a record has as a prop, whatever its sensitivity (for a record becoming internal). */
function withAllOverlay(record: JsonObject, overlay: ReadonlyMap<string, JsonValue> | undefined): JsonObject {
  if (!overlay || overlay.size === 0) return record
  const props = record.props
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return record
  const merged: JsonObject = { ...props }
  for (const [field, value] of overlay) {
    const prop = field.startsWith('props.') ? field.slice('props.'.length) : undefined
    if (prop !== undefined && Object.hasOwn(merged, prop)) merged[prop] = value
  }
  return { ...record, props: merged }
}

/**
 * What must move between the shared document `shared` and the internal document `internal`. With
 * `sharedBalanced` ([S37]: the shared document holds nothing internal by `sensitivity`), only the
 * shared records the internal document speaks of are read: those it holds, has overlay fields of,
 * and the bindings of its internal items.
 */
export function planRebalance(shared: Y.Doc, internal: Y.Doc, sensitivity: Sensitivity, sharedBalanced = false): RebalancePlan {
  const plan: RebalancePlan = { internalPuts: [], overlays: new Map(), sharedPuts: [], sharedRemoves: [], internalRemoves: [], overlayRemoves: new Map() }
  const internalRecords = readRecords(internal)
  const overlays = readOverlays(internal)
  const sharedRecords = sharedBalanced ? sharedRecordsSpokenOf(shared, internalRecords, overlays, sensitivity) : readRecords(shared)
  // Arrows (and other items) internal by now, wherever they are: their bindings go with them.
  const internalItems = new Set<string>()
  for (const [id, record] of sharedRecords) if (isInternalRecord(record, sensitivity)) internalItems.add(id)
  for (const [id, record] of internalRecords) if (record.typeName !== 'binding' && isInternalRecord(record, sensitivity)) internalItems.add(id)
  const isInternal = (record: JsonObject, id: string) => internalItems.has(id) || isInternalBinding(record, internalItems)

  for (const [id, record] of sharedRecords) {
    if (internalRecords.has(id)) {
      // Written to both by a page mid-move: the internal copy stands. A shared copy that is itself
      // internal (a server write that brought back an old version) never stays where guests read.
      if (isInternal(record, id)) plan.sharedRemoves.push(id)
      continue
    }
    if (isInternal(record, id)) {
      plan.internalPuts.push(withAllOverlay(record, overlays.get(id)))
      plan.sharedRemoves.push(id)
      continue
    }
    const overlay = overlays.get(id)
    const leaked = leakedProps(record, sensitivity)
    if (leaked.length > 0) {
      const split = splitRecord(record, sensitivity)
      plan.sharedPuts.push(split.shared)
      // Only what leaked moves: the record's other internal fields are at their defaults here, and
      // the overlay holds their values (written over by those defaults, they would be lost).
      const moved = new Set(leaked.map((prop) => `props.${prop}`))
      plan.overlays.set(id, new Map([...split.overlay].filter(([field]) => moved.has(field) || !overlay?.has(field))))
    }
    // Overlay fields now visible go into the record itself.
    if (!overlay) continue
    const visible = [...overlay.keys()].filter((field) => !splitRecord(withAllOverlay(record, overlay), sensitivity).overlay.has(field))
    if (visible.length === 0) continue
    const current = plan.sharedPuts.at(-1)?.id === id ? (plan.sharedPuts.pop() as JsonObject) : record // the record pushed just above
    plan.sharedPuts.push(withAllOverlay(current, new Map(visible.map((field) => [field, overlay.get(field) as JsonValue])))) // keys of overlay
    plan.overlayRemoves.set(id, visible)
  }
  for (const [id, record] of internalRecords) {
    if (isInternal(record, id)) continue
    const split = splitRecord(record, sensitivity)
    plan.sharedPuts.push(split.shared)
    plan.internalRemoves.push(id)
    if (split.overlay.size > 0) plan.overlays.set(id, split.overlay)
  }
  return plan
}

/** The shared records {@link planRebalance} reads when the shared document is balanced. */
function sharedRecordsSpokenOf(
  shared: Y.Doc,
  internalRecords: ReadonlyMap<string, JsonObject>,
  overlays: ReadonlyMap<string, unknown>,
  sensitivity: Sensitivity,
): Map<string, JsonObject> {
  const ids = new Set([...internalRecords.keys(), ...overlays.keys()])
  const internalItems = new Set<string>()
  for (const [id, record] of internalRecords) if (record.typeName !== 'binding' && isInternalRecord(record, sensitivity)) internalItems.add(id)
  if (internalItems.size > 0) for (const id of recordIds(shared)) if (id.startsWith('binding:')) ids.add(id)
  const records = new Map<string, JsonObject>()
  for (const id of ids) {
    const { record } = readRecord(shared, id)
    if (record && (record.typeName !== 'binding' || internalRecords.has(id) || isInternalBinding(record, internalItems))) records.set(id, record)
  }
  return records
}

/** Key of the [S37] marker in the internal document's meta map. */
const BALANCED_KEY = 'balancedFor'
/** Bumped when what counts as internal changes in code: every board is balanced again on its next load. */
const BALANCE_VERSION = 1

/** [S37] The marker of a board balanced for `sensitivity` (the same string for equal sensitivities). */
export function balanceMarker(sensitivity: Sensitivity): string {
  const fields = Object.entries(sensitivity).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([BALANCE_VERSION, fields])
}

/** [S37] The marker the internal document `internal` holds, if any. */
export function readBalanceMarker(internal: Y.Doc): unknown {
  return internal.getMap(DOC_KEYS.meta).get(BALANCED_KEY)
}

/** Per internal document, how many times its marker was invalidated (what a running move checks). */
const invalidations = new WeakMap<Y.Doc, number>()

/**
 * [S37] Says durably that the shared document may hold something its marker does not vouch for: a
 * write accepted by a sensitivity other than the marked one ([A37]). Call it in the turn that
 * accepts the write: the change is stored in the same store transaction as the write, so no load
 * after it trusts the marker (it reads the board whole), and a move running meanwhile does not
 * mark the board when it ends (its plan may predate the write).
 */
export function invalidateBalanceMarker(internal: Y.Doc, origin: unknown): void {
  invalidations.set(internal, (invalidations.get(internal) ?? 0) + 1)
  const meta = internal.getMap(DOC_KEYS.meta)
  if (!meta.has(BALANCED_KEY) || meta.get(BALANCED_KEY) !== null) internal.transact(() => meta.set(BALANCED_KEY, null), origin)
}

/** The two rooms of a board, as the mover needs them. */
export type PartRoom = { doc: Y.Doc; whenDurable(): Promise<void> }

/**
 * Moves what must move between the two documents of a board, as server changes; resolves once all
 * of it is durable. Returns how many records it moved or rewrote. Once the moves are durable, the
 * internal document is marked balanced for `sensitivity` ([S37]); with `trustMarker` (a room's
 * load), a board already marked so has only the records its internal document speaks of read.
 */
export async function rebalanceParts(shared: PartRoom, internal: PartRoom, sensitivity: Sensitivity, origin: unknown, trustMarker = false): Promise<number> {
  const marker = balanceMarker(sensitivity)
  const marked = readBalanceMarker(internal.doc) === marker
  const invalidated = invalidations.get(internal.doc) ?? 0
  const plan = planRebalance(shared.doc, internal.doc, sensitivity, trustMarker && marked)
  if (!isEmptyPlan(plan)) {
    await applyInternalSide(internal, plan, origin, async () => {
      // Whole: an override over an old base would leave the internal value in the base's bytes.
      shared.doc.transact(() => writeRecordChanges(shared.doc, { put: [], remove: plan.sharedRemoves }, origin), origin)
      rewriteRecordsWhole(shared.doc, plan.sharedPuts, origin)
      await shared.whenDurable()
    })
  }
  // Not when a write was accepted by another sensitivity meanwhile: the plan may not hold it.
  if (!marked && (invalidations.get(internal.doc) ?? 0) === invalidated) {
    internal.doc.transact(() => internal.doc.getMap(DOC_KEYS.meta).set(BALANCED_KEY, marker), origin)
    await internal.whenDurable()
  }
  return plan.internalPuts.length + plan.sharedPuts.length + plan.internalRemoves.length
}

/**
 * [A35] A server change to a board's shared document (a snapshot restore, a revert) that may bring
 * back values stored before they were split: the update is applied to a private copy of the
 * document, what must move is moved there, and the change is returned as it would leave the
 * shared document (values moved out were deleted in the copy, so the change does not carry them),
 * with the plan whose internal additions the caller writes, durable, before applying it.
 */
export function splitServerUpdate(
  shared: Y.Doc,
  internal: Y.Doc,
  update: Uint8Array,
  sensitivity: Sensitivity,
  origin: unknown,
): { update: Uint8Array; plan: RebalancePlan } {
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(shared))
  const before = Y.encodeStateVector(shared)
  Y.applyUpdate(scratch, update)
  const plan = planRebalance(scratch, internal, sensitivity)
  if (isEmptyPlan(plan)) {
    scratch.destroy()
    return { update, plan }
  }
  scratch.transact(() => writeRecordChanges(scratch, { put: [], remove: plan.sharedRemoves }, origin))
  rewriteRecordsWhole(scratch, plan.sharedPuts, origin)
  const moved = Y.encodeStateAsUpdate(scratch, before)
  scratch.destroy()
  return { update: moved, plan: { ...plan, sharedPuts: [], sharedRemoves: [] } }
}

/** Whether the internal document holds what `plan` writes into it for record `id` (its whole record, its overlay fields). */
function internalHolds(internal: Y.Doc, plan: RebalancePlan, id: string): boolean {
  const held = readRecord(internal, id)
  const put = plan.internalPuts.find((record) => record.id === id)
  if (put && !sameJson(held.record ?? undefined, put)) return false
  for (const [field, value] of plan.overlays.get(id) ?? []) if (!sameJson(held.overlay?.get(field), value)) return false
  return true
}

/**
 * [S37] Moves out of a board's shared document what `sensitivity` says is internal, before
 * anything of the shared document's pending changes is stored or relayed: the store refused them
 * as judged by an older sensitivity, and its room holds them while it judges them again. The
 * internal additions are written and made durable first; then the shared document is changed in
 * memory only (its room stores it with the held changes). Only records whose internal side is
 * still what was written are changed in the shared document (a change arriving in between is left
 * to the next move), and records leaving the internal document keep their entries there until that
 * move. Returns whether the shared document changed.
 */
export async function moveOutBeforeStore(shared: PartRoom, internal: PartRoom, sensitivity: Sensitivity, origin: unknown): Promise<boolean> {
  const planned = planRebalance(shared.doc, internal.doc, sensitivity)
  if (planned.sharedRemoves.length === 0 && planned.sharedPuts.length === 0) return false
  const leaving = new Set(planned.internalRemoves)
  writeRecordChanges(internal.doc, { put: planned.internalPuts, remove: [] }, origin)
  writeOverlayChanges(internal.doc, new Map([...planned.overlays].filter(([id]) => !leaving.has(id))), [], undefined, origin)
  await internal.whenDurable()
  // An internal room that broke meanwhile may not have stored them: nothing leaves the shared document.
  if (internal.doc.isDestroyed || shared.doc.isDestroyed) return false
  // Planned again: the shared document may have changed while the additions were stored. A record
  // moves only if the internal document holds what the new plan would write for it (a value
  // written in between is left to the next move); the new plan leaves out what is there already.
  const plan = planRebalance(shared.doc, internal.doc, sensitivity)
  const written = (id: string) => internalHolds(internal.doc, plan, id)
  const removes = plan.sharedRemoves.filter((id) => planned.sharedRemoves.includes(id) && written(id))
  const puts = plan.sharedPuts.filter((record) => typeof record.id === 'string' && planned.sharedPuts.some((p) => p.id === record.id) && written(record.id))
  if (removes.length === 0 && puts.length === 0) return false
  shared.doc.transact(() => writeRecordChanges(shared.doc, { put: [], remove: removes }, origin), origin)
  // Whole: an override over an old base would leave the internal value in the base's bytes.
  rewriteRecordsWhole(shared.doc, puts, origin)
  return true
}

/**
 * Writes the internal document's side of `plan`: additions (durable first), then, after `between`,
 * removals. A record leaving the internal document (made visible) gets its overlay entries in the
 * transaction that clears its entries, not before: the clear would delete them with the rest.
 */
export async function applyInternalSide(internal: PartRoom, plan: RebalancePlan, origin: unknown, between: () => Promise<void>): Promise<void> {
  const leaving = new Set(plan.internalRemoves)
  const stays = new Map([...plan.overlays].filter(([id]) => !leaving.has(id)))
  const leaves = new Map([...plan.overlays].filter(([id]) => leaving.has(id)))
  writeRecordChanges(internal.doc, { put: plan.internalPuts, remove: [] }, origin)
  writeOverlayChanges(internal.doc, stays, [], undefined, origin)
  await internal.whenDurable()
  await between()
  // Its whole record stays in the internal document until now: nothing is lost in between.
  writeOverlayChanges(internal.doc, leaves, plan.internalRemoves, plan.overlayRemoves, origin)
  await internal.whenDurable()
}
