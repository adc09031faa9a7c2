/**
 * Where the shapes of a multiple drag land. tldraw puts every dragged shape into the frame under
 * the pointer; Keyplan's frames take a shape of a multiple drag only when its centre is over them
 * (`KeyplanFrameShapeUtil`), so nothing changes quadrant without moving. On the drop, each shape
 * is then settled by its centre: into the frame its centre is over (the topmost), or onto the page
 * when it is over none, so a SWOT note whose centre crossed into Weaknesses while the pointer
 * stayed in Strengths is no longer left in Strengths, clipped by it, with the plan reading it in
 * Weaknesses ([P4]: a note belongs to the quadrant that holds its centre). Action cards are left to
 * `dropIntoColumns` (cards.ts), which settles them the same way with their status.
 */
import { isShapeId, react, type Editor, type TLShapeId } from 'tldraw'
import { SHAPE_TYPES } from '../../shared/shapes.ts'
import { onKeyboardMoves } from './keyboardMoves.ts'

/**
 * Settles the shapes of each multiple drag this page makes by their centres (see the module comment).
 * @returns a function that stops it
 */
export function settleMultipleDragsByCentre(editor: Editor): () => void {
  let dragged: TLShapeId[] | null = null
  // A keyboard move settles like a drop, a single shape too: the arrow keys never change a frame.
  const stopKeyboard = onKeyboardMoves(editor, { start: () => {}, end: (ids) => queueMicrotask(() => settleByCentre(editor, ids)) })
  const stopDrags = react('multiple drag', () => {
    const dragging = editor.isIn('select.translating')
    if (dragging && !dragged) {
      dragged = editor.getSelectedShapeIds().length > 1 ? [...editor.getSelectedShapeIds()] : []
    } else if (!dragging && dragged) {
      const ids = dragged
      dragged = null
      // Not inside the reaction: settling changes the store, which the reaction's flush must not see.
      if (ids.length > 0) queueMicrotask(() => settleByCentre(editor, ids))
    }
  })
  return () => {
    stopKeyboard()
    stopDrags()
  }
}

function settleByCentre(editor: Editor, ids: readonly TLShapeId[]): void {
  const selected = new Set(ids)
  // Topmost first: a frame drawn over another takes what is over both.
  const frames = editor
    .getCurrentPageShapesSorted()
    .filter((shape) => shape.type === 'frame')
    .reverse()
  const moves: { id: TLShapeId; to: TLShapeId | ReturnType<Editor['getCurrentPageId']> }[] = []
  for (const id of ids) {
    const shape = editor.getShape(id)
    if (!shape || shape.type === SHAPE_TYPES.action) continue
    const parent = isShapeId(shape.parentId) ? editor.getShape(shape.parentId) : undefined
    // Inside a group, or inside something dragged along with it: it moved with its parent.
    if (parent && (parent.type !== 'frame' || selected.has(parent.id))) continue
    const centre = editor.getShapePageBounds(shape)?.center
    if (!centre) continue
    const under = frames.find((frame) => frame.id !== id && !selected.has(frame.id) && !editor.hasAncestor(frame, id) && editor.getShapePageBounds(frame)?.containsPoint(centre))
    const to = under?.id ?? editor.getCurrentPageId()
    if (to !== shape.parentId) moves.push({ id, to })
  }
  if (moves.length === 0) return
  // Part of the drag's undo step: no stopping point between them.
  editor.run(() => {
    for (const { id, to } of moves) editor.reparentShapes([id], to) // keeps each where it is on the page
  })
}
