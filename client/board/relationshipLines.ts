import { getArrowBindings, react, type Editor, type JsonObject, type TLArrowShape, type TLShape, type TLShapeId } from 'tldraw'
import { mayDeleteRecord, type BoardEditor } from '../../shared/recordRights.ts'
import { RELATIONSHIP_STYLES, relationshipKindRead } from '../../shared/shapes.ts'
import type { Rect } from './freeSpot.ts'

/**
 * Relationship lines on the stakeholder map: their look follows their kind, and they curve around
 * cards instead of running under them where one of {@link BENDS} misses them all. Where none does
 * (a card between two others on a tight grid: every arc wide enough to pass it meets a neighbour),
 * the line takes the bend crossing the fewest cards, straight on a tie.
 */

type Point = { x: number; y: number }

/** Bends tried for a line, in order: straight first, then further and further out on either side. */
const BENDS = [0, 40, -40, 80, -80, 130, -130, 190, -190]

/** Room kept between a line and a card it passes. */
const CLEARANCE = 12

function intersects(point: Point, rect: Rect, margin: number): boolean {
  return point.x > rect.x - margin && point.x < rect.x + rect.w + margin && point.y > rect.y - margin && point.y < rect.y + rect.h + margin
}

/**
 * How many of `obstacles` the line from `start` to `end` with tldraw's `bend` passes through
 * (tldraw draws the arc through start, end and the point `bend` away from the middle, to the left
 * of the direction of travel for a positive bend).
 */
export function cardsCrossed(start: Point, end: Point, bend: number, obstacles: readonly Rect[]): number {
  const length = Math.hypot(end.x - start.x, end.y - start.y)
  if (length === 0) return 0
  const ux = (end.x - start.x) / length
  const uy = (end.y - start.y) / length
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }
  // tldraw: middle = med + u.per() * -bend, with per(x, y) = (y, -x).
  const through = { x: mid.x - uy * bend, y: mid.y + ux * bend }
  // The quadratic through start, `through` and end: close to tldraw's arc for the bends used here.
  const control = { x: 2 * through.x - mid.x, y: 2 * through.y - mid.y }
  const samples = Math.max(8, Math.ceil(length / 10))
  let crossed = 0
  for (const rect of obstacles) {
    for (let i = 1; i < samples; i++) {
      const t = i / samples
      const a = (1 - t) * (1 - t)
      const b = 2 * (1 - t) * t
      const c = t * t
      const point = { x: a * start.x + b * control.x + c * end.x, y: a * start.y + b * control.y + c * end.y }
      if (intersects(point, rect, CLEARANCE)) {
        crossed++
        break
      }
    }
  }
  return crossed
}

/**
 * The bend for a line from `start` to `end` that crosses the fewest `obstacles`, straight where it
 * can be, and never one of `taken` (the bends of other lines between the same two cards, in this
 * line's direction), so parallel lines do not hide one another.
 * @example chooseBend({ x: 0, y: 0 }, { x: 400, y: 0 }, [{ x: 150, y: -40, w: 100, h: 80 }], []) // ±130 or more
 */
export function chooseBend(start: Point, end: Point, obstacles: readonly Rect[], taken: readonly number[]): number {
  let best = BENDS[0] ?? 0
  let fewest = Infinity
  for (const bend of BENDS) {
    if (taken.some((other) => Math.abs(other - bend) < 20)) continue
    const crossed = cardsCrossed(start, end, bend, obstacles)
    if (crossed < fewest) {
      best = bend
      fewest = crossed
      if (crossed === 0) break
    }
  }
  return best
}

/**
 * Keeps every relationship line this person draws or restyles in the look of its kind (the legend,
 * the plan and the server's [R9] read the kind; a colour picked in the style panel does not make a conflict an ally),
 * and, whenever this person finishes a gesture on the stakeholder map, curves the lines whose ends
 * are both on cards around the other cards ({@link chooseBend}). Only lines whose bend changes are
 * written. Peers' changes are theirs to style: they arrive styled by their own page.
 * @returns a function that stops it
 */
export function keepRelationshipLines(editor: Editor): () => void {
  // An arrow without a kind (or with an unknown one) is drawn as the influence the plan reads it
  // as: the server refuses any other look ([R9]).
  const styled = (arrow: TLArrowShape): TLArrowShape => {
    const { color, dash } = RELATIONSHIP_STYLES[relationshipKindRead(arrow.meta.relationship)]
    return arrow.props.color === color && arrow.props.dash === dash ? arrow : { ...arrow, props: { ...arrow.props, color, dash } }
  }
  const stops = [
    editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) =>
      source === 'user' && shape.type === 'arrow' ? styled(shape as TLArrowShape) : shape, // narrowed by shape.type
    ),
    editor.sideEffects.registerBeforeChangeHandler('shape', (_prev, next, source) =>
      source === 'user' && next.type === 'arrow' ? styled(next as TLArrowShape) : next, // narrowed by next.type
    ),
    react('route relationship lines', () => {
      if (editor.isIn('select.idle')) queueMicrotask(() => routeLines(editor))
    }),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}

/**
 * Curves every line between two cards around the other cards; writes only lines whose bend changes.
 * Runs when a gesture ends ({@link keepRelationshipLines}); a line added without one (the side
 * panel) calls it itself.
 */
export function routeLines(editor: Editor): void {
  if (editor.getInstanceState().isReadonly) return
  const cards = new Map<TLShapeId, Rect>()
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type === 'arrow' || shape.type === 'frame') continue
    const bounds = editor.getShapePageBounds(shape)
    if (bounds) cards.set(shape.id, { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h })
  }
  const lines: { arrow: TLArrowShape; from: TLShapeId; to: TLShapeId }[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== 'arrow') continue
    const arrow = shape as TLArrowShape // narrowed by shape.type
    const { start, end } = getArrowBindings(editor, arrow)
    if (start && end && cards.has(start.toId) && cards.has(end.toId) && start.toId !== end.toId) lines.push({ arrow, from: start.toId, to: end.toId })
  }
  lines.sort((a, b) => (a.arrow.id < b.arrow.id ? -1 : 1))
  const chosen = new Map<string, number[]>()
  const updates: { id: TLShapeId; bend: number }[] = []
  for (const { arrow, from, to } of lines) {
    const fromRect = cards.get(from)
    const toRect = cards.get(to)
    if (!fromRect || !toRect) continue
    const center = (rect: Rect) => ({ x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 })
    const obstacles = [...cards].filter(([id]) => id !== from && id !== to).map(([, rect]) => rect)
    // Bends of lines between the same cards, seen in this line's direction (a reversed line bends the other way).
    const pair = from < to ? `${from} ${to}` : `${to} ${from}`
    const sign = from < to ? 1 : -1
    const taken = (chosen.get(pair) ?? []).map((bend) => bend * sign)
    const bend = chooseBend(center(fromRect), center(toRect), obstacles, taken)
    chosen.set(pair, [...(chosen.get(pair) ?? []), bend * sign])
    if (Math.abs(arrow.props.bend - bend) > 0.5) updates.push({ id: arrow.id, bend })
  }
  if (updates.length === 0) return
  editor.run(() => {
    for (const { id, bend } of updates) editor.updateShape<TLArrowShape>({ id, type: 'arrow', props: { bend } })
  })
}

/** The lines (arrows) bound at either end to any of `cards`, each once, but those in `skip` (already going). */
export function linesBoundTo(editor: Editor, cards: Iterable<TLShapeId>, skip: ReadonlySet<TLShapeId>): TLShape[] {
  const lines = new Map<TLShapeId, TLShape>()
  for (const id of cards) {
    for (const binding of editor.getBindingsToShape(id, 'arrow')) {
      const line = editor.getShape(binding.fromId)
      if (line && !skip.has(line.id)) lines.set(line.id, line)
    }
  }
  return [...lines.values()]
}

/**
 * A card this person deletes takes its relationship lines with it, in the same change (one undo
 * brings back the card and its lines): a line bound to nothing says nothing, and the plan would
 * warn that it is not attached at both ends. Lines of either document go (a team page holds both;
 * its binding writes the internal ones to the internal document). A line this person may not
 * delete ([R7]: a guest deletes only what it created) stays, unbound, for the team: deleting it
 * would be refused by the server. Nothing happens for a card this person may not delete.
 *
 * tldraw drops a deleted shape's bindings before any handler of ours sees the delete, so this
 * listens to the delete itself (`deleted-shapes`, sent before anything is removed).
 * @returns a function that stops it
 */
export function deleteLinesWithTheirCards(editor: Editor, who: BoardEditor): () => void {
  const onDelete = (ids: TLShapeId[]) => {
    const cards = ids.filter((id) => {
      const card = editor.getShape(id)
      return card !== undefined && card.type !== 'arrow' && mayDeleteRecord(who, card as unknown as JsonObject /* records are JSON */)
    })
    const lines = linesBoundTo(editor, cards, new Set(ids)).filter((line) => mayDeleteRecord(who, line as unknown as JsonObject /* records are JSON */))
    if (lines.length > 0) editor.deleteShapes(lines.map((line) => line.id))
  }
  editor.on('deleted-shapes', onDelete)
  return () => {
    editor.off('deleted-shapes', onDelete)
  }
}
