import { react, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { headerAxis, headerLabel } from '../../shared/extractAccount.ts'
import { labelKey } from '../../shared/labelKey.ts'
import type { CompetitorCardShape, WhitespaceCardShape } from '../../shared/shapes.ts'
import { isReplayingHistory } from './ownUndo.ts'

/** The cell prop that names what a renamed shape was called: its row, its column or its competitor. */
type NamingProp = 'row' | 'column' | 'competitor'

/** How names are compared: as extraction matches them ([P13], [P15]), case and spaces ignored. */
const key = labelKey

/** What `shape` is known by and which cell prop names it, or null if cells do not name it. */
function namedBy(shape: TLShape): { prop: NamingProp; name: string } | null {
  if (shape.type === 'competitor') return { prop: 'competitor', name: (shape as CompetitorCardShape).props.name.trim() } // narrowed by shape.type
  const axis = headerAxis(shape)
  return axis ? { prop: axis, name: headerLabel(shape) } : null
}

/** A rename under way: the cells that follow it, and the last non-empty name they hold. */
interface Rename {
  name: string
  cells: Set<TLShapeId>
}

/**
 * On the whitespace board, cells that name a header or a competitor card follow it when this
 * person renames it ([P13], [P15] in docs/plan-extraction.md): a cell's `row`, `column` or
 * `competitor` that named the old text (case and surrounding spaces ignored) is rewritten to the
 * new one in the same change, so every peer, the undo step and the server's plan see the rename
 * whole, keystroke by keystroke. The cells that follow are the ones that named the shape when its
 * rename began (its first change since it was selected): a name passed on the way ("Parcel
 * services" → "P" → … → "Parcel & express") takes no other cell that happens to be named "P". A
 * name cleared on the way carries them on when the new one is typed: they keep the last name until
 * then, never the empty text, which would mean "the row it sits in". Nothing follows when another
 * header of the same axis (or another competitor card) bears the old name: the cells may be that
 * one's. A peer's rename arrives with its cells already rewritten; an undo or redo carries its
 * cells in its own diff.
 * @returns a function that stops it
 */
export function carryCellsOnRename(editor: Editor): () => void {
  const renames = new Map<TLShapeId, Rename>()
  // A rename lasts while its shape stays selected (it is edited on the canvas or in the side panel).
  const stopForgetting = react('renames end with the selection', () => {
    editor.getSelectedShapeIds()
    renames.clear()
  })
  const stopCarrying = editor.sideEffects.registerAfterChangeHandler('shape', (previous, next, source) => {
    if (source !== 'user' || isReplayingHistory(editor)) return
    const before = namedBy(previous)
    const after = namedBy(next)
    if (!before || !after || before.prop !== after.prop || before.name === after.name) return
    const prop = after.prop
    let rename = renames.get(next.id)
    if (!rename || (before.name !== '' && key(before.name) !== key(rename.name))) {
      if (before.name === '') return
      rename = { name: before.name, cells: new Set() }
      const oldKey = key(before.name)
      for (const shape of editor.getCurrentPageShapes()) {
        const other = shape.id === next.id ? null : namedBy(shape)
        if (other?.prop === prop && key(other.name) === oldKey) return
        if (shape.type === 'whitespace' && key((shape as WhitespaceCardShape).props[prop]) === oldKey) rename.cells.add(shape.id) // narrowed by shape.type
      }
      renames.set(next.id, rename)
    }
    if (after.name === '') return
    const fromKey = key(rename.name)
    rename.name = after.name
    if (fromKey === key(after.name)) return
    const updates = [...rename.cells]
      .map((id) => editor.getShape<WhitespaceCardShape>(id))
      .filter((cell): cell is WhitespaceCardShape => cell !== undefined && key(cell.props[prop]) === fromKey)
      .map((cell) => ({ id: cell.id, type: 'whitespace' as const, props: { [prop]: after.name } }))
    if (updates.length > 0) editor.updateShapes<WhitespaceCardShape>(updates)
  })
  return () => {
    stopForgetting()
    stopCarrying()
  }
}
