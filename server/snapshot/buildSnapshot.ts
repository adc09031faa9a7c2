/**
 * Builds a snapshot from the boards' current documents: the plan record (through `readRecords`,
 * `recordMigrator` and `extractPlan`) and each board's full Yjs state ([S16]) that was read. Total: whatever a
 * board holds, the result is a valid plan record; what could not be read is under `warnings`.
 */
import type { TLRecord } from '@tldraw/tlschema'
import type { JsonObject, JsonValue } from '@tldraw/utils'
import * as Y from 'yjs'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { logGeneration, readOverlays, readRecordsSince, readStoredSchema, type RecordsRead } from '../../shared/docLayout.ts'
import { mergeOverlay, resolveSensitivity } from '../../shared/sensitivity.ts'
import { extractPlan, type ValidatedRecords } from '../../shared/extractPlan.ts'
import { PLAN_SCHEMA_VERSION, emptyWhitespace, type PlanRecord, type PlanWarning, type SnapshotTrigger } from '../../shared/plan.ts'
import { planHealth } from '../../shared/planHealth.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'
import { sharedKeyplanSchema } from '../../shared/schema.ts'
import { dateInTimeZone } from '../../shared/timeZone.ts'
import type { VoteRecord } from '../../shared/votes.ts'
import type { NewSnapshot, StoredWorkshop } from '../store/Store.ts'
import type { BoardDoc } from './boardDocs.ts'

/** What a snapshot is of, besides the boards. */
export type SnapshotInput = {
  id: string
  workshop: Pick<StoredWorkshop, 'id' | 'account' | 'title' | 'timeZone'>
  /** ISO date-time. */
  takenAt: string
  trigger: SnapshotTrigger
  label: string | null
  participants: readonly string[]
  boards: Record<BoardId, BoardDoc>
  /** When a board last changed and the last session ended, for health's freshness ([PH12]). */
  freshness?: { lastChangedAt: string | null; lastWorkshopAt: string | null }
  /** The workshop's dot votes (revealed ones enter the plan). */
  votes?: readonly VoteRecord[]
}

const schema = sharedKeyplanSchema()

/**
 * The records each live board's last extraction found valid, by the room's document: the next
 * snapshot or live plan of a loaded room validates only the fields that changed since
 * ({@link ValidatedRecords}). Dropped with the document when its room unloads; a board read from
 * storage is a new document every time and is validated whole.
 */
const validatedByDoc = new WeakMap<Y.Doc, ValidatedRecords>()

function validatedOf(boardDoc: BoardDoc): ValidatedRecords | undefined {
  if (!boardDoc.live) return undefined
  let validated = validatedByDoc.get(boardDoc.doc)
  if (!validated) {
    validated = new Map()
    validatedByDoc.set(boardDoc.doc, validated)
  }
  return validated
}
/**
 * The records each live board's last extraction read, with the versions of its two documents and
 * the sensitivity they were merged by: a board whose documents are at the same versions (equal
 * versions mean equal content) and whose sensitivity is the same is not composed, merged and
 * migrated again, and its records are the very objects {@link validatedByDoc} holds, so
 * validating them is an identity check. A board that changed is read again from what changed: the
 * records whose log entries no transaction touched since (`readRecordsSince`), with the same
 * overlay, keep their merged objects, so only changed records are composed, merged and validated.
 * Dropped with the document when its room unloads.
 */
type ReadRecords = {
  shared: Y.Snapshot
  internalDoc: Y.Doc | undefined
  internal: Y.Snapshot | null
  sensitivity: string
  records: unknown[]
  warnings: PlanWarning[]
  parts: BoardParts
}
const readByDoc = new WeakMap<Y.Doc, ReadRecords>()

/** A live board's documents as read, and their records merged ([A36]), before any migration. */
type BoardParts = {
  shared: RecordsRead
  internal: RecordsRead | undefined
  overlays: Map<string, Map<string, JsonValue>>
  merged: Map<string, JsonObject>
}

/** Limits of PlanWarningSchema. */
const MAX_SHAPE_ID = 200
const MAX_MESSAGE = 1000

/**
 * Builds the snapshot; never throws on board content. The plan is not parsed here: the store
 * validates it before storing ([S18]), and {@link withEmptyPlan} is the fallback should that fail.
 */
export function buildSnapshot(input: SnapshotInput): NewSnapshot {
  const warnings: PlanWarning[] = []
  const records: Partial<Record<BoardId, unknown[]>> = {}
  for (const board of BOARD_IDS) {
    const unreadable = input.boards[board].unreadableRows ?? 0
    if (unreadable > 0) {
      warnings.push(warning(board, undefined, `${unreadable} stored change(s) of the board could not be read and are left out of this snapshot`))
    }
    try {
      records[board] = boardRecords(board, input.boards[board], warnings)
    } catch (error) {
      warnings.push(warning(board, undefined, `The board could not be read: ${String(error)}`))
    }
  }
  const boards: NewSnapshot['boards'] = {}
  for (const board of BOARD_IDS) {
    // A board read without its state is copied from an earlier snapshot by the store.
    const state = input.boards[board].state
    if (state) boards[board] = state
  }
  try {
    const draft = extractPlan({
      workshop: input.workshop,
      boards: records,
      takenAt: input.takenAt,
      trigger: input.trigger,
      label: input.label,
      participants: input.participants,
      ...(input.freshness ? { freshness: input.freshness } : {}),
      votes: input.votes ?? [],
      validated: Object.fromEntries(BOARD_IDS.flatMap((board) => {
        const validated = validatedOf(input.boards[board])
        return validated ? [[board, validated]] : []
      })),
      // [P9] overdue by the calendar date in the workshop's time zone when the snapshot is taken.
      today: dateInTimeZone(new Date(input.takenAt), input.workshop.timeZone),
    })
    return { plan: { ...draft, id: input.id, warnings: [...warnings, ...draft.warnings] }, boards }
  } catch (error) {
    return withEmptyPlan(input, boards, `The plan could not be extracted: ${String(error)}`, warnings)
  }
}

/**
 * The snapshot with its board states but a plan without items, saying why: for when extraction
 * throws or its result fails validation, which it is built never to do.
 */
export function withEmptyPlan(
  input: Omit<SnapshotInput, 'boards'>,
  boards: NewSnapshot['boards'],
  reason: string,
  warnings: readonly PlanWarning[] = [],
): NewSnapshot {
  const plan: PlanRecord = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: input.id,
    workshopId: input.workshop.id,
    account: input.workshop.account,
    title: input.workshop.title,
    takenAt: input.takenAt,
    trigger: input.trigger,
    label: input.label,
    participants: [...input.participants],
    swot: { strengths: [], weaknesses: [], opportunities: [], threats: [], unsorted: [] },
    stakeholders: [],
    relationships: [],
    objectives: [],
    actions: [],
    whitespace: emptyWhitespace(),
    competitors: [],
    notes: [],
    health: planHealth(
      { swot: { strengths: [], weaknesses: [], opportunities: [], threats: [], unsorted: [] }, stakeholders: [], objectives: [], actions: [], whitespace: emptyWhitespace() },
      { today: input.takenAt.slice(0, 10), now: input.takenAt, lastChangedAt: null, lastWorkshopAt: null },
    ),
    votes: [],
    warnings: [...warnings, ...BOARD_IDS.map((board) => warning(board, undefined, reason))],
  }
  return { plan, boards }
}

/**
 * The board's records for extraction: a live board's records of its last read while its documents
 * are unchanged, else read again (from what changed, for a live board: {@link mergedParts}).
 */
function boardRecords(board: BoardId, boardDoc: BoardDoc, warnings: PlanWarning[]): unknown[] {
  if (!boardDoc.live) return migrated(board, boardDoc, [...mergedParts(boardDoc).merged.values()], warnings)
  // Versions taken now, with no await before the records are read: they describe what is read.
  const shared = Y.snapshot(boardDoc.doc)
  const internal = boardDoc.internal ? Y.snapshot(boardDoc.internal) : null
  const sensitivity = JSON.stringify(boardDoc.sensitivity ?? null)
  const last = readByDoc.get(boardDoc.doc)
  const same = (a: Y.Snapshot | null, b: Y.Snapshot | null) => (a === null || b === null ? a === b : Y.equalSnapshots(a, b))
  const sameParts = last !== undefined && last.internalDoc === boardDoc.internal && last.sensitivity === sensitivity
  if (last && sameParts && same(last.shared, shared) && same(last.internal, internal)) {
    warnings.push(...last.warnings)
    return last.records
  }
  const found: PlanWarning[] = []
  const parts = mergedParts(boardDoc, sameParts ? last.parts : undefined)
  const records = migrated(board, boardDoc, [...parts.merged.values()], found)
  readByDoc.set(boardDoc.doc, { shared, internalDoc: boardDoc.internal, internal, sensitivity, records, warnings: found, parts })
  warnings.push(...found)
  return records
}

/**
 * The board's records: the shared document's, merged with the internal document's items and
 * overlays (issue 13: the team's plan holds the internal part too; guests' views leave it out,
 * [A36]). With `previous` (the same documents and sensitivity, read earlier), a record whose
 * shared entries are untouched, whose overlay is the same and that was not internal keeps the
 * merged object of that read: the same result as merging everything again. An internal document
 * no transaction changed since (most edits are to the shared one) gives that read's records and
 * overlays as they are.
 */
function mergedParts(boardDoc: BoardDoc, previous?: BoardParts): BoardParts {
  const shared = readRecordsSince(boardDoc.doc, previous?.shared)
  if (!boardDoc.internal) return { shared, internal: undefined, overlays: new Map(), merged: shared.records }
  const untouched = previous?.internal !== undefined && previous.internal.generation === logGeneration(boardDoc.internal) ? previous : undefined
  const internal = untouched?.internal ?? readRecordsSince(boardDoc.internal, previous?.internal)
  const overlays = untouched?.overlays ?? readOverlays(boardDoc.internal)
  const sensitivity = boardDoc.sensitivity ?? resolveSensitivity(undefined)
  const merged = new Map<string, JsonObject>()
  for (const [id, record] of shared.records) {
    const before = previous?.merged.get(id)
    const kept =
      before !== undefined && previous?.shared.records.get(id) === record && !previous.internal?.records.has(id) && sameOverlay(previous.overlays.get(id), overlays.get(id))
    merged.set(id, kept ? before : mergeOverlay(record, overlays.get(id), sensitivity))
  }
  for (const [id, record] of internal.records) merged.set(id, record)
  return { shared, internal, overlays, merged }
}

/** True when two overlays of a record hold the very same values. */
function sameOverlay(a: ReadonlyMap<string, JsonValue> | undefined, b: ReadonlyMap<string, JsonValue> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  if (a.size !== b.size) return false
  for (const [field, value] of a) if (b.get(field) !== value) return false
  return true
}

/**
 * Records stored in the current schema are passed as they are (extraction validates each one);
 * records of an older or newer schema are migrated first, and those that cannot be are reported.
 */
function migrated(board: BoardId, boardDoc: BoardDoc, all: JsonObject[], warnings: PlanWarning[]): unknown[] {
  const stored = readStoredSchema(boardDoc.doc)
  if (relateStoredSchema(schema, stored) === 'same') return all
  const migrate = recordMigrator(schema, stored)
  const result: TLRecord[] = []
  for (const record of all) {
    const one = migrate(record)
    if (one.ok) result.push(one.record)
    else warnings.push(warning(board, idOf(record), one.error.message))
  }
  return result
}

function idOf(record: JsonObject): string | undefined {
  return typeof record.id === 'string' ? record.id.slice(0, MAX_SHAPE_ID) : undefined
}

function warning(board: BoardId, shapeId: string | undefined, message: string): PlanWarning {
  return { board, ...(shapeId ? { shapeId } : {}), message: message.slice(0, MAX_MESSAGE) }
}
