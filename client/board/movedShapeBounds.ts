import type { Editor, TLRecord, TLShape } from 'tldraw'

/**
 * The shapes a batch of store changes only moved, by id: how far, or null once a change of it was
 * more than a move (or it was created or removed).
 */
export type Moves = Map<string, { dx: number; dy: number } | null>

/** A spatial-index entry: a shape's page bounds. */
export interface IndexedBounds {
  id: string
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/**
 * Notes a change of a shape for {@link movedBounds}: a move when the shape stays on the page, with
 * the same rotation, type and the same `props` and `meta` objects, the identity tldraw's geometry
 * cache itself keys on (`areShapesContentEqual`): its geometry is the cached one, and its page
 * bounds shift by the move.
 */
export function noteMove(moves: Moves, from: TLRecord, to: TLShape): void {
  const before = moves.get(to.id)
  if (before === null) return
  const moved =
    from.typeName === 'shape' &&
    from.type === to.type &&
    from.parentId === to.parentId &&
    to.parentId.startsWith('page:') &&
    from.rotation === to.rotation &&
    from.props === to.props &&
    from.meta === to.meta
  moves.set(to.id, moved ? { dx: (before?.dx ?? 0) + to.x - from.x, dy: (before?.dy ?? 0) + to.y - from.y } : null)
}

/**
 * The new spatial-index entry of shape `id` if the changes only moved it ({@link noteMove}): its
 * indexed bounds shifted by the move, instead of tldraw deriving its page transform, checking its
 * geometry and deriving its page bounds, work nothing else asks for while the shape is hidden (a
 * teammate's move of 1,000 shapes off screen; issue 14). Undefined, for tldraw's own derivation,
 * when it was not indexed, holds other shapes (a group's bounds follow its children) or has
 * bindings (an arrow's geometry follows the shapes it binds).
 */
export function movedBounds(editor: Editor, moves: Moves, id: string, indexed: IndexedBounds | undefined): IndexedBounds | undefined {
  const move = moves.get(id)
  if (!move || !indexed) return undefined
  const shapeId = id as TLShape['id'] // an id from the shape diffs
  if (editor.getSortedChildIdsForParent(shapeId).length > 0 || editor.getBindingsInvolvingShape(shapeId).length > 0) return undefined
  return { id, minX: indexed.minX + move.dx, minY: indexed.minY + move.dy, maxX: indexed.maxX + move.dx, maxY: indexed.maxY + move.dy }
}
