import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { headerAxis, headerLabel } from '../../shared/extractAccount.ts'
import type { CompetitorCardShape, WhitespaceCardShape } from '../../shared/shapes.ts'
import { isReplayingHistory } from './ownUndo.ts'

/** The cell prop that names what a renamed shape was called: its row, its column or its competitor. */
type NamingProp = 'row' | 'column' | 'competitor'

/** How names are compared: as extraction matches competitors ([P15]), case and surrounding spaces ignored. */
const key = (name: string) => name.trim().toLowerCase()

/** What `shape` is known by and which cell prop names it, or null if cells do not name it. */
function namedBy(shape: TLShape): { prop: NamingProp; name: string } | null {
  if (shape.type === 'competitor') return { prop: 'competitor', name: (shape as CompetitorCardShape).props.name.trim() } // narrowed by shape.type
  const axis = headerAxis(shape)
  return axis ? { prop: axis, name: headerLabel(shape) } : null
}

/**
 * On the whitespace board, cells that name a header or a competitor card follow it when this
 * person renames it ([P13], [P15] in docs/plan-extraction.md): a cell's `row`, `column` or
 * `competitor` that named the old text (case and surrounding spaces ignored) is rewritten to the
 * new one in the same change, so every peer, the undo step and the server's plan see the rename
 * whole, keystroke by keystroke. A name cleared on the way ("Globex" → "" → "Initech") carries the
 * cells on when the new name is typed: they keep the last name until then, never the empty text,
 * which would mean "the row it sits in". Cells are left alone when another header of the same axis
 * (or another competitor card) still bears the old name: they may be that one's. A peer's rename
 * arrives with its cells already rewritten; an undo or redo carries its cells in its own diff.
 * @returns a function that stops it
 */
export function carryCellsOnRename(editor: Editor): () => void {
  // The last non-empty name of a shape whose name is empty now, to carry its cells from later.
  const lastNames = new Map<TLShapeId, string>()
  return editor.sideEffects.registerAfterChangeHandler('shape', (previous, next, source) => {
    if (source !== 'user' || isReplayingHistory(editor)) return
    const before = namedBy(previous)
    const after = namedBy(next)
    if (!before || !after || before.prop !== after.prop) return
    const oldName = before.name === '' ? lastNames.get(next.id) : before.name
    if (after.name === '') {
      if (oldName) lastNames.set(next.id, oldName)
      return
    }
    lastNames.delete(next.id)
    if (!oldName || key(oldName) === key(after.name)) return
    const oldKey = key(oldName)
    const cells: WhitespaceCardShape[] = []
    for (const shape of editor.getCurrentPageShapes()) {
      if (shape.id !== next.id && namedBy(shape)?.prop === after.prop && key(namedBy(shape)?.name ?? '') === oldKey) return
      if (shape.type === 'whitespace') cells.push(shape as WhitespaceCardShape) // narrowed by shape.type
    }
    const prop = after.prop
    const updates = cells
      .filter((cell) => key(cell.props[prop]) === oldKey)
      .map((cell) => ({ id: cell.id, type: 'whitespace' as const, props: { [prop]: after.name } }))
    if (updates.length > 0) editor.updateShapes<WhitespaceCardShape>(updates)
  })
}
