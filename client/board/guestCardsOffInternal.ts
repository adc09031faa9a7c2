/**
 * A guest's page never holds the team's internal items, so it places a new card or note where it
 * sees room: on the action plan, right under the last card it sees, which may be where an internal
 * action sits (QA q27a). On the team's pages the guest's card then covered the internal one. A
 * team page (one that may edit) that receives a guest's new card or note on top of an internal
 * item moves it to the room this page sees: the bottom of its column, or the free spot nearest it
 * (inside its quadrant, if it is in one). The rule is the same on every team page and reads the
 * same records, so two team pages move it to the same spot. The move is not an undo step.
 */
import type { JsonObject } from '@tldraw/utils'
import { isShapeId, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { creatorOf } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { SHAPE_TYPES } from '../../shared/shapes.ts'
import { nextSlotInColumn, STACKING_FRAMES } from './cards.ts'
import { freeSpotNear, type Rect } from './freeSpot.ts'
import { afterRemoteCreates } from './newCardsApart.ts'

/** What a guest adds that this rule moves: notes and cards, placed by a button or a click (not drawings, lines or text). */
const MOVED_TYPES: ReadonlySet<string> = new Set<string>(['note', ...Object.values(SHAPE_TYPES)])

function internal(shape: TLShape): boolean {
  return shape.meta[INTERNAL_META_KEY] === true
}

/**
 * Moves guests' new cards and notes off internal items on this page (see the module comment).
 * @returns a function that stops it
 */
export function keepGuestCardsOffInternal(editor: Editor): () => void {
  return afterRemoteCreates(
    editor,
    (shape) => !editor.getInstanceState().isReadonly && MOVED_TYPES.has(shape.type) && !internal(shape) && creatorOf(shape as unknown as JsonObject).role === 'guest', // records are JSON
    (ids) => moveOffInternal(editor, ids),
  )
}

function moveOffInternal(editor: Editor, ids: readonly TLShapeId[]): void {
  for (const id of ids) {
    const card = editor.getShape(id)
    const bounds = card && !internal(card) ? editor.getShapePageBounds(card) : undefined
    if (!card || !bounds) continue
    const covered = editor
      .getCurrentPageShapes()
      .some((other) => other.id !== id && other.type !== 'arrow' && internal(other) && editor.getShapePageBounds(other)?.collides(bounds))
    if (!covered) continue
    const spot = placeAgain(editor, card, bounds)
    if (spot) editor.run(() => editor.updateShape({ id, type: card.type, ...spot }), { history: 'ignore' })
  }
}

/** Where `card` goes instead, in its parent's space: the bottom of its column, or the nearest free spot. */
function placeAgain(editor: Editor, card: TLShape, bounds: Rect): { x: number; y: number } | undefined {
  if (isShapeId(card.parentId) && STACKING_FRAMES.has(card.parentId)) return nextSlotInColumn(editor, card.parentId, bounds.w, card.id)
  // Everything a card may not cover: cards and notes (as when one is placed), and internal frames,
  // which the guest sees as empty board.
  const occupied = editor
    .getCurrentPageShapes()
    .filter((shape) => shape.id !== card.id && shape.type !== 'arrow' && (shape.type !== 'frame' || internal(shape)))
    .map((shape) => editor.getShapePageBounds(shape))
    .filter((box) => box !== undefined)
  const parent = isShapeId(card.parentId) ? editor.getShape(card.parentId) : undefined
  const within = parent ? editor.getShapePageBounds(parent) : undefined
  const pageSpot = freeSpotNear({ x: bounds.x + bounds.w / 2, y: bounds.y + bounds.h / 2 }, bounds, occupied, undefined, within)
  if (pageSpot.x === bounds.x && pageSpot.y === bounds.y) return undefined
  return parent ? editor.getPointInParentSpace(card, pageSpot) : pageSpot
}
