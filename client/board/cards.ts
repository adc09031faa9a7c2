import { createShapeId, react, toRichText, type Editor, type TLArrowShape, type TLGeoShape, type TLShape, type TLShapeId } from 'tldraw'
import { headerAxis, headerLabel, inBand } from '../../shared/extractAccount.ts'
import { labelKey } from '../../shared/labelKey.ts'
import { ACTION_COLUMNS, SWOT_FRAMES, WHITESPACE_FRAMES } from '../../shared/templates.ts'
import { CARD_GAP, freeSpotNear, type Rect } from './freeSpot.ts'
import { rememberNewCard } from './newCardsApart.ts'
import { routeLines } from './relationshipLines.ts'
import { isReplayingHistory } from './ownUndo.ts'
import { onKeyboardMoves } from './keyboardMoves.ts'
import {
  ACTION_STATUSES,
  RELATIONSHIP_KINDS,
  RELATIONSHIP_STYLES,
  relationshipKindRead,
  SHAPE_TYPES,
  WHITESPACE_AXIS_META,
  defaultActionCardProps,
  defaultCompetitorCardProps,
  defaultObjectiveCardProps,
  defaultStakeholderCardProps,
  defaultWhitespaceCardProps,
  type WhitespaceAxis,
  type ActionCardShape,
  type ActionStatus,
  type CompetitorCardShape,
  type RelationshipKind,
  type WhitespaceCardShape,
} from '../../shared/shapes.ts'

/** The kinds of card the board toolbar adds. */
export type CardType = (typeof SHAPE_TYPES)[keyof typeof SHAPE_TYPES]

/** Space between stacked cards in a status column and above the first one. */
const COLUMN_GAP = 16

const STATUS_BY_COLUMN = new Map<TLShapeId, ActionStatus>(
  ACTION_STATUSES.map((status) => [ACTION_COLUMNS[status].id, status]),
)

/** The status column's frame id, if the board has that column. */
function columnOf(editor: Editor, status: ActionStatus): TLShapeId | null {
  const { id } = ACTION_COLUMNS[status]
  return editor.getShape(id) ? id : null
}

/** A column's (a frame's) width and height; undefined for a shape without them, or no shape. */
function sizeOf(shape: TLShape | undefined): { w: number | undefined; h: number | undefined } {
  const props: { w?: unknown; h?: unknown } = shape?.props ?? {}
  return { w: typeof props.w === 'number' ? props.w : undefined, h: typeof props.h === 'number' ? props.h : undefined }
}

/** The frames whose cards stack one below the other: the status columns and the Competitors frame. */
export const STACKING_FRAMES: ReadonlySet<TLShapeId> = new Set([...ACTION_STATUSES.map((status) => ACTION_COLUMNS[status].id), WHITESPACE_FRAMES.competitors.id])

/** Where the next card goes in a status column (or the Competitors frame): centred, below the lowest card already in it. */
export function nextSlotInColumn(editor: Editor, columnId: TLShapeId, cardWidth: number, except?: TLShapeId) {
  const columnWidth = sizeOf(editor.getShape(columnId)).w ?? cardWidth
  let y = COLUMN_GAP
  for (const childId of editor.getSortedChildIdsForParent(columnId)) {
    if (childId === except) continue
    const child = editor.getShape(childId)
    const bounds = child && editor.getShapeGeometry(child).bounds
    if (child && bounds) y = Math.max(y, child.y + bounds.maxY + COLUMN_GAP)
  }
  return { x: Math.max(0, (columnWidth - cardWidth) / 2), y }
}

/**
 * Adds a card and selects it: an action goes to the bottom of the "Open" column (when the
 * board has its columns), a competitor to the bottom of the Competitors frame (when the board has
 * it), anything else to the free spot nearest the middle of the viewport. A
 * peer's card added at the same moment to the same spot moves one of them on ({@link rememberNewCard}).
 */
export function addCard(editor: Editor, type: CardType): TLShapeId {
  const id = createShapeId()
  // A new card is an undo step of its own: filling in its fields afterwards undoes field by field.
  editor.markHistoryStoppingPoint('add card')
  editor.run(() => {
    if (type === SHAPE_TYPES.action) {
      const props = defaultActionCardProps()
      const columnId = columnOf(editor, props.status)
      if (columnId) {
        const slot = nextSlotInColumn(editor, columnId, props.w)
        editor.createShape<ActionCardShape>({ id, type, parentId: columnId, ...slot, props })
        rememberNewCard(editor, id, () => nextSlotInColumn(editor, columnId, props.w, id))
      } else {
        createAtViewportCenter(editor, id, type, props)
      }
    } else if (type === SHAPE_TYPES.competitor && editor.getShape(WHITESPACE_FRAMES.competitors.id)) {
      // A competitor goes into the Competitors frame beside the matrix, below the last one there.
      const props = defaultCompetitorCardProps()
      const frameId = WHITESPACE_FRAMES.competitors.id
      const slot = nextSlotInColumn(editor, frameId, props.w)
      editor.createShape<CompetitorCardShape>({ id, type, parentId: frameId, ...slot, props })
      rememberNewCard(editor, id, () => nextSlotInColumn(editor, frameId, props.w, id))
    } else if (type === SHAPE_TYPES.whitespace) {
      // A cell goes to the first crossing of a unit's row and an offering's column without one ([P13]).
      const props = DEFAULT_PROPS[type]()
      const slot = freeMatrixSlot(editor, props)
      if (slot) {
        editor.createShape({ id, type, ...slot, props })
        rememberNewCard(editor, id, () => freeMatrixSlot(editor, props, id) ?? freeSpotNear(editor.getViewportPageBounds().center, props, occupiedBounds(editor, id)))
      } else {
        createAtViewportCenter(editor, id, type, props)
      }
    } else {
      createAtViewportCenter(editor, id, type, DEFAULT_PROPS[type]())
    }
    editor.select(id)
    editor.setCurrentTool('select')
  })
  const bounds = editor.getShapePageBounds(id)
  // Bring the new card into view if it landed off-screen (e.g. far down a long column).
  if (bounds && !editor.getViewportPageBounds().contains(bounds)) editor.centerOnPoint(bounds.center)
  return id
}

const DEFAULT_PROPS = {
  stakeholder: defaultStakeholderCardProps,
  objective: defaultObjectiveCardProps,
  whitespace: defaultWhitespaceCardProps,
  competitor: defaultCompetitorCardProps,
} as const satisfies Record<Exclude<CardType, 'action'>, () => { w: number; h: number }>

const HEADER = { row: { w: 200, h: 110, label: 'Business unit' }, column: { w: 200, h: 110, label: 'Offering' } } as const
/** Where the first header of each axis goes: rows down the left edge, columns along the top. */
const HEADER_ORIGIN = { row: { x: 20, y: 160 }, column: { x: 240, y: 40 } } as const

/**
 * Adds a whitespace row header (a business unit, below the last one) or column header (an
 * offering, right of the last one): a labelled rectangle with `meta.whitespaceAxis`, whose text
 * the team edits on the canvas ([P13] in docs/plan-extraction.md).
 */
export function addAxisHeader(editor: Editor, axis: WhitespaceAxis): TLShapeId {
  const id = createShapeId()
  const size = HEADER[axis]
  const { x, y } = nextAxisHeaderSlot(editor, axis)
  editor.markHistoryStoppingPoint('add axis header')
  editor.run(() => {
    editor.createShape<TLGeoShape>({
      id,
      type: 'geo',
      x,
      y,
      meta: { [WHITESPACE_AXIS_META]: axis },
      props: { geo: 'rectangle', w: size.w, h: size.h, richText: toRichText(size.label), fill: 'semi', color: axis === 'row' ? 'light-blue' : 'light-green' },
    })
    editor.select(id)
    editor.setCurrentTool('select')
  })
  rememberNewCard(editor, id, () => nextAxisHeaderSlot(editor, axis, id))
  return id
}

/** A sticky note's size at scale 1 (tldraw's). */
const NOTE_SIZE = { w: 200, h: 200 }

/**
 * Puts a whitespace cell where its own business unit and offering say (QA q36b: a cell whose unit
 * and offering were typed in the side panel stayed where "Add cell" put it, so the board's matrix
 * contradicted the plan and every export, which read the typed names, [P13]). A name that a
 * header of its axis bears (as extraction matches them, `labelKey`) brings the cell's centre into
 * that header's band, across the other axis's band as it was; a name no header bears, or an empty
 * one (the band it sits in), moves nothing. A cell already in the named bands stays put; one
 * joining a crossing that holds other cells lands a little below and right of the last of them, so
 * none hides another. One undo step. Returns whether the cell moved.
 */
export function placeCellByNames(editor: Editor, id: TLShapeId): boolean {
  const cell = editor.getShape<WhitespaceCardShape>(id)
  const bounds = cell?.type === SHAPE_TYPES.whitespace ? editor.getShapePageBounds(cell) : undefined
  if (!cell || !bounds || editor.getIsReadonly()) return false
  const wanted = { row: labelKey(cell.props.row), column: labelKey(cell.props.column) }
  const headers: { row?: Rect & { axis: 'row' }; column?: Rect & { axis: 'column' } } = {}
  const others: { x: number; y: number }[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.id === id) continue
    if (shape.type === SHAPE_TYPES.whitespace) {
      const box = editor.getShapePageBounds(shape)
      if (box) others.push(box.center)
      continue
    }
    const axis = headerAxis(shape)
    if (!axis || wanted[axis] === '' || labelKey(headerLabel(shape)) !== wanted[axis] || headers[axis]) continue
    const box = editor.getShapePageBounds(shape)
    if (!box) continue
    if (axis === 'row') headers.row = { axis, x: box.x, y: box.y, w: box.w, h: box.h }
    else headers.column = { axis, x: box.x, y: box.y, w: box.w, h: box.h }
  }
  const { row, column } = headers
  const centre = bounds.center
  if ((!row || inBand(row, centre)) && (!column || inBand(column, centre))) return false
  let target = {
    x: column ? column.x + column.w / 2 : row && centre.x < row.x ? row.x + row.w + bounds.w / 2 + CARD_GAP : centre.x,
    y: row ? row.y + row.h / 2 : column && centre.y < column.y ? column.y + column.h + bounds.h / 2 + CARD_GAP : centre.y,
  }
  const sameCrossing = (point: { x: number; y: number }) => (!row || inBand(row, point)) && (!column || inBand(column, point))
  for (let step = 1; step <= 8 && others.some((other) => sameCrossing(other) && Math.hypot(other.x - target.x, other.y - target.y) < 8); step++) {
    const next = { x: target.x + 16, y: target.y + 16 }
    if (!sameCrossing(next)) break
    target = next
  }
  const topLeft = { x: target.x - bounds.w / 2, y: target.y - bounds.h / 2 }
  const inParent = editor.getPointInParentSpace(cell, topLeft)
  editor.markHistoryStoppingPoint('place cell by its names')
  editor.updateShape<WhitespaceCardShape>({ id, type: 'whitespace', x: inParent.x, y: inParent.y })
  return true
}

/**
 * Adds an empty sticky note in the free spot nearest the middle of the view, inside the SWOT
 * quadrant that spot is in (as tldraw's note tool puts a note clicked into a frame): for the
 * keyboard, which has no point to click (QA q27b: Enter on "Add sticky note" only chose the tool).
 */
export function addNote(editor: Editor): TLShapeId {
  const id = createShapeId()
  const quadrants = Object.values(SWOT_FRAMES).map((frame) => frame.id)
  const middle = editor.getViewportPageBounds().center
  // Wholly inside the quadrant nearest the middle of the view (QA q28b: a note at x = 880 of a
  // quadrant 960 wide was mostly cut off by its edge), in its free spot nearest the middle; on a
  // board without quadrants, the free spot nearest the middle. The quadrants as they are on the
  // board (the facilitator may have moved or resized them).
  const within = nearestBounds(editor, quadrants, middle)
  // Looked for from the point of the quadrant nearest the middle (the middle itself when inside it).
  const from = within ? { x: Math.min(Math.max(middle.x, within.x), within.x + within.w), y: Math.min(Math.max(middle.y, within.y), within.y + within.h) } : middle
  const spot = freeSpotNear(from, NOTE_SIZE, occupiedBounds(editor), CARD_GAP, within)
  const centre = { x: spot.x + NOTE_SIZE.w / 2, y: spot.y + NOTE_SIZE.h / 2 }
  const frameId = frameUnder(editor, quadrants, centre)
  editor.markHistoryStoppingPoint('add sticky note')
  editor.run(() => {
    editor.createShape({ id, type: 'note', ...spot })
    if (frameId) editor.reparentShapes([id], frameId) // keeps its place on the page
    editor.select(id)
    editor.setCurrentTool('select')
  })
  return id
}

/** The page bounds of the shape of `ids` nearest `point` (0 away when it holds it), if any is on the board. */
function nearestBounds(editor: Editor, ids: readonly TLShapeId[], point: { x: number; y: number }): Rect | undefined {
  let nearest: { rect: Rect; distance: number } | undefined
  for (const id of ids) {
    const box = editor.getShapePageBounds(id)
    if (!box) continue
    const distance = Math.hypot(Math.max(box.minX - point.x, 0, point.x - box.maxX), Math.max(box.minY - point.y, 0, point.y - box.maxY))
    if (!nearest || distance < nearest.distance) nearest = { rect: { x: box.x, y: box.y, w: box.w, h: box.h }, distance }
  }
  return nearest?.rect
}

/** Where the next header of `axis` goes: below the last row header, or right of the last column header. */
function nextAxisHeaderSlot(editor: Editor, axis: WhitespaceAxis, except?: TLShapeId): { x: number; y: number } {
  let { x, y }: { x: number; y: number } = HEADER_ORIGIN[axis]
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.id === except || shape.type !== 'geo' || shape.meta[WHITESPACE_AXIS_META] !== axis) continue
    const bounds = editor.getShapePageBounds(shape)
    if (!bounds) continue
    if (axis === 'row') y = Math.max(y, bounds.maxY + 10)
    else x = Math.max(x, bounds.maxX + 10)
  }
  return { x, y }
}

/**
 * Where a new whitespace cell of `size` goes: centred where a business unit's row band crosses an
 * offering's column band that holds no cell's centre yet (a cell's row and column are the bands
 * that hold its centre, [P13]), rows top to bottom, then columns left to right. Undefined without
 * a unit and an offering, or when every crossing has a cell. `except` is left out (placed again).
 */
function freeMatrixSlot(editor: Editor, size: { w: number; h: number }, except?: TLShapeId): { x: number; y: number } | undefined {
  const rows: (Rect & { axis: 'row' })[] = []
  const columns: (Rect & { axis: 'column' })[] = []
  const cells: { x: number; y: number }[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.id === except) continue
    const axis = shape.type === 'geo' ? shape.meta[WHITESPACE_AXIS_META] : undefined
    if (axis !== 'row' && axis !== 'column' && shape.type !== SHAPE_TYPES.whitespace) continue
    const bounds = editor.getShapePageBounds(shape)
    if (!bounds) continue
    const { x, y, w, h } = bounds
    if (axis === 'row') rows.push({ axis, x, y, w, h })
    else if (axis === 'column') columns.push({ axis, x, y, w, h })
    else cells.push(bounds.center)
  }
  rows.sort((a, b) => a.y - b.y)
  columns.sort((a, b) => a.x - b.x)
  for (const row of rows) {
    for (const column of columns) {
      const centre = { x: column.x + column.w / 2, y: row.y + row.h / 2 }
      // Both bands run there (right of the row's header, below the column's), and no cell is in both.
      if (!inBand(row, centre) || !inBand(column, centre)) continue
      if (!cells.some((cell) => inBand(row, cell) && inBand(column, cell))) return { x: centre.x - size.w / 2, y: centre.y - size.h / 2 }
    }
  }
  return undefined
}

/** The page bounds of everything a new card must not cover, but `except`. */
function occupiedBounds(editor: Editor, except?: TLShapeId): Rect[] {
  // Frames are areas to put cards in, and arrows follow the cards: neither takes up room.
  return editor
    .getCurrentPageShapes()
    .filter((shape) => shape.id !== except && shape.type !== 'frame' && shape.type !== 'arrow')
    .map((shape) => editor.getShapePageBounds(shape))
    .filter((bounds) => bounds !== undefined)
}

/** Creates a card in the free spot nearest the middle of the view, covering no other card or note. */
function createAtViewportCenter(editor: Editor, id: TLShapeId, type: CardType, props: { w: number; h: number }) {
  const spot = freeSpotNear(editor.getViewportPageBounds().center, props, occupiedBounds(editor))
  editor.createShape({ id, type, ...spot, props })
  // Placed again, it looks around where it is: the view may have moved since.
  rememberNewCard(editor, id, () => {
    const card = editor.getShape(id)
    const center = card ? editor.getShapePageBounds(card)?.center : undefined
    return freeSpotNear(center ?? editor.getViewportPageBounds().center, props, occupiedBounds(editor, id))
  })
}

/** Sets an action's status and moves the card to the bottom of that status's column. */
export function setActionStatus(editor: Editor, id: TLShapeId, status: ActionStatus): void {
  const card = editor.getShape<ActionCardShape>(id)
  if (!card) return
  editor.run(() => {
    editor.updateShape<ActionCardShape>({ id, type: 'action', props: { status } })
    const columnId = columnOf(editor, status)
    if (!columnId || card.parentId === columnId) return
    editor.reparentShapes([id], columnId)
    editor.updateShape<ActionCardShape>({ id, type: 'action', ...nextSlotInColumn(editor, columnId, card.props.w, id) })
  })
}

/** An action card as it was when a drag picked it up. */
interface DragStart {
  parentId: ActionCardShape['parentId']
  x: number
  y: number
  status: ActionStatus
  /**
   * The status this page last gave the card during the drag (the start's until it writes one). The
   * card's status as stored, should this person lose the right to write it mid-drag: the drop then
   * puts the card in that status's column (QA q30b: back in its first column, it kept the status of
   * a column it had passed over, for the team and as stored).
   */
  written: ActionStatus
}

/**
 * On the action board, a card's status always agrees with the status column it sits in, in every
 * change this page writes: whatever puts a card into a column (a drag passing over it, a paste, a
 * nudge) sets the column's status in the same change. A drag's moves reach everyone as they happen
 * and the page may go away before the drop (reloaded, closed, its connection lost), so each move
 * must be whole on its own: the card and its status travel together, and nobody has to repair
 * anything afterwards. While dragged out of every column, a card keeps the status it had when the
 * drag started. On the drop, a card in a column snaps into the column's stack; dropped outside every
 * column, it goes back to the column it came from, with that column's status. Only this person's
 * own changes count: a peer's change arrives with its status already set. Everything a drag
 * changes, statuses included, is part of its undo step.
 *
 * Where this person may not write the status (a guest while `status` is internal on the board,
 * [A31]: the server would refuse the change with 4422), `statusKept()` is true: no status is
 * written, a card may move within its column, and a card dropped in another column (or outside
 * every column) goes back where it was in its own; `onKept` runs then, to say why. When that
 * became true mid-drag, after this page had given the card another column's status, its own is
 * that column: where its stored status says it is.
 * @returns a function that stops it
 */
export function syncStatusWithColumns(editor: Editor, options: { statusKept(): boolean; onKept(): void } = { statusKept: () => false, onKept: () => {} }): () => void {
  /** The dragged action cards as they were when the drag started. */
  let dragged: Map<TLShapeId, DragStart> | null = null
  /** Whether the drag moves several shapes (cards or not): then each card settles by its centre, as the frames take them. */
  let several = false
  const startDrag = () => {
    dragged = new Map()
    several = editor.getSelectedShapeIds().length > 1
    for (const shape of editor.getSelectedShapes()) {
      if (shape.type !== SHAPE_TYPES.action) continue
      const card = shape as ActionCardShape // narrowed by shape.type just above
      dragged.set(card.id, { parentId: card.parentId, x: card.x, y: card.y, status: card.props.status, written: card.props.status })
    }
  }
  // A keyboard move (the arrow keys, QA q36c): the nudges themselves never change a card's column.
  const stopKeyboard = onKeyboardMoves(editor, {
    start: startDrag,
    end: () => {
      const moved = dragged
      dragged = null
      if (moved && moved.size > 0) queueMicrotask(() => settleNudgedCards(editor, moved, options))
    },
  })
  const stopWatching = react('action card drag', () => {
    const dragging = editor.isIn('select.translating')
    if (dragging && !dragged) {
      startDrag()
    } else if (!dragging && dragged) {
      const drop = dragged
      dragged = null
      // Not inside the reaction: the drop changes the store, which the reaction's flush must not see.
      const byCentre = several
      queueMicrotask(() => dropIntoColumns(editor, drop, byCentre, options))
    }
  })
  const stopStatusSync = editor.sideEffects.registerAfterChangeHandler('shape', (previous, next, source) => {
    if (source !== 'user' || next.type !== 'action' || previous.parentId === next.parentId) return
    // Not this person's to write: the drop puts the card back in its own column instead.
    if (options.statusKept()) return
    const card = next as ActionCardShape // narrowed by next.type just above
    // In a column: its status. Dragged out of every column: back to the status it started with.
    const start = dragged?.get(card.id)
    const status = STATUS_BY_COLUMN.get(card.parentId as TLShapeId) ?? start?.status // page ids are simply not in the map
    if (status && card.props.status !== status) {
      editor.updateShape<ActionCardShape>({ id: card.id, type: 'action', props: { status } })
    }
    if (status && start) start.written = status
  })
  // A card this person creates in a column (Ctrl+D: tldraw's copy at an offset stuck out of the
  // column, which hides what is outside it, or covered a card there) lands in the column's stack.
  // Not an Alt+drag's copy (the drop stacks it, and moving it here would move the drag's start) nor
  // a card undo or redo brings back (where it was is the point).
  const stopCreatedInColumns = editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source !== 'user' || shape.type !== 'action' || !STATUS_BY_COLUMN.has(shape.parentId as TLShapeId)) return // page ids are simply not in the map
    if (editor.isIn('select.translating') || isReplayingHistory(editor)) return
    const columnId = shape.parentId as TLShapeId // a column id, checked just above
    const card = shape as ActionCardShape // narrowed by shape.type just above
    if (fitsFreeInColumn(editor, columnId, card)) return
    editor.updateShape<ActionCardShape>({ id: card.id, type: 'action', ...nextSlotInColumn(editor, columnId, card.props.w, card.id) })
  })
  return () => {
    stopKeyboard()
    stopWatching()
    stopStatusSync()
    stopCreatedInColumns()
  }
}

/** True when `card` (a child of the column) lies wholly inside the column and covers no other card of it. */
function fitsFreeInColumn(editor: Editor, columnId: TLShapeId, card: ActionCardShape): boolean {
  const bounds = editor.getShapeGeometry(card).bounds
  const { w: width = Infinity, h: height = Infinity } = sizeOf(editor.getShape(columnId))
  const [left, top, right, bottom] = [card.x + bounds.minX, card.y + bounds.minY, card.x + bounds.maxX, card.y + bounds.maxY]
  if (left < 0 || top < 0 || right > width || bottom > height) return false
  return editor.getSortedChildIdsForParent(columnId).every((childId) => {
    const other = childId === card.id ? undefined : editor.getShape(childId)
    if (!other) return true
    const box = editor.getShapeGeometry(other).bounds
    return other.x + box.maxX <= left || right <= other.x + box.minX || other.y + box.maxY <= top || bottom <= other.y + box.minY
  })
}

/**
 * Settles action cards the arrow keys moved, each by its centre, once the last arrow is released: a
 * card now over another column joins it (its status with it) and both columns close up; one still
 * over its own column stays where the keys put it; one over no column rests on the board outside
 * every column, not clipped by the one it left, with its status, on its way to the next (a drop's
 * "back to its own column" would keep a keyboard user from ever crossing the gap between two).
 * Where this person may not write the status (`statusKept`), a card over another column goes back
 * to its own.
 */
function settleNudgedCards(editor: Editor, moved: ReadonlyMap<TLShapeId, DragStart>, options: { statusKept(): boolean; onKept(): void }): void {
  const columns = new Set<TLShapeId>()
  const statusKept = options.statusKept()
  let kept = false
  editor.run(() => {
    for (const [id, start] of moved) {
      const card = editor.getShape<ActionCardShape>(id)
      if (!card) continue
      const under = columnUnder(editor, card)
      if (under === undefined) {
        if (card.parentId !== editor.getCurrentPageId()) editor.reparentShapes([id], editor.getCurrentPageId())
        continue
      }
      if (under === card.parentId) continue
      const left = STATUS_BY_COLUMN.has(start.parentId as TLShapeId) ? (start.parentId as TLShapeId) : null // page ids are simply not in the map
      // The column of the status it holds: where it must stay when this person may not change that.
      const home = columnOf(editor, card.props.status)
      if (statusKept && home !== null && under !== home) {
        if (card.parentId !== home) editor.reparentShapes([id], home)
        editor.updateShape<ActionCardShape>({ id, type: 'action', ...nextSlotInColumn(editor, home, card.props.w, id) })
        columns.add(home)
        kept = true
        continue
      }
      // Entering the column sets its status (the change handler of syncStatusWithColumns).
      editor.reparentShapes([id], under)
      columns.add(under)
      if (left !== null) columns.add(left)
    }
    for (const columnId of columns) if (editor.getShape(columnId)) stackColumn(editor, columnId)
  })
  if (kept) options.onKept()
}

/** Settles dragged action cards: into the column they were dropped in, or back where they came from. */
function dropIntoColumns(editor: Editor, dragged: ReadonlyMap<TLShapeId, DragStart>, byCentre: boolean, options: { statusKept(): boolean; onKept(): void }): void {
  const columns = new Set<TLShapeId>()
  const statusKept = options.statusKept()
  let kept = false
  editor.run(() => {
    // Several shapes dragged together (KeyplanFrameShapeUtil's rule): each card into the column its
    // centre is over (tldraw put them all in the one under the pointer), or out of every column
    // when over none.
    if (byCentre) {
      for (const id of dragged.keys()) {
        const card = editor.getShape<ActionCardShape>(id)
        if (!card) continue
        const home = columnUnder(editor, card) ?? editor.getCurrentPageId()
        if (home !== card.parentId) editor.reparentShapes([id], home)
      }
    }
    for (const [id, start] of dragged) {
      const card = editor.getShape<ActionCardShape>(id)
      if (!card) continue
      const status = STATUS_BY_COLUMN.get(card.parentId as TLShapeId) // page ids are simply not in the map
      const ownColumn = STATUS_BY_COLUMN.has(start.parentId as TLShapeId) && editor.getShape(start.parentId as TLShapeId) !== undefined
      // The column of the status the card holds: the one it was written while this person could
      // (the status was made internal mid-drag), else its own.
      const heldColumn = start.written !== start.status ? columnOf(editor, start.written) : null
      if (statusKept && heldColumn !== null && card.parentId !== heldColumn) {
        // Another column would mean another status, which this person may not set now: into the
        // column of the one it has, at its next free slot.
        editor.reparentShapes([id], heldColumn)
        editor.updateShape<ActionCardShape>({ id, type: 'action', ...nextSlotInColumn(editor, heldColumn, card.props.w, id) })
        columns.add(heldColumn)
        // The column it left closes the gap.
        if (STATUS_BY_COLUMN.has(start.parentId as TLShapeId)) columns.add(start.parentId as TLShapeId) // page ids are simply not in the map
        if (status) kept = true
        continue
      }
      if (statusKept && heldColumn === null && ownColumn && card.parentId !== start.parentId) {
        // Another column would mean another status, which this person may not set: back where it was.
        editor.reparentShapes([id], start.parentId as TLShapeId) // a column id, checked just above
        editor.updateShape<ActionCardShape>({ id, type: 'action', x: start.x, y: start.y })
        columns.add(start.parentId as TLShapeId) // as above
        if (status) kept = true
        continue
      }
      if (status) {
        // Entering the column set it already; this also mends a card that sat there out of step.
        if (!statusKept && card.props.status !== status) editor.updateShape<ActionCardShape>({ id, type: 'action', props: { status } })
        columns.add(card.parentId as TLShapeId) // a column id: it has a status
      } else if (ownColumn) {
        // Dropped outside every column: back to its own, where it was (which sets its status again).
        editor.reparentShapes([id], start.parentId as TLShapeId) // a column id, checked just above
        editor.updateShape<ActionCardShape>({ id, type: 'action', x: start.x, y: start.y })
      }
      if (STATUS_BY_COLUMN.has(start.parentId as TLShapeId)) columns.add(start.parentId as TLShapeId) // as above
    }
    for (const columnId of columns) if (editor.getShape(columnId)) stackColumn(editor, columnId)
  })
  if (kept) options.onKept()
}

/** Of the frames `frameIds`, the one `point` is over as it is on the board (moved or resized), if any. */
function frameUnder(editor: Editor, frameIds: readonly TLShapeId[], point: { x: number; y: number }): TLShapeId | undefined {
  return frameIds.find((id) => editor.getShapePageBounds(id)?.containsPoint(point))
}

/** The status column `card`'s centre is over, if any. */
function columnUnder(editor: Editor, card: ActionCardShape): TLShapeId | undefined {
  const centre = editor.getShapePageBounds(card)?.center
  return centre && frameUnder(editor, [...STATUS_BY_COLUMN.keys()], centre)
}

/**
 * Lays out a status column's cards as a stack in their current top-to-bottom order: centred, one
 * below the other, {@link COLUMN_GAP} apart. Only cards that are out of place are moved.
 */
export function stackColumn(editor: Editor, columnId: TLShapeId): void {
  const columnWidth = sizeOf(editor.getShape(columnId)).w ?? 0
  const children = editor
    .getSortedChildIdsForParent(columnId)
    .map((id) => editor.getShape(id))
    .filter((shape) => shape !== undefined)
    .sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1))
  let y = COLUMN_GAP
  for (const child of children) {
    const bounds = editor.getShapeGeometry(child).bounds
    const x = Math.max(0, (columnWidth - bounds.w) / 2)
    if (child.x !== x || child.y !== y) editor.updateShape({ id: child.id, type: child.type, x, y })
    y += bounds.h + COLUMN_GAP
  }
}

/** The relationship kind stored on an arrow, or null when none (or an unknown one) is set. */
export function relationshipKindOf(arrow: TLArrowShape): RelationshipKind | null {
  const value = arrow.meta.relationship
  return RELATIONSHIP_KINDS.find((kind) => kind === value) ?? null
}

/**
 * On the stakeholder map, a relationship this person draws starts with a kind, drawn as one:
 * `kindForNew()` says which, read when the line is drawn. The team's lines start as "influences"
 * (the plan reads an arrow without a kind as influences, [P8] in docs/plan-extraction.md, so the
 * board shows what the plan will say); a guest's start as a kind that is customer-facing now, since
 * a line of an internal kind belongs in the internal document, which a guest cannot write ([A31]).
 * A peer's arrow arrives with its kind already set.
 * @returns a function that stops it
 */
export function startRelationshipsWithKind(editor: Editor, kindForNew: () => RelationshipKind | null): () => void {
  return editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source !== 'user' || shape.type !== 'arrow') return
    const kind = kindForNew()
    if (kind !== null && relationshipKindOf(shape as TLArrowShape) === null) setRelationshipKind(editor, shape.id, kind) // narrowed by shape.type
  })
}

/**
 * The kind a new line of this page starts as, given the kinds it may draw: influences where it may
 * (the plan's reading of a line without a kind), else the first it may, else none.
 */
export function newLineKind(kinds: readonly RelationshipKind[]): RelationshipKind | null {
  return kinds.includes('influences') ? 'influences' : (kinds[0] ?? null)
}

/** Sets (or clears) an arrow's relationship kind and restyles it to match. */
export function setRelationshipKind(editor: Editor, id: TLShapeId, kind: RelationshipKind | null): void {
  const arrow = editor.getShape<TLArrowShape>(id)
  if (!arrow) return
  editor.updateShape<TLArrowShape>({
    id,
    type: 'arrow',
    meta: { ...arrow.meta, relationship: kind },
    // Unset reads as influences (the plan's reading), so it is drawn as one ([R9]).
    props: RELATIONSHIP_STYLES[relationshipKindRead(kind)],
  })
}

/** One relationship line at a stakeholder card: its arrow, its kind, and the card at its other end. */
export type CardRelationship = { arrowId: TLShapeId; kind: RelationshipKind; outgoing: boolean; otherId: TLShapeId }

/**
 * The relationship lines bound to stakeholder card `cardId` at one end and to another card at the
 * other, in reading order of the other card: for the side panel's list of a card's lines.
 */
export function relationshipsOf(editor: Editor, cardId: TLShapeId): CardRelationship[] {
  const found: CardRelationship[] = []
  for (const binding of editor.getBindingsToShape(cardId, 'arrow')) {
    const arrow = editor.getShape<TLArrowShape>(binding.fromId)
    if (arrow?.type !== 'arrow') continue
    const other = editor.getBindingsFromShape(arrow, 'arrow').find((b) => b.id !== binding.id)
    if (!other || other.toId === cardId || !editor.getShape(other.toId)) continue
    const outgoing = (binding.props as { terminal?: unknown }).terminal === 'start' // tldraw's arrow binding props
    found.push({ arrowId: arrow.id, kind: relationshipKindRead(arrow.meta.relationship), outgoing, otherId: other.toId })
  }
  const at = (id: TLShapeId) => editor.getShapePageBounds(id)
  return found.sort((a, b) => (at(a.otherId)?.y ?? 0) - (at(b.otherId)?.y ?? 0) || (at(a.otherId)?.x ?? 0) - (at(b.otherId)?.x ?? 0) || (a.arrowId < b.arrowId ? -1 : 1))
}

/**
 * Draws a relationship line of `kind` from stakeholder card `fromId` to card `toId`, bound to both,
 * as the arrow tool would: one undo step, the way to add a line without a pointer. Selects nothing
 * new: the card stays selected, to add the next line.
 * @returns the new line's id
 */
export function addRelationship(editor: Editor, fromId: TLShapeId, toId: TLShapeId, kind: RelationshipKind): TLShapeId {
  const id = createShapeId()
  const from = editor.getShapePageBounds(fromId)?.center
  const to = editor.getShapePageBounds(toId)?.center
  if (!from || !to) return id
  editor.markHistoryStoppingPoint('add relationship')
  editor.run(() => {
    editor.createShape<TLArrowShape>({
      id,
      type: 'arrow',
      x: from.x,
      y: from.y,
      meta: { relationship: kind },
      props: { ...RELATIONSHIP_STYLES[kind], start: { x: 0, y: 0 }, end: { x: to.x - from.x, y: to.y - from.y } },
    })
    const anchor = { normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' as const }
    editor.createBindings([
      { type: 'arrow', fromId: id, toId: fromId, props: { terminal: 'start', ...anchor } },
      { type: 'arrow', fromId: id, toId, props: { terminal: 'end', ...anchor } },
    ])
    // Around the cards in its way and apart from a line between the same two, as a drawn line is
    // once the gesture ends (review: two lines added here lay on top of each other).
    routeLines(editor)
  })
  return id
}
