import type { TLBinding, TLPage, TLRecord, TLShape } from '@tldraw/tlschema'
import type { JsonValue } from '@tldraw/utils'
import type { BoardId } from './boards.ts'
import { BOARD_TITLES } from './boards.ts'
import { frameContains, pageTransforms, readingOrder, shapeSize, applyMat, type Mat, type Placed } from './boardGeometry.ts'
import { currencyOf } from './currency.ts'
import { extractCompetitors, extractObjectives, extractWhitespace, headerAxis, headerLabel, type AxisHeader, type ObjectiveLinks } from './extractAccount.ts'
import {
  PLAN_SCHEMA_VERSION,
  SWOT_QUADRANTS,
  SWOT_QUADRANT_TITLES,
  type NoteBoard,
  type PlanAction,
  type PlanBoardNote,
  type PlanDraft,
  type PlanObjective,
  type PlanRelationship,
  type PlanStakeholder,
  type PlanVote,
  type PlanWarning,
  type PlanWhitespace,
  type SnapshotTrigger,
  type Swot,
  type SwotItem,
  type SwotQuadrant,
} from './plan.ts'
import { planHealth, type HealthPlan, type PlanHealth } from './planHealth.ts'
import { jsonEqual } from './FieldIndex.ts'
import { richTextToPlainText } from './richText.ts'
import { sharedKeyplanSchema } from './schema.ts'
import { RELATIONSHIP_KINDS, isOverdue, type ObjectiveCardShape, type RelationshipKind } from './shapes.ts'
import { rankItems, type VoteRecord } from './votes.ts'

/**
 * Plan extraction: from the records of a workshop's five boards to a {@link PlanDraft}.
 * Pure (no I/O, no clock: `takenAt` and `today` are inputs), built on tldraw's MIT packages
 * only, and total: a record it cannot read becomes a warning, never an exception. The rules
 * ([P1]–[P9]: validation, board of each section, quadrant frames, centre containment, the border
 * rule, reading order, bound arrows, actions; [P11]–[P15] objectives, whitespace and competitors,
 * in `extractAccount.ts`) are in `docs/plan-extraction.md`; the health score is `planHealth.ts`.
 */

/** What extraction needs to know about a workshop and the moment of the snapshot. */
export interface ExtractPlanInput {
  workshop: { id: string; account: string; title: string }
  /** Each board's records as JSON (shapes, bindings, pages, …); a missing board is empty. */
  boards: Partial<Record<BoardId, Iterable<unknown>>>
  /** ISO date-time of the snapshot. */
  takenAt: string
  trigger: SnapshotTrigger
  label: string | null
  /** Display names of the participants present. */
  participants: readonly string[]
  /** The workshop's local calendar date `YYYY-MM-DD`, for `overdue`. */
  today: string
  /** When a board last changed and the last workshop session ended, for health's freshness; unknown when absent. */
  freshness?: { lastChangedAt: string | null; lastWorkshopAt: string | null }
  /** The workshop's dot votes; the revealed ones become `votes`, ranked ([P10]). */
  votes?: readonly VoteRecord[]
  /** Per board, the records an earlier extraction of the same board validated (see {@link ValidatedRecords}). */
  validated?: Partial<Record<BoardId, ValidatedRecords>>
}

/**
 * The records of one board that an earlier extraction found valid, by id: a cache the caller keeps
 * between extractions of the same board. With it, a record whose fields hold the same values (or
 * the same nested objects) as its entry here is not validated again field by field, as tldraw's
 * own store does for every put (`validateUsingKnownGoodVersion`); a changed field is validated as
 * usual. Extraction reads it and refills it with the records it found valid this time; the plan is
 * the same with or without it ([P1]). Only for records nobody changes in place: the records of
 * `readRecords` are composed anew on every read and their nested values are never modified. The
 * same iterable passed again with the same cache must hold the same records (it is not read again).
 */
export type ValidatedRecords = Map<string, TLRecord>

/** A quadrant frame's prefix of deterministic ids, as laid out by the SWOT template. */
export const SWOT_FRAME_ID_PREFIX = 'shape:swot-'

/** The Keyplan schema's record types by type name (`shape`, `binding`, `page`, …). */
const recordTypes = new Map(Object.entries(sharedKeyplanSchema().types))
const MAX_MESSAGE = 300
/** Limits of the plan record (see plan.ts), applied here so every extracted draft is valid. */
const MAX_ID = 200
const MAX_TEXT = 10_000
const MAX_NAME = 200

/** One board's readable records, and what could not be read. */
interface Board {
  id: BoardId
  shapes: Map<string, TLShape>
  bindings: TLBinding[]
  transforms: Map<string, Mat | null>
  warnings: PlanWarning[]
  /** The validated-records cache the board was read with: the same for every read of a live board. */
  validated?: ValidatedRecords
  /** The board's page record (its meta holds the whitespace board's currency), when it has one. */
  page?: TLPage
}

/**
 * What the last extraction with a {@link ValidatedRecords} cache read from its records: the same
 * iterable passed again with the same cache (a caller that reuses a board's records while the board
 * is unchanged) is not read again. Extraction never changes a board's shapes, bindings or
 * transforms; its warnings are copied.
 */
const lastRead = new WeakMap<ValidatedRecords, { records: Iterable<unknown>; board: Board }>()

function readBoard(id: BoardId, records: Iterable<unknown> | undefined, validated?: ValidatedRecords): Board {
  const last = validated && records ? lastRead.get(validated) : undefined
  if (last && last.records === records && last.board.id === id) return { ...last.board, warnings: [...last.board.warnings] }
  const board = readRecordsOf(id, records, validated)
  if (validated && records) lastRead.set(validated, { records, board: { ...board, warnings: [...board.warnings] } })
  return board
}

function readRecordsOf(id: BoardId, records: Iterable<unknown> | undefined, validated?: ValidatedRecords): Board {
  const shapes = new Map<string, TLShape>()
  const bindings: TLBinding[] = []
  const warnings: PlanWarning[] = []
  const valid: TLRecord[] = []
  let page: TLPage | undefined
  for (const raw of records ?? []) {
    const record = validate(raw, validated)
    if ('error' in record) {
      warnings.push({ board: id, ...(record.id ? { shapeId: record.id } : {}), message: record.error })
      continue
    }
    valid.push(record)
    if (record.typeName === 'shape') shapes.set(record.id, record)
    else if (record.typeName === 'binding') bindings.push(record)
    else if (record.typeName === 'page') page ??= record
  }
  if (validated) {
    // Refilled, not added to: a record deleted from the board leaves the cache too.
    validated.clear()
    for (const record of valid) validated.set(record.id, record)
  }
  const board: Board = { id, shapes, bindings, transforms: pageTransforms(shapes), warnings, ...(validated ? { validated } : {}), ...(page ? { page } : {}) }
  // In the records' order (deleting the key just visited leaves a Map's iteration as it was).
  for (const shapeId of shapes.keys()) {
    if (board.transforms.get(shapeId) !== null) continue
    // [P1] Its parent chain does not reach the page: no page shows it, so nobody can see, select or
    // delete it there (QA q33a: a guest's card under "shape:nowhere" fed the team's plan unseen).
    const label = noteLabel(itemLabel(board, shapeId))
    shapes.delete(shapeId)
    warnings.push({ board: id, shapeId, ...label, message: 'Not on the board: its parent shape is missing (or its parents loop), so no page shows it; left out of the plan' })
  }
  return board
}

function validate(raw: unknown, validated: ValidatedRecords | undefined): TLRecord | { id: string | undefined; error: string } {
  if (typeof raw !== 'object' || raw === null) return { id: undefined, error: 'Not a tldraw record' }
  const { id, typeName } = raw as { id?: unknown; typeName?: unknown } // reading two fields before validation
  const recordId = typeof id === 'string' ? id.slice(0, MAX_ID) : undefined
  const type = typeof typeName === 'string' ? recordTypes.get(typeName) : undefined
  if (!type) return { id: recordId, error: `Unknown record type ${String(typeName).slice(0, 50)}` }
  if (typeof id === 'string' && id.length > MAX_ID) return { id: recordId, error: `Record id longer than ${MAX_ID} characters` }
  const before = typeof id === 'string' ? validated?.get(id) : undefined
  try {
    return type.validate(raw, before?.typeName === typeName ? before : undefined)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { id: recordId, error: `Invalid ${String(typeName)} record: ${reason}`.slice(0, MAX_MESSAGE) }
  }
}

interface PlacedShape extends Placed {
  shape: TLShape
}

/** Places a shape on the page; `null` when its position is unknown. */
function place(board: Board, shape: TLShape, lines = 1): PlacedShape | null {
  const transform = board.transforms.get(shape.id)
  if (!transform) return null
  const size = shapeSize(shape, lines)
  return { id: shape.id, shape, center: applyMat(transform, { x: size.w / 2, y: size.h / 2 }), h: size.h }
}

function shapesOfType<K extends TLShape['type']>(board: Board, type: K): Extract<TLShape, { type: K }>[] {
  const found: Extract<TLShape, { type: K }>[] = []
  for (const shape of board.shapes.values()) {
    if (shape.type === type) found.push(shape as Extract<TLShape, { type: K }>) // narrowed by the check above
  }
  return found
}

function inReadingOrder<S extends TLShape>(board: Board, shapes: readonly S[]): S[] {
  const placed: PlacedShape[] = []
  const unplaced: S[] = []
  for (const shape of shapes) {
    const where = place(board, shape)
    if (where) placed.push(where)
    else unplaced.push(shape)
  }
  // Shapes with an unknown position go last, in id order, so the output stays deterministic.
  unplaced.sort((p, q) => (p.id < q.id ? -1 : 1))
  return [...readingOrder(placed).map((p) => p.shape as S), ...unplaced] // placed from `shapes`
}

function authorOf(shape: TLShape): string | undefined {
  const author = shape.meta.createdBy ?? shape.meta.author
  return typeof author === 'string' && author !== '' ? author.slice(0, MAX_NAME) : undefined
}

type QuadrantFrame = { id: string; transform: Mat; w: number; h: number }

function quadrantFrames(board: Board): Map<SwotQuadrant, QuadrantFrame[]> {
  const frames = shapesOfType(board, 'frame')
  const result = new Map<SwotQuadrant, QuadrantFrame[]>()
  for (const quadrant of SWOT_QUADRANTS) {
    const byId = frames.filter((frame) => frame.id === `${SWOT_FRAME_ID_PREFIX}${quadrant}`)
    const title = SWOT_QUADRANT_TITLES[quadrant].toLowerCase()
    const chosen = byId.length > 0 ? byId : frames.filter((frame) => frame.props.name.trim().toLowerCase() === title)
    const located = chosen.flatMap((frame) => {
      const transform = board.transforms.get(frame.id)
      return transform ? [{ id: frame.id, transform, w: frame.props.w, h: frame.props.h }] : []
    })
    result.set(quadrant, located)
  }
  return result
}

type QuadrantOfFrame = { quadrant: SwotQuadrant; frame: QuadrantFrame }

/**
 * Whether a shape of `size` placed by `transform` runs past `frame`'s edges (by more than a pixel),
 * where the canvas clips it.
 */
function runsPast(transform: Mat, size: { w: number; h: number }, frame: QuadrantFrame): boolean {
  const inset = Math.min(1, size.w / 2, size.h / 2)
  const corners = [
    { x: inset, y: inset },
    { x: size.w - inset, y: inset },
    { x: inset, y: size.h - inset },
    { x: size.w - inset, y: size.h - inset },
  ]
  return corners.some((corner) => !frameContains(frame.transform, frame, applyMat(transform, corner)))
}

/** Parent links followed at most, looking for a quadrant frame above a shape (a cycle has no transform anyway). */
const MAX_ANCESTORS = 64

/**
 * [P5] The quadrant of the nearest quadrant frame among a shape's ancestors (through groups and
 * other frames), if any: the canvas draws a frame's children clipped to it, so a note that grew
 * past its quadrant's edge is still shown, and read, in that quadrant.
 */
function quadrantAbove(board: Board, shape: TLShape, frameQuadrants: ReadonlyMap<string, QuadrantOfFrame>): QuadrantOfFrame | undefined {
  let parentId: string = shape.parentId
  for (let depth = 0; depth < MAX_ANCESTORS; depth++) {
    const quadrant = frameQuadrants.get(parentId)
    if (quadrant) return quadrant
    const parent = board.shapes.get(parentId)
    if (!parent) return undefined
    parentId = parent.parentId
  }
  return undefined
}

/**
 * The SWOT item a note, text or geo shape makes (null without text), by the validated shape object:
 * a shape unchanged since an earlier extraction (the same object, see {@link ValidatedRecords})
 * gives the very item it gave then, so its text is not read again and a validated plan's
 * {@link SwotItem} is recognised as such. Items are never changed once made.
 */
const swotItems = new WeakMap<TLShape, { item: SwotItem; cut: boolean; lines: number } | null>()

/** `text` cut to {@link MAX_TEXT} UTF-16 units, never inside a character (QA q29b: an emoji cut in two left a lone surrogate in the JSON). */
function cutText(text: string): string {
  if (text.length <= MAX_TEXT) return text
  const code = text.charCodeAt(MAX_TEXT - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_TEXT - 1 : MAX_TEXT)
}

function swotItemOf(shape: Extract<TLShape, { type: 'note' | 'text' | 'geo' }>): { item: SwotItem; cut: boolean; lines: number } | null {
  const known = swotItems.get(shape)
  if (known !== undefined) return known
  const fullText = richTextToPlainText(shape.props.richText).trim()
  const text = cutText(fullText)
  const author = authorOf(shape)
  const read = fullText === '' ? null : { item: { id: shape.id, text, ...(author ? { author } : {}) }, cut: text !== fullText, lines: text.split('\n').length }
  swotItems.set(shape, read)
  return read
}

type PlacedItem = Placed & { item: SwotItem }

/**
 * Where each SWOT shape was last placed, by the validated shape object: with the same page
 * transform (by value: a moved frame moves its notes) and the same quadrant frames (`frames`, by
 * value: a moved frame changes what it holds), the shape is in the same quadrant at the same place,
 * and its placed entry (never changed once made) is the very object of then: an edited board's
 * other notes are not placed and tested against the frames again.
 */
const swotPlaces = new WeakMap<
  TLShape,
  { transform: Mat; frames: string; above: QuadrantOfFrame | undefined; quadrant: SwotQuadrant | 'unsorted'; clipped: boolean; entry: PlacedItem }
>()

function sameMat(m: Mat, n: Mat): boolean {
  return m.a === n.a && m.b === n.b && m.c === n.c && m.d === n.d && m.e === n.e && m.f === n.f
}

function extractSwot(board: Board): Swot {
  const swot: Swot = { strengths: [], weaknesses: [], opportunities: [], threats: [], unsorted: [] }
  const frames = quadrantFrames(board)
  // Numbers as `String` writes them: NaN and infinities stay distinct (JSON would make them null).
  const framesKey = SWOT_QUADRANTS.map((q) => (frames.get(q) ?? []).map(({ transform: m, w, h }) => [m.a, m.b, m.c, m.d, m.e, m.f, w, h].join(' ')).join(';')).join('|')
  // The first quadrant in [P6]'s order wins a frame named after two.
  const frameQuadrants = new Map<string, QuadrantOfFrame>()
  for (const quadrant of SWOT_QUADRANTS) for (const frame of frames.get(quadrant) ?? []) if (!frameQuadrants.has(frame.id)) frameQuadrants.set(frame.id, { quadrant, frame })
  const placed = new Map<SwotQuadrant | 'unsorted', PlacedItem[]>()
  const unplaced: SwotItem[] = []
  for (const shape of board.shapes.values()) {
    if (shape.type !== 'note' && shape.type !== 'text' && shape.type !== 'geo') continue
    const read = swotItemOf(shape)
    if (!read) continue
    const { item, cut, lines } = read
    // Named by the note's first words (QA q29b: "SWOT (shape:g3kU…)" told nobody which note).
    const label = noteLabel(item.text)
    if (cut) board.warnings.push({ board: board.id, shapeId: shape.id, ...label, message: `Text cut to ${MAX_TEXT} characters` })
    const transform = board.transforms.get(shape.id)
    if (!transform) {
      unplaced.push(item)
      continue
    }
    const known = swotPlaces.get(shape)
    const above = quadrantAbove(board, shape, frameQuadrants)
    let quadrant: SwotQuadrant | 'unsorted'
    let clipped: boolean
    let entry: PlacedItem
    if (known && known.frames === framesKey && known.above?.frame.id === above?.frame.id && sameMat(known.transform, transform)) {
      ;({ quadrant, clipped, entry } = known)
    } else {
      const where = place(board, shape, lines)
      if (!where) {
        unplaced.push(item)
        continue
      }
      quadrant = above?.quadrant ?? SWOT_QUADRANTS.find((q) => frames.get(q)?.some((f) => frameContains(f.transform, f, where.center))) ?? 'unsorted'
      // A text shape's height is only estimated ([P5]): not judged.
      clipped = above !== undefined && shape.type !== 'text' && runsPast(transform, shapeSize(shape, lines), above.frame)
      entry = { ...where, item }
      swotPlaces.set(shape, { transform, frames: framesKey, above, quadrant, clipped, entry })
    }
    if (clipped && above) {
      const title = SWOT_QUADRANT_TITLES[above.quadrant]
      board.warnings.push({ board: board.id, shapeId: shape.id, ...label, message: `Runs past the ${title} frame's edge: part of its text is hidden on the board` })
    }
    const list = placed.get(quadrant) ?? []
    list.push(entry)
    placed.set(quadrant, list)
  }
  for (const [section, items] of placed) swot[section] = readingOrder(items).map((p) => p.item)
  swot.unsorted.push(...unplaced.sort((p, q) => (p.id < q.id ? -1 : 1)))

  const itemCount = SWOT_QUADRANTS.reduce((n, q) => n + swot[q].length, swot.unsorted.length)
  for (const quadrant of SWOT_QUADRANTS) {
    if (itemCount > 0 && frames.get(quadrant)?.length === 0) {
      const title = SWOT_QUADRANT_TITLES[quadrant]
      board.warnings.push({ board: board.id, message: `No ${title} frame on the board; its notes are listed as unsorted` })
    }
  }
  return swot
}

/**
 * [P17] The notes of a board other than the SWOT: its sticky notes, text shapes and shapes with a
 * label (as the SWOT reads them), in reading order, leaving out the whitespace board's row and
 * column headers (they are the matrix's axes) and empty ones. A note no page shows is left out
 * with the warning [P1] gives it.
 */
function extractBoardNotes(board: Board & { id: NoteBoard }): PlanBoardNote[] {
  const placed: (Placed & { item: PlanBoardNote })[] = []
  for (const shape of board.shapes.values()) {
    if (shape.type !== 'note' && shape.type !== 'text' && shape.type !== 'geo') continue
    if (headerAxis(shape) !== null) continue
    const read = swotItemOf(shape)
    if (!read) continue
    const where = place(board, shape, read.lines)
    if (!where) continue
    if (read.cut) board.warnings.push({ board: board.id, shapeId: shape.id, ...noteLabel(read.item.text), message: `Text cut to ${MAX_TEXT} characters` })
    placed.push({ ...where, item: { ...read.item, board: board.id } })
  }
  return readingOrder(placed).map((p) => p.item)
}

/**
 * The plan item a card made, by the validated shape object (as {@link swotItems}), and for actions
 * the `today` it was judged overdue on: an unchanged card gives the very item it gave.
 */
const stakeholderItems = new WeakMap<TLShape, PlanStakeholder>()
const actionItems = new WeakMap<TLShape, { today: string; item: PlanAction }>()

function extractStakeholders(board: Board): PlanStakeholder[] {
  return inReadingOrder(board, shapesOfType(board, 'stakeholder')).map((shape) => {
    const known = stakeholderItems.get(shape)
    if (known) return known
    const { id, props } = shape
    const item: PlanStakeholder = {
      id,
      name: props.name,
      jobTitle: props.jobTitle,
      department: props.department,
      buyingRole: props.buyingRole,
      influence: props.influence,
      attitude: props.attitude,
      owner: props.owner,
      notes: props.notes,
    }
    stakeholderItems.set(shape, item)
    return item
  })
}

function relationshipKind(board: Board, arrow: TLShape): RelationshipKind {
  const kind = arrow.meta.relationship
  if (kind === undefined || kind === null) return 'influences'
  if (typeof kind === 'string' && (RELATIONSHIP_KINDS as readonly string[]).includes(kind)) {
    return kind as RelationshipKind // checked against the list on the line above
  }
  board.warnings.push({
    board: board.id,
    shapeId: arrow.id,
    message: `Unknown relationship kind ${JSON.stringify(kind).slice(0, 50)}; read as influences`,
  })
  return 'influences'
}

function extractRelationships(board: Board, stakeholders: readonly PlanStakeholder[]): PlanRelationship[] {
  const position = new Map(stakeholders.map((s, i) => [s.id, i]))
  const ends = new Map<string, { start?: string; end?: string }>()
  for (const binding of board.bindings) {
    if (binding.type !== 'arrow') continue
    const arrowEnds = ends.get(binding.fromId) ?? {}
    arrowEnds[binding.props.terminal] ??= binding.toId
    ends.set(binding.fromId, arrowEnds)
  }
  const relationships: PlanRelationship[] = []
  for (const arrow of shapesOfType(board, 'arrow')) {
    const { start, end } = ends.get(arrow.id) ?? {}
    if (start !== undefined && start === end && position.has(start)) {
      // Drawn from a card back to itself (QA q27a: "Dev Rao → Dev Rao: Influences"): no relationship.
      board.warnings.push({ board: board.id, shapeId: arrow.id, message: 'Arrow starts and ends on the same stakeholder card; not read as a relationship' })
    } else if (start !== undefined && end !== undefined && position.has(start) && position.has(end)) {
      relationships.push({ id: arrow.id, from: start, to: end, kind: relationshipKind(board, arrow) })
    } else if (start !== undefined || end !== undefined || (arrow.meta.relationship ?? null) !== null) {
      // An arrow with a binding or a kind was meant as a relationship; a bare one is a drawing.
      board.warnings.push({
        board: board.id,
        shapeId: arrow.id,
        message: 'Arrow is not attached to stakeholder cards at both ends; not read as a relationship',
      })
    }
  }
  const rank = (id: string) => position.get(id) ?? 0
  return relationships.sort(
    (p, q) => rank(p.from) - rank(q.from) || rank(p.to) - rank(q.to) || (p.id < q.id ? -1 : 1),
  )
}

function extractActions(board: Board, today: string): PlanAction[] {
  return inReadingOrder(board, shapesOfType(board, 'action')).map((shape) => {
    const known = actionItems.get(shape)
    if (known && known.today === today) return known.item
    const { id, props } = shape
    const item: PlanAction = {
      id,
      title: props.title,
      owner: props.owner,
      due: props.due === '' ? null : props.due,
      status: props.status,
      overdue: isOverdue(props, today),
      objectives: props.objectives,
    }
    actionItems.set(shape, { today, item })
    return item
  })
}

function axisHeaders(board: Board): AxisHeader[] {
  const headers: AxisHeader[] = []
  for (const shape of board.shapes.values()) {
    const axis = headerAxis(shape)
    const transform = axis ? board.transforms.get(shape.id) : undefined
    if (!axis || !transform) continue
    const size = shapeSize(shape)
    const topLeft = applyMat(transform, { x: 0, y: 0 })
    headers.push({ id: shape.id, axis, label: headerLabel(shape), x: topLeft.x, y: topLeft.y, w: size.w, h: size.h })
  }
  return headers
}

/** The text people know an item by: a note's text, a stakeholder's name, an action's title, an objective, a competitor's name, a cell's row × column; empty if gone. */
function itemLabel(board: Board, id: string): string {
  const shape = board.shapes.get(id)
  if (!shape) return ''
  if (shape.type === 'note') return cutText(richTextToPlainText(shape.props.richText).trim())
  if (shape.type === 'stakeholder') return cutText(shape.props.name)
  if (shape.type === 'action') return cutText(shape.props.title)
  if (shape.type === 'objective') return cutText(shape.props.objective)
  if (shape.type === 'competitor') return cutText(shape.props.name)
  if (shape.type === 'whitespace') return cutText([shape.props.row, shape.props.column].filter((part) => part.trim() !== '').join(' × '))
  return ''
}

/** [P10] Revealed votes, oldest first, each with its items ranked by votes and labelled from its board. */
function extractVotes(boards: Record<BoardId, Board>, votes: readonly VoteRecord[]): PlanVote[] {
  return votes
    .filter((vote) => vote.revealed)
    .map((vote) => ({
      id: vote.id,
      board: vote.board,
      question: vote.question,
      votesPerPerson: vote.votesPerPerson,
      closed: vote.closed,
      createdAt: vote.createdAt,
      totalVotes: vote.ballots.length,
      voters: new Set(vote.ballots.map((b) => b.userId)).size,
      items: rankItems(vote).map(({ item, votes: count }) => ({ id: item, label: itemLabel(boards[vote.board], item), votes: count })),
    }))
}

/** Reports cards placed on a board whose section they do not belong to ([P2]). */
function reportMisplacedCards(board: Board): void {
  const home: Record<string, BoardId> = {
    stakeholder: 'stakeholders',
    action: 'actions',
    objective: 'objectives',
    whitespace: 'whitespace',
    competitor: 'whitespace',
  }
  for (const shape of board.shapes.values()) {
    const expected = home[shape.type]
    if (expected && expected !== board.id) {
      const label = itemLabel(board, shape.id).trim()
      board.warnings.push({
        board: board.id,
        shapeId: shape.id,
        ...(label === '' ? {} : { label }),
        message: `A ${shape.type} card on the ${BOARD_TITLES[board.id]} board is not part of the plan; move it to the ${BOARD_TITLES[expected]} board`,
      })
    }
  }
}

/** A note's name in a warning: its first line, at most 60 characters (whole characters); none when empty. */
function noteLabel(text: string): { label?: string } {
  const line = text.split('\n', 1)[0]?.trim() ?? ''
  if (line === '') return {}
  const chars = [...line]
  return { label: chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : line }
}

/**
 * What extraction derived from one board it read (its sections, and the warnings that added to the
 * board's), by the board's shapes: a board reused by {@link readBoard} (the same records again with
 * the same validated-records cache, i.e. a live board unchanged since) keeps its shapes map, so its
 * sections are not extracted again; a board read anew has a new map. `key` is what the sections
 * depend on besides the board (`today` for actions). Sections are never changed once extracted.
 */
const boardSections = new WeakMap<Map<string, TLShape>, { key: unknown; value: unknown; added: PlanWarning[] }>()

/**
 * The sections last extracted from each live board (by its validated-records cache), read again or
 * not: a board read anew (one shape changed) whose sections come out equal, in whole or in part, to
 * those of its last read gets those very objects ({@link shareEqual}), so what depends on them
 * (linked objectives, health checks, the stored plan's validated parts) is not computed again.
 */
const lastSections = new WeakMap<ValidatedRecords, unknown>()

/** The whitespace section with its currency, by the section extracted: the same object while neither changes. */
const sectionInCurrency = new WeakMap<PlanWhitespace, PlanWhitespace>()

function withCurrency(section: PlanWhitespace, currency: string | null): PlanWhitespace {
  const last = sectionInCurrency.get(section)
  if (last && last.currency === currency) return last
  const value = { ...section, currency }
  sectionInCurrency.set(section, value)
  return value
}

function sectionsOf<T>(board: Board, key: unknown, extract: () => T): T {
  const last = boardSections.get(board.shapes)
  if (last && last.key === key) {
    board.warnings.push(...last.added)
    return last.value as T // stored by this function for this board with the same extract
  }
  const before = board.warnings.length
  const extracted = extract()
  const value = board.validated ? shareEqual(lastSections.get(board.validated), extracted) : extracted
  if (board.validated) lastSections.set(board.validated, value)
  reportMisplacedCards(board)
  boardSections.set(board.shapes, { key, value, added: board.warnings.slice(before) })
  return value
}

/**
 * `next`, with every part of it that equals the part of `previous` in the same place (list items by
 * their `id`) replaced by that part of `previous`: equal content, shared objects. `previous` itself
 * when everything is equal. Only for values nothing changes once made (plan sections).
 */
function shareEqual<T>(previous: unknown, next: T): T {
  if (previous === next) return next
  if (typeof previous !== 'object' || typeof next !== 'object' || previous === null || next === null) return next
  // Equal as a whole (the common case): no copy made.
  if (jsonEqual(previous as JsonValue, next as JsonValue)) return previous as T // plan sections are JSON
  if (Array.isArray(next)) {
    if (!Array.isArray(previous)) return next
    let byId: Map<string | undefined, unknown> | undefined
    let same = previous.length === next.length
    const shared = next.map((item: unknown, i) => {
      const id = idOf(item)
      // Items mostly keep their places: look them up by id only when one moved.
      let before: unknown = previous[i]
      if (id !== undefined && idOf(before) !== id) {
        byId ??= new Map(previous.map((one: unknown) => [idOf(one), one]))
        before = byId.get(id)
      }
      const kept = shareEqual(before, item)
      if (kept !== previous[i]) same = false
      return kept
    })
    return (same ? previous : shared) as T // equal to `next`, part by part
  }
  if (Array.isArray(previous) || Object.getPrototypeOf(next) !== Object.prototype || Object.getPrototypeOf(previous) !== Object.prototype) return next
  const before = previous as Record<string, unknown> // plain objects, compared key by key
  const after = next as Record<string, unknown>
  const keys = Object.keys(after)
  let same = keys.length === Object.keys(before).length
  const shared: Record<string, unknown> = {}
  for (const key of keys) {
    shared[key] = Object.hasOwn(before, key) ? shareEqual(before[key], after[key]) : after[key]
    if (shared[key] !== before[key] || !Object.hasOwn(before, key)) same = false
  }
  return (same ? previous : shared) as T // equal to `next`, part by part
}

function idOf(item: unknown): string | undefined {
  return typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'string' ? item.id : undefined
}

type Linked = { objectives: PlanObjective[]; actions: PlanAction[]; linkWarnings: PlanWarning[] }

/** [P11] objectives and actions linked, by the very objective cards, actions and SWOT they were linked from. */
const linkedByCards = new WeakMap<readonly ObjectiveCardShape[], { actions: readonly PlanAction[]; swot: Swot; today: string; result: Linked }>()

/**
 * The objectives and actions last linked for each live actions board (by its validated-records
 * cache), to share equal parts with ({@link shareEqual}), and the links they were made by: the
 * next linking makes again only the actions and objectives whose inputs changed.
 */
const lastLinked = new WeakMap<ValidatedRecords, { sections: { objectives: PlanObjective[]; actions: PlanAction[] }; links: ObjectiveLinks }>()

function linked(cards: readonly ObjectiveCardShape[], actions: readonly PlanAction[], swot: Swot, today: string, live: ValidatedRecords | undefined): Linked {
  const last = linkedByCards.get(cards)
  if (last && last.actions === actions && last.swot === swot && last.today === today) return { ...last.result, linkWarnings: [...last.result.linkWarnings] }
  const linkWarnings: PlanWarning[] = []
  const before = live ? lastLinked.get(live) : undefined
  const { links, ...extracted } = extractObjectives(cards, actions, swot, today, linkWarnings, before?.links)
  const shared = live ? shareEqual(before?.sections, extracted) : extracted
  if (live) lastLinked.set(live, { sections: shared, links })
  const result = { ...shared, linkWarnings }
  linkedByCards.set(cards, { actions, swot, today, result: { ...result, linkWarnings: [...linkWarnings] } })
  return result
}

/** The last health computed from each board read, with its plan: the next extraction reuses the checks whose sections are the same objects. */
const healthOfBoards = new WeakMap<Map<string, TLShape>, { plan: HealthPlan; health: PlanHealth }>()

/**
 * Extracts the account plan from the records of a workshop's boards. Never throws on board
 * content: unreadable records end up in `warnings`.
 * @example
 * const draft = extractPlan({
 *   workshop: { id: 'w1', account: 'Acme', title: 'FY27 planning' },
 *   boards: { swot: swotStore.allRecords(), stakeholders: [...], actions: [...] },
 *   takenAt: new Date().toISOString(), trigger: 'manual', label: null,
 *   participants: ['Ada'], today: '2026-11-22',
 * })
 * const record = PlanRecordSchema.parse({ ...draft, id: snapshotId })
 */
export function extractPlan(input: ExtractPlanInput): PlanDraft {
  const read = (board: BoardId) => readBoard(board, input.boards[board], input.validated?.[board])
  const swotBoard = read('swot')
  const stakeholderBoard = read('stakeholders')
  const actionBoard = read('actions')
  const objectiveBoard = read('objectives')
  const whitespaceBoard = read('whitespace')
  const all = [swotBoard, stakeholderBoard, objectiveBoard, actionBoard, whitespaceBoard]

  const swot = sectionsOf(swotBoard, null, () => extractSwot(swotBoard))
  const { stakeholders, relationships, notes: stakeholderNotes } = sectionsOf(stakeholderBoard, null, () => {
    const found = extractStakeholders(stakeholderBoard)
    return { stakeholders: found, relationships: extractRelationships(stakeholderBoard, found), notes: extractBoardNotes({ ...stakeholderBoard, id: 'stakeholders' }) }
  })
  const { cards, notes: objectiveNotes } = sectionsOf(objectiveBoard, null, () => ({
    cards: inReadingOrder(objectiveBoard, shapesOfType(objectiveBoard, 'objective')),
    notes: extractBoardNotes({ ...objectiveBoard, id: 'objectives' }),
  }))
  const { actions: boardActions, notes: actionNotes } = sectionsOf(actionBoard, input.today, () => ({
    actions: extractActions(actionBoard, input.today),
    notes: extractBoardNotes({ ...actionBoard, id: 'actions' }),
  }))
  const { objectives, actions, linkWarnings } = linked(cards, boardActions, swot, input.today, actionBoard.validated)
  const { whitespace: whitespaceSection, competitors, notes: whitespaceNotes } = sectionsOf(whitespaceBoard, null, () => {
    const cells = inReadingOrder(whitespaceBoard, shapesOfType(whitespaceBoard, 'whitespace')).map((shape) => ({
      shape,
      center: place(whitespaceBoard, shape)?.center ?? null,
    }))
    const found = extractWhitespace(axisHeaders(whitespaceBoard), cells, whitespaceBoard.warnings)
    return {
      whitespace: found,
      competitors: extractCompetitors(inReadingOrder(whitespaceBoard, shapesOfType(whitespaceBoard, 'competitor')), found.cells, whitespaceBoard.warnings),
      notes: extractBoardNotes({ ...whitespaceBoard, id: 'whitespace' }),
    }
  })
  // The board's currency, outside the cached section: it is the page's, not the shapes'.
  const currency = currencyOf(whitespaceBoard.page?.meta)
  if (currency.invalid !== undefined) {
    whitespaceBoard.warnings.push({ board: 'whitespace', message: `The board's currency "${currency.invalid}" is not an ISO 4217 code; its amounts are shown without a currency` })
  }
  const whitespace = withCurrency(whitespaceSection, currency.currency)
  const sections = { swot, stakeholders, objectives, actions, whitespace }
  const earlier = all.map((board) => healthOfBoards.get(board.shapes)).find((found) => found !== undefined)
  const health = planHealth(
    sections,
    { today: input.today, now: input.takenAt, lastChangedAt: input.freshness?.lastChangedAt ?? null, lastWorkshopAt: input.freshness?.lastWorkshopAt ?? null },
    earlier,
  )
  // Kept by each board read: found again through any board still unchanged next time.
  for (const board of all) healthOfBoards.set(board.shapes, { plan: sections, health })
  const votes = extractVotes(
    { swot: swotBoard, stakeholders: stakeholderBoard, actions: actionBoard, objectives: objectiveBoard, whitespace: whitespaceBoard },
    input.votes ?? [],
  )

  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    workshopId: input.workshop.id,
    account: input.workshop.account,
    title: input.workshop.title,
    takenAt: input.takenAt,
    trigger: input.trigger,
    label: input.label,
    participants: input.participants.map((name) => name.slice(0, MAX_NAME)),
    swot,
    stakeholders,
    relationships,
    objectives,
    actions,
    whitespace,
    competitors,
    notes: [...stakeholderNotes, ...objectiveNotes, ...actionNotes, ...whitespaceNotes],
    health,
    votes,
    warnings: [...all.flatMap((board) => board.warnings), ...linkWarnings],
  }
}
