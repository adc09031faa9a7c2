/**
 * The rules of a board's two documents (issue 13, `docs/security.md` [A30]–[A33],
 * `docs/decisions/004-customer-safe-fields.md`), for the record pass of the update guard
 * (`checkRecordOps`), and what a guest may hear of the room's awareness.
 *
 * - Shared document: no writer may put an internal item there, nor an internal field holding
 *   anything but its default ([A31]); a guest may not create, change or delete a record whose id
 *   is an internal item of the internal document ([A33]), but re-creates a card of its own the
 *   server kept there when it deleted it ([A40]); its deletes are told to the room ([A40]).
 * - Internal document: overlay entries (overrides of a record without a base) only for card props
 *   that have a sensitivity, each value valid for that prop on some card type ([A32]).
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import * as encoding from 'lib0/encoding'
import type * as awarenessProtocol from 'y-protocols/awareness'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import { GUEST_STAMP_FIELD, MESSAGE_TYPE } from '../../shared/protocol.ts'
import { INTERNAL_META_KEY, cardTypesWithProp, isInternalField, isInternalRecord, isOverlayField, leakedProps, type Sensitivity } from '../../shared/sensitivity.ts'
import { actionCardProps, competitorCardProps, objectiveCardProps, stakeholderCardProps, whitespaceCardProps } from '../../shared/shapes.ts'
import type { PartRules } from './checkRecordOps.ts'
import type { Writer } from './updateOps.ts'
import { encodeAwarenessEntries } from './messages.ts'

/** The prop validators of every card type, by type then prop. */
const CARD_PROP_VALIDATORS: Record<string, Record<string, { validate(value: unknown): unknown }>> = {
  stakeholder: stakeholderCardProps,
  action: actionCardProps,
  objective: objectiveCardProps,
  whitespace: whitespaceCardProps,
  competitor: competitorCardProps,
}

/** What the shared document's rules read of the board: its sensitivity and its internal items. */
export type SharedPartView = {
  sensitivity(): Sensitivity
  /** True when `id` is an internal item (a record with a base) of the internal document. */
  isInternalItem(id: string): boolean
  /** [A37] The sensitivity before the last change, while its grace lasts; else undefined. */
  previous(): Sensitivity | undefined
  /** [A37] A write was accepted into the document the previous sensitivity routed it to: move it. */
  misrouted(): void
  /** [R5] The record `id` as the internal document holds it whole, or null. */
  internalRecord(id: string): JsonObject | null
  /** [A35] A team page wrote a record the internal document holds whole (made visible): move it once durable. */
  moveAcross(): void
  /** [A40] A guest deleted `id`, which was `before` (the room keeps the team's internal values of it). */
  guestDeleted(id: string, before: JsonObject, writer: Writer): void
  /** [A40] True when the guest `writer` may re-create `id`, an internal copy kept from its own delete. */
  mayRecreateKept(id: string, writer: Writer): boolean
  /** [A40] A guest re-created `id`, a copy kept from its delete (the room merges the copy back). */
  guestRecreated(id: string, writer: Writer): void
}

/** [A31][A33] The rules of a board's shared document. */
export function sharedPartRules(view: SharedPartView): PartRules {
  return {
    checkRecord(id, { before, after }, writer) {
      let recreated = false
      if (writer.role === 'guest' && view.isInternalItem(id)) {
        // [A40] its undo of a delete whose card the server kept for the team: merged back.
        if (before !== null || after === null || !view.mayRecreateKept(id, writer)) return 'is an internal item'
        recreated = true
      }
      if (after === null) {
        if (writer.role === 'guest' && before !== null) view.guestDeleted(id, before, writer)
        return null
      }
      const sensitivity = view.sensitivity()
      const internal = isInternalRecord(after, sensitivity)
      const leaked = internal ? [] : leakedProps(after, sensitivity)
      if (internal || leaked.length > 0) {
        // [A37] A team page still routing by the sensitivity before a change: kept, then moved.
        // Never a guest's: kept, its value would move over the team's internal one.
        const previous = writer.role === 'guest' ? undefined : view.previous()
        if (previous && !isInternalRecord(after, previous) && leakedProps(after, previous).length === 0) {
          view.misrouted()
          return null
        }
      }
      if (internal) return internalReason(after)
      if (after.typeName === 'binding' && typeof after.fromId === 'string' && view.isInternalItem(after.fromId)) {
        return 'binds an internal item'
      }
      // Named as `<card type>.<prop>` (the field's key in the sensitivity), which the page names as its panel does.
      if (leaked.length > 0) return `holds internal field ${typeof after.type === 'string' ? `${after.type}.` : ''}${leaked[0]}`
      if (recreated) {
        view.guestRecreated(id, writer)
        return null
      }
      // A record leaving the internal document: the page writes it here and leaves its internal
      // copy to the server, which removes it once this write is durable (nothing is ever in neither).
      if (view.isInternalItem(id)) view.moveAcross()
      return null
    },
    otherPartRecord: (id) => view.internalRecord(id),
  }
}

/**
 * Why an internal record was refused in the shared document, in words a page can tell apart: a
 * relationship line of an internal kind (a guest's page draws only customer-facing kinds, so it
 * meets this only when the kind was made internal as it drew), or an item marked internal.
 */
function internalReason(record: JsonObject): string {
  const meta = record.meta
  const marked = typeof meta !== 'object' || meta === null || Array.isArray(meta) || meta[INTERNAL_META_KEY] === true
  const kind = marked ? undefined : meta.relationship
  return typeof kind === 'string' && record.type === 'arrow'
    ? `is a relationship line of internal kind ${kind.slice(0, 20)}: it belongs in the internal document`
    : 'is marked internal: it belongs in the internal document'
}

/** What the internal document's rules read of the board. */
export type InternalPartView = {
  sensitivity(): Sensitivity
  /** [A37] The sensitivity before the last change, while its grace lasts; else undefined. */
  previous(): Sensitivity | undefined
  /** [A37] An overlay field was written that may be visible now (a page routing by an older sensitivity). */
  misrouted(): void
  /** [R5] The record `id` as the shared document holds it, or null. */
  sharedRecord(id: string): JsonObject | null
  /** True when the shared document holds the record `id` (without composing it). */
  sharedHas(id: string): boolean
  /** [A35] A record moving between the documents was written here: the shared room moves it once durable. */
  moveAcross(): void
}

/** [A32] The rules of a board's internal document: overlay entries of known props with valid values. */
export function internalPartRules(view: InternalPartView): PartRules {
  return {
    checkRecord(id, { after }) {
      // A record moving in (the shared document still holds it: the server removes it there once
      // this is durable), or moving out (a shape no longer internal: the server writes it there).
      if (after !== null && (view.sharedHas(id) || (after.typeName === 'shape' && !isInternalRecord(after, view.sensitivity())))) view.moveAcross()
      return null
    },
    otherPartRecord: (id) => view.sharedRecord(id),
    checkOrphans(id, inserts) {
      // Only while a change is fresh: a page routing by the current sensitivity never does this.
      const fresh = view.previous() !== undefined
      let misrouted = false
      for (const [recordId, field, value] of inserts) {
        if (recordId !== id) continue
        if (!isOverlayField(field)) return `overlay field "${field.slice(0, 40)}" has no sensitivity`
        const prop = field.slice('props.'.length)
        if (!validForSomeCard(prop, value)) return `overlay ${field.slice(0, 40)} holds an invalid value`
        // Visible on some card type: the shared room's move decides for the record's own type.
        misrouted ||= fresh && cardTypesWithProp(prop).some((type) => !isInternalField(view.sensitivity(), type, prop))
      }
      if (misrouted) view.misrouted()
      return null
    },
  }
}

function validForSomeCard(prop: string, value: JsonValue): boolean {
  return cardTypesWithProp(prop).some((type) => {
    const validator = CARD_PROP_VALIDATORS[type]?.[prop]
    if (!validator) return false
    try {
      validator.validate(value)
      return true
    } catch {
      return false
    }
  })
}

/** What a guest may hear of: a visible shape, and a visible field of one. */
export interface GuestVisibility {
  /** True for a visible record of the shared document (`shape:` prefixed id). */
  shape(shapeId: string): boolean
  /** True unless `field` of the shape is internal (a card field the workshop keeps from guests). */
  field(shapeId: string, field: string): boolean
}

/**
 * [A34] The awareness message a guest hears: the same states, with every shape id in a presence's
 * selection that is not a visible record of the shared document left out, so no internal item's id
 * reaches a guest, and a typing claim on an internal field left out (the guest's page would say
 * someone types in a field it does not show, and the field's name tells of hidden notes). Other
 * fields are the participants' own (name, colour, cursor).
 */
export function guestAwarenessMessage(
  awareness: awarenessProtocol.Awareness,
  clients: readonly number[],
  visible: GuestVisibility,
): Uint8Array {
  const entries = clients.map((client) => {
    const clock = awareness.meta.get(client)?.clock ?? 0
    const state = awareness.getStates().get(client)
    return { client, clock, state: JSON.stringify(state === undefined ? null : guestState(state, visible)) }
  })
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, encodeAwarenessEntries(entries))
  return encoding.toUint8Array(encoder)
}

function guestState(state: Record<string, unknown>, visible: GuestVisibility): Record<string, unknown> {
  const out: Record<string, unknown> = { ...state }
  for (const [key, value] of Object.entries(state)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue
    out[key] = guestPresence(value as Record<string, unknown>, visible) // a plain object of the peer's state
  }
  return out
}

/**
 * A guest's own awareness state as the room applies and relays it: [A43] without the typing claims
 * it may not make (a claim keeps a field read-only on every other page,
 * docs/decisions/006-concurrent-text.md, so a guest claims only a visible field of a visible record,
 * `mayWrite`), and [A44] stamped as a guest's ({@link GUEST_STAMP_FIELD}), whatever it says of
 * itself. Read once per message, cursor moves too. `state` itself when it is not a JSON object (a
 * removal, `null`, or what the protocol then refuses).
 * @example guestOwnState('{"presence":{"editing":{"shape":"anna","field":"notes","since":1}}}', rules) // '{"presence":{},"keyplanGuest":true}' when notes is internal
 */
export function guestOwnState(state: string, mayWrite: GuestVisibility): string {
  const parsed = stateObject(state)
  if (parsed === undefined) return state
  const out: Record<string, unknown> = { ...parsed }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue
    out[key] = withoutClaim(value as Record<string, unknown>, mayWrite) // a plain object of the guest's state
  }
  out[GUEST_STAMP_FIELD] = true
  return JSON.stringify(out)
}

/**
 * An awareness state (JSON text) as the object it holds; undefined when it holds none: a removal
 * (`null`), another value, or text that is not JSON, which the awareness protocol refuses when
 * applied (closed 1007).
 */
function stateObject(state: string): Record<string, unknown> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(state)
  } catch {
    return undefined
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined // a plain JSON object
}

/** `presence` without a typing claim `mayWrite` refuses, or `presence` itself when it keeps it. */
function withoutClaim(presence: Record<string, unknown>, mayWrite: GuestVisibility): Record<string, unknown> {
  let out = presence
  if (presence.editing !== undefined && !visibleClaim(presence.editing, mayWrite, false)) {
    const { editing: _cut, ...rest } = presence
    out = rest
  }
  const meta = presence.meta
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta) && Object.hasOwn(meta, 'keyplanEditing')) {
    if (!visibleClaim((meta as Record<string, unknown>).keyplanEditing, mayWrite, true)) {
      const { keyplanEditing: _cut, ...rest } = meta as Record<string, unknown> // a plain object, checked above
      out = { ...out, meta: rest }
    }
  }
  return out
}

/** Visible when `id` (with or without its `shape:` prefix, as the page's wire form sends it) is. */
const visibleShape = (id: unknown, visible: GuestVisibility, prefixed: boolean): boolean => typeof id === 'string' && visible.shape(prefixed ? id : `shape:${id}`)

/** A typing claim (`{ shape, field }` on the wire, `{ shapeId, field }` in tldraw's record) a guest may hear. */
function visibleClaim(claim: unknown, visible: GuestVisibility, prefixed: boolean): boolean {
  if (typeof claim !== 'object' || claim === null) return false
  const { shape, shapeId, field } = claim as Record<string, unknown>
  const id = prefixed ? shapeId : shape
  if (!visibleShape(id, visible, prefixed) || typeof field !== 'string') return false
  return visible.field(prefixed ? (id as string) : `shape:${id as string}`, field) // a string: visibleShape checked it
}

/**
 * One presence as a guest may hear it: tldraw's record (`selectedShapeIds`, a typing claim in
 * `meta.keyplanEditing`) or the page's wire form (`selected` and `editing` without the `shape:`
 * prefix, `client/board/presenceWire.ts`), with every internal shape id cut out.
 */
function guestPresence(presence: Record<string, unknown>, visible: GuestVisibility): Record<string, unknown> {
  const out: Record<string, unknown> = { ...presence }
  if (Array.isArray(presence.selectedShapeIds)) out.selectedShapeIds = presence.selectedShapeIds.filter((id) => visibleShape(id, visible, true))
  if (Array.isArray(presence.selected)) out.selected = presence.selected.filter((id) => visibleShape(id, visible, false))
  if (presence.editing !== undefined && !visibleClaim(presence.editing, visible, false)) delete out.editing
  const meta = presence.meta
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta) && Object.hasOwn(meta, 'keyplanEditing')) {
    if (!visibleClaim((meta as Record<string, unknown>).keyplanEditing, visible, true)) {
      const { keyplanEditing: _cut, ...rest } = meta as Record<string, unknown>
      out.meta = rest
    }
  }
  return out
}
