/**
 * The record pass of the update guard (`docs/server-rules.md` [R1]–[R10]): what an update does to
 * a board's records, and whether its writer may do it. It runs on the {@link UpdateOps} the
 * structural pass decoded, before anything is applied, stored or relayed, and reads the room's
 * doc only through its record index (`previewRecordChanges`).
 */
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import { isEqual, type JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import { previewRecordChanges, readRecordInTurn, readStoredSchema, type PreviewTurn } from '../../shared/docLayout.ts'
import { FORBIDDEN_FIELD_KEYS, isPlainObject, parseFieldPath, type LogEntry, type RecordPreview } from '../../shared/FieldIndex.ts'
import { isSelfBinding, parentFault, PARENT_FAULT_WORDS, type RecordLookup } from '../../shared/parentChains.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { recordMigrator } from '../../shared/recordMigration.ts'
import {
  isStampedType,
  isStampOf,
  mayChangeTemplates,
  mayDeleteRecord,
  rawCreatorStamp,
  templateRecordIds,
} from '../../shared/recordRights.ts'
import { sharedKeyplanSchema } from '../../shared/schema.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { RELATIONSHIP_STYLES, relationshipKindRead } from '../../shared/shapes.ts'
import { jsonEqual } from '../history/recordFields.ts'
import { forgetRecordSizes, recordSize } from './recordSize.ts'
import type { RecordVerdict, Refusal, UpdateOps, Writer } from './updateOps.ts'

/**
 * Size caps of record content ([R2]), in UTF-16 code units of JSON (`JSON.stringify(x).length`).
 * Far above what the page writes (a note with a long paragraph is ~2,000), far below what could
 * slow a peer.
 */
export const RECORD_LIMITS = {
  /** A record id. */
  idChars: 256,
  /** A whole record (base and overrides composed), except assets. */
  recordChars: 64 * 1024,
  /**
   * A whole asset record: a pasted image is inlined as a data URL (tldraw's default asset store),
   * so an asset is bounded by the frame cap (`MAX_FRAME_BYTES`, 16 MiB by default) rather than this.
   */
  assetChars: 16 * 1024 * 1024,
  /** A shape's `props.richText` (the text of a note, card or label). */
  richTextChars: 32 * 1024,
  /** A record's `meta`. */
  metaChars: 4 * 1024,
  /** Nesting depth of any value. */
  depth: 32,
} as const

/**
 * Rules of one of a board's two documents (issue 13, `server/sync/partRules.ts`), run by the record
 * pass on every record an update changes: each returns why it refuses, or null.
 */
export type PartRules = {
  /** A record the update creates, changes or deletes (its composed before and after). */
  checkRecord(id: string, preview: RecordPreview, writer: Writer): string | null
  /** Entries the update inserts for a record that has no base before or after it. */
  checkOrphans?(id: string, inserts: readonly LogEntry[]): string | null
  /**
   * [R5] The record `id` as the board's other document holds it whole, or null: a record new to
   * this document that the other one holds is a move between them, and keeps its creator.
   */
  otherPartRecord?(id: string): JsonObject | null
}

/** The schema every board is validated against, built once. */
const schema: TLSchema = sharedKeyplanSchema()
const ourSchema = schema.serialize()

type Refused = { ok: false; refusal: Refusal }

/** Longest close reason `ws` accepts, in UTF-8 bytes. */
const MAX_REASON_BYTES = 123
const utf8 = new TextEncoder()

function refuse(reason: string): Refused {
  // Reasons quote record ids and validator messages, which peers choose: no control characters
  // (they reach logs), and cut to what a close frame holds.
  let text = reason.replace(/[\u0000-\u001f\u007f]/g, '?')
  if (utf8.encode(text).length > MAX_REASON_BYTES) {
    while (utf8.encode(`${text}…`).length > MAX_REASON_BYTES) text = text.slice(0, -1)
    text = `${text}…`
  }
  return { ok: false, refusal: { code: CLOSE_CODES.updateRefused, reason: text } }
}

/** Short id for a close reason. */
const short = (id: string) => (id.length > 40 ? `${id.slice(0, 40)}…` : id)

/**
 * Why `value` may not be stored, or null: an object whose prototype is not `Object.prototype` (the
 * decoder turned a `__proto__` key into a prototype), a key in FORBIDDEN_FIELD_KEYS, a value
 * that is not JSON, or nesting deeper than {@link RECORD_LIMITS}.depth.
 */
function unsafeValue(value: unknown, depth: number): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'a number that is not finite'
  if (typeof value !== 'object') return `a value of type ${typeof value}`
  if (depth > RECORD_LIMITS.depth) return 'a value nested too deeply'
  if (Array.isArray(value)) {
    for (const item of value) {
      const why = unsafeValue(item, depth + 1)
      if (why) return why
    }
    return null
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return 'a __proto__ key'
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_FIELD_KEYS.has(key)) return `a ${key} key`
    const why = unsafeValue((value as Record<string, unknown>)[key], depth + 1) // an own key of a plain object
    if (why) return why
  }
  return null
}

/** Checks one inserted log entry on its own: its field is one the layout allows, its value is safe JSON. */
function checkInsert(entry: unknown): string | null {
  if (!Array.isArray(entry) || entry.length !== 3) return 'an entry that is not [id, field, value]'
  const [id, field, value] = entry as [unknown, unknown, unknown] // length checked just above
  if (typeof id !== 'string' || typeof field !== 'string') return 'an entry without string id and field'
  if (id.length === 0 || id.length > RECORD_LIMITS.idChars) return 'a record id of bad length'
  if (field === '') {
    if (!isPlainObject(value)) return `a base of ${short(id)} that is no object`
    if (!Object.hasOwn(value, 'id') || value.id !== id) return `a base of ${short(id)} with another id`
    if (!Object.hasOwn(value, 'typeName') || typeof value.typeName !== 'string') return `a base of ${short(id)} without typeName`
  } else if (!parseFieldPath(field)) {
    return `field "${field.slice(0, 40)}" of ${short(id)}, which no record has`
  }
  const why = unsafeValue(value, 0)
  return why ? `${short(id)} holds ${why}` : null
}

/** Why a composed record breaks a size cap, or null; its size measured from its last ({@link recordSize}). */
function oversized(doc: Y.Doc, id: string, record: JsonObject): string | null {
  const cap = record.typeName === 'asset' ? RECORD_LIMITS.assetChars : RECORD_LIMITS.recordChars
  const size = recordSize(doc, id, record)
  if (size.chars > cap) return 'is too large'
  if (size.metaChars !== undefined && size.metaChars > RECORD_LIMITS.metaChars) return 'has too large a meta'
  if (size.richTextChars !== undefined && size.richTextChars > RECORD_LIMITS.richTextChars) return 'has too long a text'
  return null
}

type Migrator = ReturnType<typeof recordMigrator>

/** Without a stored schema, and per stored schema object (Yjs hands out the same value until it changes). */
let migratorOfNone: Migrator | undefined
const migrators = new WeakMap<SerializedSchema, Migrator>()

function migratorFor(stored: SerializedSchema | null): Migrator {
  if (stored === null) return (migratorOfNone ??= recordMigrator(schema, null))
  let migrate = migrators.get(stored)
  if (!migrate) migrators.set(stored, (migrate = recordMigrator(schema, stored)))
  return migrate
}

/**
 * Per doc, the last version of each record that passed validation in an accepted update: the
 * known-good version its next change is validated against, so that only the values that change
 * are validated again. Any valid record of its type would do: the check stays complete however
 * old the entry is. A record validated once only is kept as `null` (most records are created and
 * never changed; a kept version is a copy, ~0.6 KB a note, issue 14): its first change after that
 * is validated whole, as its creation was, and kept.
 */
const knownGood = new WeakMap<Y.Doc, Map<string, TLRecord | null>>()
/** How many records of `doc` have a known-good version kept; for the tests of issue 14. */
export function keptKnownGood(doc: Y.Doc): number {
  let kept = 0
  for (const record of knownGood.get(doc)?.values() ?? []) if (record !== null) kept++
  return kept
}
/** More known-good records than this in one doc (records created and deleted over and over): start again. */
const MAX_KNOWN_GOOD = 50_000

/** No record ids. */
const NO_IDS: ReadonlySet<string> = new Set()

/** The schema the update leaves stored, or the refusal of the schema it writes ([R6]). */
function checkSchema(doc: Y.Doc, ops: UpdateOps): { ok: true; stored: ReturnType<typeof readStoredSchema> } | Refused {
  if (!ops.schema) return { ok: true, stored: readStoredSchema(doc) }
  // Only the schema this server runs may be written: it is what every client upgrades to
  // (docs/decisions/001 rule 4); anything else would make the board unreadable or unrestorable.
  if (!isEqual(ops.schema.value, ourSchema)) return refuse('a stored schema this server does not know')
  return { ok: true, stored: ourSchema }
}

/**
 * Judges what `ops` does to the records of `doc` and whether `writer` may do it; reads `doc` and
 * changes nothing. Every record the update creates or changes must validate against the board's
 * tldraw schema (migrated from the stored schema) within {@link RECORD_LIMITS}; template records
 * change only by the facilitator; a guest deletes only records that guest created; a created
 * shape or binding names its creator, who must be the writer, and never changes creator; an
 * arrow on the stakeholder map is drawn as its kind says.
 * @returns the ids of the records the update changes, or the refusal (close code 4422 and reason)
 * @example
 * const verdict = checkRecordOps(room.doc, ops, { role: 'guest', userId, connId, board: 'actions' })
 * if (!verdict.ok) connection.close(verdict.refusal.code, verdict.refusal.reason)
 */
export function checkRecordOps(doc: Y.Doc, ops: UpdateOps, writer: Writer, turn?: PreviewTurn, part?: PartRules): RecordVerdict {
  const measured: string[] = []
  const verdict = judgeRecords(doc, ops, writer, measured, turn, part)
  // A refused update's values are not kept for the next measure (up to an asset's 16 MiB each).
  if (!verdict.ok) forgetRecordSizes(doc, measured)
  return verdict
}

/** {@link checkRecordOps}, naming in `measured` the records whose sizes it measured. */
function judgeRecords(doc: Y.Doc, ops: UpdateOps, writer: Writer, measured: string[], turn?: PreviewTurn, part?: PartRules): RecordVerdict {
  if (writer.role === 'viewer') return refuse('viewers change nothing')
  for (const entry of ops.inserts) {
    const why = checkInsert(entry)
    if (why) return refuse(why)
  }
  const schemaCheck = checkSchema(doc, ops)
  if (!schemaCheck.ok) return schemaCheck
  // Within a turn, from what the turn's accepted updates left ([S26]): the index lags until it ends.
  const previews = previewRecordChanges(doc, ops.inserts, ops.deletes, ops.insertIds, turn)
  const migrate = migratorFor(schemaCheck.stored)
  // Records before the update are in the schema stored now, which the update may upgrade.
  const migrateBefore = ops.schema ? migratorFor(readStoredSchema(doc)) : migrate
  const templates = templateRecordIds(writer.board)
  const mayChangeTemplate = mayChangeTemplates(writer.role)
  let good = knownGood.get(doc)
  if (!good || good.size > MAX_KNOWN_GOOD) knownGood.set(doc, (good = new Map()))
  const validated: TLRecord[] = []
  const touched = new Set<string>()
  // Most updates delete no record: no set made for them (one per update).
  let deleted: Set<string> | undefined
  for (const [id, { before, after }] of previews) {
    if (before !== null && after === null) (deleted ??= new Set()).add(id)
  }
  // [R10] A record as the update leaves the board: touched by it, else as the turn left it, else in
  // the board's other document (a shape in a visible frame may be internal, and the reverse).
  const lookup: RecordLookup = (other) => {
    const preview = previews.get(other)
    const here = preview ? preview.after : readRecordInTurn(doc, other, turn)
    return here ?? part?.otherPartRecord?.(other) ?? null
  }
  for (const [id, preview] of previews) {
    const { before, after } = preview
    if (before === null && after === null) {
      // Overrides of a record without a base: the overlay entries of an internal document ([A32]).
      const why = part?.checkOrphans?.(id, ops.inserts)
      if (why) return refuse(`${short(id)} ${why}`)
      continue
    }
    if (after !== null && before !== null && jsonEqual(before, after)) continue
    touched.add(id)
    // [R4] A board is one page: a second one (tldraw's "Move to page › New page") would take its
    // shapes out of everyone's sight while the plan still lists them (QA q29d).
    if (after !== null && before === null && after.typeName === 'page' && id !== BOARD_PAGE_ID) return refuse(`${short(id)}: a board has one page`)
    if (after?.typeName === 'shape' && after.parentId !== before?.parentId && typeof after.parentId === 'string' && after.parentId.startsWith('page:') && after.parentId !== BOARD_PAGE_ID) {
      return refuse(`${short(id)} would leave the board's page: a board has one page`)
    }
    // A template shape the facilitator deleted is not re-created by anyone else either (the page
    // and document are left out: tldraw itself re-creates a missing default page).
    if (templates.has(id) && !mayChangeTemplate) {
      const changesStructure = before !== null ? changesTemplate(preview, migrateBefore, migrate) : after?.typeName === 'shape'
      if (changesStructure) return refuse(`${short(id)} is part of the board's template: only the facilitator changes it`)
    }
    if (after === null) {
      if (before !== null && !mayDelete(writer, before, deleted ?? NO_IDS, previews)) return refuse(`${short(id)} was created by someone else`)
      const partWhy = part?.checkRecord(id, preview, writer)
      if (partWhy) return refuse(`${short(id)} ${partWhy}`)
      continue
    }
    measured.push(id)
    const too = oversized(doc, id, after)
    if (too) return refuse(`${short(id)} ${too}`)
    const result = migrate(after, good.get(id) ?? undefined)
    if (!result.ok) return refuse(`${short(id)} is not a valid record: ${result.error.message.slice(0, 60)}`)
    validated.push(result.record)
    if (before !== null && (before.typeName !== after.typeName || before.type !== after.type)) {
      return refuse(`${short(id)} changes its type`)
    }
    const why =
      (before === null ? checkCreated(writer, after, () => part?.otherPartRecord?.(id) ?? null) : checkChanged(before, after)) ??
      checkRelationshipStyle(writer, result.record) ??
      checkPlacement(id, before, after, lookup)
    if (why) return refuse(`${short(id)} ${why}`)
    const partWhy = part?.checkRecord(id, preview, writer)
    if (partWhy) return refuse(`${short(id)} ${partWhy}`)
  }
  if (deleted) {
    for (const id of deleted) good.delete(id)
    forgetRecordSizes(doc, deleted)
  }
  for (const record of validated) good.set(record.id, good.has(record.id) ? record : null)
  return { ok: true, touched }
}

/** True when a template record's content changes (a schema upgrade rewriting it the same is no change). */
function changesTemplate(
  { before, after }: RecordPreview,
  migrateBefore: ReturnType<typeof recordMigrator>,
  migrateAfter: ReturnType<typeof recordMigrator>,
): boolean {
  if (after === null || before === null) return true
  const from = migrateBefore(before)
  const to = migrateAfter(after)
  return !(from.ok && to.ok ? isEqual(from.record, to.record) : isEqual(before, after))
}

/**
 * [R5] Creator stamp of a new shape or binding: the writer's own; guests must stamp. A record the
 * board's other document holds (`elsewhere`, read only for a stamp not the writer's) is moving
 * between the two (a team member marked it internal or visible): it keeps the stamp it has there,
 * whoever moves it.
 */
function checkCreated(writer: Writer, after: JsonObject, elsewhere: () => JsonObject | null): string | null {
  if (!isStampedType(after.typeName)) return null
  const stamp = rawCreatorStamp(after)
  // Unstamped content counts as the team's: only team and facilitator may write it so.
  if (stamp === undefined) return writer.role === 'guest' ? 'has no creator (meta.keyplanCreator)' : null
  if (isStampOf(stamp, writer)) return null
  // Only the team moves records between the documents (a guest never writes the internal one).
  if (writer.role === 'guest') return 'names another creator'
  const there = elsewhere()
  const moved = there !== null && there.typeName === after.typeName && isEqual(rawCreatorStamp(there) ?? null, stamp)
  return moved ? null : 'names another creator'
}

/**
 * [R10] A shape the update places (creates, or gives another parent) hangs from a chain that does
 * not come back to itself or run into a cycle, and a binding does not bind a shape to itself. Only a
 * placed shape's chain is walked (at most `MAX_NESTING` records, most often none: a card on the
 * page), so a drag or a text edit costs nothing here. A parent the board lacks is not refused: it
 * may be in the other document, on its way there, or deleted by a concurrent edit.
 */
function checkPlacement(id: string, before: JsonObject | null, after: JsonObject, lookup: RecordLookup): string | null {
  // Records stored before the rule stay editable: only what the update sets is judged.
  if (after.typeName === 'binding') return isSelfBinding(after) && (before === null || !isSelfBinding(before)) ? 'binds a shape to itself' : null
  if (after.typeName !== 'shape' || (before !== null && before.parentId === after.parentId)) return null
  const fault = parentFault(id, after.parentId, lookup)
  return fault ? PARENT_FAULT_WORDS[fault] : null
}

/** [R5] A record's creator never changes. */
function checkChanged(before: JsonObject, after: JsonObject): string | null {
  return isEqual(rawCreatorStamp(before) ?? null, rawCreatorStamp(after) ?? null) ? null : 'changes its creator'
}

/** [R9] On the stakeholder map, an arrow is drawn in the colour and dash of its kind, as the plan reads it. */
function checkRelationshipStyle(writer: Writer, record: TLRecord): string | null {
  if (writer.board !== 'stakeholders' || record.typeName !== 'shape' || record.type !== 'arrow') return null
  const kind = relationshipKindRead(record.meta.relationship)
  const { color, dash } = RELATIONSHIP_STYLES[kind]
  const props = record.props as { color: unknown; dash: unknown } // an arrow, validated above
  return props.color === color && props.dash === dash ? null : `is not drawn as a ${kind} line`
}

/**
 * [R7] Whether the writer may delete `record`. A guest deletes its own records, and a binding
 * whose end goes with an allowed delete or whose arrow it edits (tldraw drops the bindings of a
 * deleted shape, and unbinds an arrow that is moved away).
 */
function mayDelete(writer: Writer, record: JsonObject, deleted: ReadonlySet<string>, previews: ReadonlyMap<string, RecordPreview>): boolean {
  if (mayDeleteRecord(writer, record)) return true
  if (record.typeName !== 'binding') return false
  // A deleted end's own delete is judged by itself; the arrow (`fromId`) may be edited by anyone.
  if (typeof record.toId === 'string' && deleted.has(record.toId)) return true
  if (typeof record.fromId !== 'string') return false
  return deleted.has(record.fromId) || (previews.get(record.fromId)?.after ?? null) !== null
}
