/**
 * Which fields and items of a board a customer guest may see (issue 13,
 * `docs/decisions/004-customer-safe-fields.md`). Every board is two Yjs documents in the record-log
 * layout of `docLayout.ts`: the shared one, which every role that may see the board syncs, and the
 * internal one (room `<workshopId>/<board>/internal`), which guests may never join. The shared
 * document holds the visible part: every visible record, with each of its internal fields at the
 * field's default value. The internal document holds (a) internal items whole and (b) for visible
 * records, one override entry per internal field (`[recordId, 'props.attitude', value]`, no base:
 * an "overlay"). The team's page merges both; the server refuses any write that would put an
 * internal value or item into the shared document ([A30]–[A33] in docs/security.md).
 *
 * @example
 * const { shared, overlay } = splitRecord(card, DEFAULT_SENSITIVITY)
 * // shared.props.attitude === 'neutral' (the default); overlay.get('props.attitude') === 'blocker'
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { z } from 'zod'
import type { BoardId } from './boards.ts'
import { isPlainObject } from './FieldIndex.ts'
import { lazySchema } from './lazySchema.ts'
import { syncRoomName } from './protocol.ts'
import {
  RELATIONSHIP_KINDS,
  type RelationshipKind,
  defaultActionCardProps,
  defaultCompetitorCardProps,
  defaultObjectiveCardProps,
  defaultStakeholderCardProps,
  defaultWhitespaceCardProps,
} from './shapes.ts'

/** Key in a shape's or binding's `meta` that marks the whole item internal (`true`). */
export const INTERNAL_META_KEY = 'keyplanInternal'

/**
 * Key in a shape's `meta` (beside {@link INTERNAL_META_KEY}) that says its mark came from the
 * internal item it is inside ([A39]): it is visible again when it leaves that item or the item is
 * marked visible. Only the team's page reads it; the mark alone decides where a record belongs.
 */
export const INTERNAL_FROM_PARENT_META_KEY = 'keyplanInternalFromParent'

/**
 * Key in an internal item's `meta` (beside {@link INTERNAL_META_KEY}) that says the server kept it
 * when a guest deleted the visible card it was, because the team had written internal values on it
 * ([A40]): `{ by: <the guest's user id>, at: <ms since epoch> }`. The team's page tells of it; the
 * guest who deleted it may re-create it (its undo), and the server then merges it back.
 */
export const KEPT_FROM_GUEST_META_KEY = 'keyplanKeptFromGuest'

/** True when `record` is a copy kept from a guest's delete ([A40]); a mark set to null (the team made it visible) is none. */
export function isKeptFromGuest(record: unknown): boolean {
  return isPlainObject(record) && isPlainObject(record.meta) && isPlainObject(record.meta[KEPT_FROM_GUEST_META_KEY])
}

/** Suffix of the internal document's room name: `<workshopId>/<board>/internal`. */
export const INTERNAL_ROOM_SUFFIX = 'internal'

/** The two documents of a board. */
export type BoardPart = 'shared' | 'internal'

/** The room name of a board's internal document. */
export function internalRoomName(workshopId: string, board: string): string {
  return `${workshopId}/${board}/${INTERNAL_ROOM_SUFFIX}`
}

/** The room name of one document of a board: its shared one ({@link syncRoomName}) or its internal one. */
export function partRoomName(workshopId: string, board: BoardId, part: BoardPart): string {
  return part === 'internal' ? internalRoomName(workshopId, board) : syncRoomName(workshopId, board)
}

/**
 * The values the shared document keeps in internal fields: each card type's default props, but for
 * a stakeholder's influence and attitude the defaults of before they could be unassessed (Medium,
 * Neutral), which every stored shared document holds in their place. A new card's null (not
 * assessed) goes to the internal document's overlay like any value ({@link UNASSESSED}).
 */
const CARD_DEFAULTS: Record<string, JsonObject> = {
  stakeholder: { ...defaultStakeholderCardProps(), influence: 'medium', attitude: 'neutral' },
  action: { ...defaultActionCardProps() },
  objective: { ...defaultObjectiveCardProps() },
  whitespace: { ...defaultWhitespaceCardProps() },
  competitor: { ...defaultCompetitorCardProps() },
}

/**
 * The fields whose sensitivity the facilitator may choose, with the default: card props as
 * `<shape type>.<prop>`, relationship lines as `relationship.<kind>` (the whole arrow and its
 * bindings). Geometry (`w`, `h`) and link lists are always visible.
 */
export const DEFAULT_SENSITIVITY = {
  'stakeholder.name': 'visible',
  'stakeholder.jobTitle': 'visible',
  'stakeholder.department': 'visible',
  'stakeholder.buyingRole': 'internal',
  'stakeholder.influence': 'internal',
  'stakeholder.attitude': 'internal',
  'stakeholder.owner': 'internal',
  'stakeholder.notes': 'internal',
  'relationship.reports_to': 'visible',
  'relationship.influences': 'internal',
  'relationship.conflict': 'internal',
  'relationship.ally': 'internal',
  'action.title': 'visible',
  'action.owner': 'visible',
  'action.due': 'visible',
  'action.status': 'visible',
  'objective.objective': 'visible',
  'objective.kpiType': 'visible',
  'objective.measure': 'visible',
  'objective.unit': 'visible',
  'objective.baseline': 'internal',
  'objective.target': 'internal',
  'objective.targetDate': 'visible',
  'objective.owner': 'visible',
  'objective.status': 'visible',
  'objective.strategy': 'visible',
  'whitespace.row': 'visible',
  'whitespace.column': 'visible',
  'whitespace.kind': 'visible',
  'whitespace.competitor': 'visible',
  'whitespace.value': 'internal',
  'whitespace.probability': 'internal',
  'whitespace.notes': 'internal',
  'competitor.name': 'visible',
  'competitor.position': 'visible',
  'competitor.strengths': 'visible',
  // The team's read of the competition (QA q33b 4); until December 2026 both were visible by default.
  // A board stored before is moved at its next load: its balance marker names the old sensitivity.
  'competitor.weaknesses': 'internal',
  'competitor.relationship': 'internal',
} as const satisfies Record<string, FieldSensitivity>

/** A field's sensitivity. */
export const FieldSensitivitySchema = lazySchema(() => z.enum(['visible', 'internal']))
export type FieldSensitivity = z.infer<typeof FieldSensitivitySchema>

/** A key of {@link DEFAULT_SENSITIVITY}. */
export type SensitiveField = keyof typeof DEFAULT_SENSITIVITY

/** Every field whose sensitivity may be chosen, in display order. */
export const SENSITIVE_FIELDS = Object.keys(DEFAULT_SENSITIVITY) as SensitiveField[] // the keys of a literal object

/** The sensitivity of every field of a workshop. */
export type Sensitivity = Record<SensitiveField, FieldSensitivity>

/**
 * A workshop's chosen sensitivities (body of `PUT /api/workshops/:id/sensitivity`, and how they are
 * stored): only fields that differ from the defaults need to be listed; unknown keys are refused.
 * @example `{ "fields": { "stakeholder.department": "internal" } }`
 */
export const SensitivityOverridesSchema = lazySchema(() => z.partialRecord(z.enum(SENSITIVE_FIELDS as [SensitiveField, ...SensitiveField[]]), FieldSensitivitySchema))
export type SensitivityOverrides = z.infer<typeof SensitivityOverridesSchema>

/** What to store: only the fields that differ from their defaults, so a field at its default follows later defaults. */
export function overridesOf(sensitivity: Partial<Sensitivity>): SensitivityOverrides {
  const out: SensitivityOverrides = {}
  for (const field of SENSITIVE_FIELDS) {
    const level = sensitivity[field]
    if (level !== undefined && level !== DEFAULT_SENSITIVITY[field]) out[field] = level
  }
  return out
}

/**
 * The overrides once `changes` are made to `stored`: the fields named take their new sensitivity,
 * the others keep theirs (QA q36a: two facilitators changing two fields at once each sent every
 * field as their panel had loaded it, and the second undid the first).
 */
export function changedOverrides(stored: SensitivityOverrides | undefined, changes: SensitivityOverrides): SensitivityOverrides {
  return overridesOf({ ...resolveSensitivity(stored), ...changes })
}

/** Body and answer of the sensitivity API: the overrides, and (answer only) the resulting sensitivity. */
export const SensitivityBodySchema = lazySchema(() => z.object({ fields: SensitivityOverridesSchema }).strict())

/** Answer of `GET`/`PUT /api/workshops/:id/sensitivity`: the overrides and the resulting sensitivity of every field. */
export const SensitivityViewSchema = lazySchema(() => z.object({
  fields: SensitivityOverridesSchema,
  sensitivity: z.record(z.string(), FieldSensitivitySchema),
}))
export type SensitivityView = z.infer<typeof SensitivityViewSchema>

/** The sensitivity of every field once `overrides` are applied to the defaults. */
export function resolveSensitivity(overrides: SensitivityOverrides | undefined): Sensitivity {
  return { ...DEFAULT_SENSITIVITY, ...(overrides ?? {}) }
}

/** True when the card field `type.prop` is internal (props without a sensitivity are visible). */
export function isInternalField(sensitivity: Sensitivity, type: string, prop: string): boolean {
  return (sensitivity as Record<string, FieldSensitivity | undefined>)[`${type}.${prop}`] === 'internal' // keys outside the map read undefined
}

function metaOf(record: JsonObject): JsonObject | undefined {
  const meta = Object.hasOwn(record, 'meta') ? record.meta : undefined
  return isPlainObject(meta) ? meta : undefined
}

/**
 * True when the whole record is internal: marked so (`meta.keyplanInternal === true`), or an
 * arrow drawn as a relationship line of an internal kind. Bindings follow their arrow: see
 * {@link isInternalBinding}.
 */
export function isInternalRecord(record: JsonObject, sensitivity: Sensitivity): boolean {
  const meta = metaOf(record)
  if (meta?.[INTERNAL_META_KEY] === true) return true
  const kind = meta?.relationship
  if (record.typeName === 'shape' && record.type === 'arrow' && typeof kind === 'string' && (RELATIONSHIP_KINDS as readonly string[]).includes(kind)) {
    return (sensitivity as Record<string, FieldSensitivity | undefined>)[`relationship.${kind}`] === 'internal' // a known kind
  }
  return false
}

/**
 * Older versions of records written back (a snapshot restore: `records`, by id) with the internal
 * marks the team gave since: a record marked internal now (`live`, the records as they are now)
 * stays internal, its fields returning, and so does every shape inside an internal one as written
 * back (marked as from its parent, [A39]). A mark that came only from a parent is left to that
 * rule: a card written back outside the internal frame it was in is visible again. So a guest
 * never sees again what the team hid.
 */
export function keepInternalMarks(records: ReadonlyMap<string, JsonObject>, live: ReadonlyMap<string, JsonObject>): Map<string, JsonObject> {
  const marked = new Map<string, JsonObject>()
  const withMark = (record: JsonObject, fromParent: boolean): JsonObject => {
    const meta = metaOf(record) ?? {}
    return { ...record, meta: { ...meta, [INTERNAL_META_KEY]: true, ...(fromParent ? { [INTERNAL_FROM_PARENT_META_KEY]: true } : {}) } }
  }
  for (const [id, record] of records) {
    const liveMeta = live.get(id) && metaOf(live.get(id) as JsonObject) // has: just checked
    const ownMarkNow = liveMeta?.[INTERNAL_META_KEY] === true && liveMeta[INTERNAL_FROM_PARENT_META_KEY] !== true
    marked.set(id, ownMarkNow && metaOf(record)?.[INTERNAL_META_KEY] !== true ? withMark(record, false) : record)
  }
  /** Whether a shape's parent chain, as written back, holds an internal shape (bounded by the records' count). */
  const insideInternal = (record: JsonObject): boolean => {
    let parentId = record.parentId
    for (let steps = 0; typeof parentId === 'string' && steps < marked.size; steps++) {
      const parent = marked.get(parentId)
      if (!parent) return false
      if (metaOf(parent)?.[INTERNAL_META_KEY] === true) return true
      parentId = parent.parentId
    }
    return false
  }
  for (const [id, record] of marked) {
    if (record.typeName !== 'shape' || metaOf(record)?.[INTERNAL_META_KEY] === true) continue
    if (insideInternal(record)) marked.set(id, withMark(record, true))
  }
  return marked
}

/**
 * The relationship kinds whose lines are customer-facing under `sensitivity`, in
 * {@link RELATIONSHIP_KINDS} order: the only kinds a guest sees, and the only ones a guest's line may
 * have (a line of any other kind belongs in the internal document, which guests cannot write).
 * @example visibleRelationshipKinds(DEFAULT_SENSITIVITY) // ['reports_to']
 */
export function visibleRelationshipKinds(sensitivity: Sensitivity): RelationshipKind[] {
  return RELATIONSHIP_KINDS.filter((kind) => sensitivity[`relationship.${kind}`] !== 'internal')
}

/** True when a binding belongs with an internal arrow (its `fromId` is one of `internalIds`). */
export function isInternalBinding(record: JsonObject, internalIds: ReadonlySet<string>): boolean {
  return record.typeName === 'binding' && typeof record.fromId === 'string' && internalIds.has(record.fromId)
}

/**
 * Internal card props whose new cards' value (null: not assessed) differs from the stand-in the
 * shared document keeps ({@link CARD_DEFAULTS}): a card a guest makes holds null there, which tells
 * nothing, and is no leak ([A31]).
 */
const UNASSESSED: Readonly<Record<string, readonly string[]>> = { stakeholder: ['influence', 'attitude'] }

/** The default of a card prop, or undefined for props that have no sensitivity. */
export function fieldDefault(type: string, prop: string): JsonValue | undefined {
  const defaults = CARD_DEFAULTS[type]
  return defaults && Object.hasOwn(defaults, prop) ? defaults[prop] : undefined
}

/** The internal props of a record (card props whose sensitivity is internal). */
export function internalPropsOf(record: JsonObject, sensitivity: Sensitivity): string[] {
  if (record.typeName !== 'shape' || typeof record.type !== 'string' || !CARD_DEFAULTS[record.type]) return []
  const props = Object.hasOwn(record, 'props') ? record.props : undefined
  if (!isPlainObject(props)) return []
  const type = record.type
  return Object.keys(props).filter((prop) => isInternalField(sensitivity, type, prop) && fieldDefault(type, prop) !== undefined)
}

/** Deep equality of JSON values. */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  // Two primitives that are not identical differ (the page's writes compare strings and numbers).
  if ((typeof a !== 'object' || a === null) && (typeof b !== 'object' || b === null)) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The internal props of `record` that hold something other than their default: what the shared
 * document may never hold ([A31]).
 */
export function leakedProps(record: JsonObject, sensitivity: Sensitivity): string[] {
  const props = record.props
  if (!isPlainObject(props) || typeof record.type !== 'string') return []
  const type = record.type
  return internalPropsOf(record, sensitivity).filter((prop) => !sameJson(props[prop], fieldDefault(type, prop)) && !(props[prop] === null && UNASSESSED[type]?.includes(prop)))
}

/**
 * `split` (a record's shared part, {@link splitRecord}) with each internal field that `now` (the
 * shared document's record) holds as another stand-in kept as it is: a guest's card holds null for
 * a stakeholder's influence and attitude ({@link UNASSESSED}), which the team's split would turn
 * into Medium and Neutral, telling a guest that the team judged the person.
 */
export function keepStandIns(split: JsonObject, now: JsonObject | undefined, sensitivity: Sensitivity): JsonObject {
  const type = split.type
  const kept = typeof type === 'string' ? UNASSESSED[type] : undefined
  const nowProps = now?.props
  if (!kept || !isPlainObject(nowProps) || !isPlainObject(split.props)) return split
  let props: JsonObject | undefined
  for (const prop of kept) {
    if (nowProps[prop] !== null || split.props[prop] === null || !isInternalField(sensitivity, type as string, prop)) continue
    props ??= { ...split.props }
    props[prop] = null
  }
  return props ? { ...split, props } : split
}

/** A visible record split into what the shared document holds and its overlay of internal fields. */
export type SplitRecord = {
  /** The record with every internal field at its default. */
  shared: JsonObject
  /** `props.<key>` → value of each internal field. */
  overlay: Map<string, JsonValue>
}

/**
 * Splits a visible record into its shared part and the overlay of its internal fields (every
 * internal field is listed, default or not, so that writing the overlay replaces older values).
 */
export function splitRecord(record: JsonObject, sensitivity: Sensitivity): SplitRecord {
  const internal = internalPropsOf(record, sensitivity)
  if (internal.length === 0 || typeof record.type !== 'string') return { shared: record, overlay: new Map() }
  const props = record.props as JsonObject // internalPropsOf found props to be an object
  const sharedProps: JsonObject = { ...props }
  const overlay = new Map<string, JsonValue>()
  for (const prop of internal) {
    const value = props[prop]
    if (value !== undefined) overlay.set(`props.${prop}`, value)
    sharedProps[prop] = fieldDefault(record.type, prop) ?? null
  }
  return { shared: { ...record, props: sharedProps }, overlay }
}

/**
 * A visible record with its overlay applied: the record the team sees. Overlay fields the record
 * does not have (another type's props, a stale entry) are ignored, and only internal fields are
 * taken, so an overlay never changes what a guest sees the record to be.
 */
export function mergeOverlay(record: JsonObject, overlay: ReadonlyMap<string, JsonValue> | undefined, sensitivity: Sensitivity): JsonObject {
  if (!overlay || overlay.size === 0) return record
  if (record.typeName !== 'shape' || typeof record.type !== 'string' || !CARD_DEFAULTS[record.type]) return record
  const props = Object.hasOwn(record, 'props') ? record.props : undefined
  if (!isPlainObject(props)) return record
  const type = record.type
  let merged: JsonObject | undefined
  // Each overlay field checked on its own (as internalPropsOf would judge it), not every prop of
  // the record: this runs for every card when a team page joins.
  for (const [field, value] of overlay) {
    if (!field.startsWith('props.')) continue
    const prop = field.slice('props.'.length)
    if (!Object.hasOwn(props, prop) || !isInternalField(sensitivity, type, prop) || fieldDefault(type, prop) === undefined) continue
    merged ??= { ...props }
    merged[prop] = value
  }
  return merged ? { ...record, props: merged } : record
}

/**
 * Whether an overlay field may be written to the internal document: `props.<key>` of a prop that
 * has a sensitivity on some card type. Its value is judged by the merged record's validation.
 */
export function isOverlayField(field: string): boolean {
  if (!field.startsWith('props.')) return false
  const prop = field.slice('props.'.length)
  return SENSITIVE_FIELDS.some((key) => key.endsWith(`.${prop}`) && !key.startsWith('relationship.'))
}

/** The card types that have the prop, for validating an overlay value. */
export function cardTypesWithProp(prop: string): string[] {
  return Object.keys(CARD_DEFAULTS).filter((type) => Object.hasOwn(CARD_DEFAULTS[type] as JsonObject, prop)) // keys of CARD_DEFAULTS
}

/**
 * What a guest may see of a record, as the shared document would hold it: null for an internal
 * item, else the record with every internal field at its default. For views of stored data taken
 * before the record's values were split (history, old snapshots).
 * @example customerSafeRecord(card, sensitivity)?.props // { ..., attitude: 'neutral', notes: '' }
 */
export function customerSafeRecord(record: JsonObject, sensitivity: Sensitivity, internalIds: ReadonlySet<string> = new Set()): JsonObject | null {
  if (isInternalRecord(record, sensitivity) || isInternalBinding(record, internalIds)) return null
  return splitRecord(record, sensitivity).shared
}

/**
 * The records the team sees: the shared document's records with their overlays, plus the internal
 * items (which win over a shared record of the same id, left by a page mid-move).
 * @example mergeParts(readRecords(shared), readRecords(internal), readOverlays(internal), sensitivity)
 */
export function mergeParts(
  shared: ReadonlyMap<string, JsonObject>,
  internal: ReadonlyMap<string, JsonObject>,
  overlays: ReadonlyMap<string, ReadonlyMap<string, JsonValue>>,
  sensitivity: Sensitivity,
): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>()
  for (const [id, record] of shared) out.set(id, mergeOverlay(record, overlays.get(id), sensitivity))
  for (const [id, record] of internal) out.set(id, record)
  return out
}

/**
 * The ids of `records` that are inside something a guest does not see ([A39]): a record whose
 * parent, or an ancestor's parent, is one of `hidden` or a shape that `records` lacks (an internal
 * frame lives in the other document). For guests' views of stored boards, which must hold no
 * record whose parent is internal or missing, whatever wrote it.
 * @example insideHidden(readRecords(sharedDoc), new Set(recordIds(internalDoc))) // notes in internal frames
 */
export function insideHidden(records: ReadonlyMap<string, JsonObject>, hidden: ReadonlySet<string>): Set<string> {
  const known = new Map<string, boolean>()
  const isInside = (id: string): boolean => {
    const trail: string[] = []
    let result = false
    let at: string | undefined = id
    while (at !== undefined) {
      const settled = known.get(at)
      if (settled !== undefined) {
        result = settled
        break
      }
      trail.push(at)
      known.set(at, false) // a cycle of parents ends here
      const parentId: unknown = records.get(at)?.parentId
      if (typeof parentId !== 'string' || !parentId.startsWith('shape:')) break
      if (hidden.has(parentId) || !records.has(parentId)) {
        result = true
        break
      }
      at = parentId
    }
    for (const step of trail) known.set(step, result)
    return result
  }
  const out = new Set<string>()
  for (const id of records.keys()) if (isInside(id)) out.add(id)
  return out
}
