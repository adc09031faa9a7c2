/**
 * What is inside an internal item is internal (docs/security.md [A39]): a shape whose parent (a
 * frame, a group), or any ancestor, is marked internal is marked too, so the page's routing
 * (`internalParts.ts`) writes it into the internal document and the team sees its lock. The rule
 * is kept with tldraw side effects on this page's own changes, and applied to what other pages
 * wrote (a note drawn into a frame as someone else marked the frame) once their change arrives.
 *
 * - Created inside an internal item (drawn, pasted, duplicated): marked on its own
 *   (`meta.keyplanInternal`); it was never visible, so it stays internal wherever it is moved.
 * - Moved into an internal item, or inside an item as that item is marked internal: marked as
 *   taken from its parent (`meta.keyplanInternalFromParent` too); moved out again, or its parent
 *   marked visible again, it is visible again, as it was before.
 * - Marked visible while an ancestor is internal: it stays internal (taken from its parent).
 * Bindings follow their arrows (the server refuses a binding of an internal arrow in the shared
 * document, [A31]).
 */
import { isShapeId, react, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { INTERNAL_FROM_PARENT_META_KEY, INTERNAL_META_KEY } from '../../shared/sensitivity.ts'

function marked(shape: TLShape): boolean {
  return shape.meta[INTERNAL_META_KEY] === true
}

function fromParent(shape: TLShape): boolean {
  return shape.meta[INTERNAL_FROM_PARENT_META_KEY] === true
}

/** True when an ancestor of `shape` is marked internal (a missing parent ends the walk). */
function insideInternal(editor: Editor, shape: TLShape): boolean {
  const seen = new Set<string>()
  let parentId = shape.parentId
  while (isShapeId(parentId) && !seen.has(parentId)) {
    seen.add(parentId)
    const parent = editor.getShape(parentId)
    if (!parent) return false
    if (marked(parent)) return true
    parentId = parent.parentId
  }
  return false
}

/** `shape`'s meta with the mark set (`own`: marked on its own) or cleared. */
function withMark(shape: TLShape, mark: 'own' | 'from-parent' | 'none'): TLShape['meta'] {
  const { [INTERNAL_FROM_PARENT_META_KEY]: _from, ...meta } = shape.meta
  if (mark === 'none') return { ...meta, [INTERNAL_META_KEY]: false }
  if (mark === 'own') return { ...meta, [INTERNAL_META_KEY]: true }
  return { ...meta, [INTERNAL_META_KEY]: true, [INTERNAL_FROM_PARENT_META_KEY]: true }
}

function setMark(editor: Editor, shape: TLShape, mark: 'own' | 'from-parent' | 'none'): void {
  editor.updateShape({ id: shape.id, type: shape.type, meta: withMark(shape, mark) })
}

/** Gives the bindings of `shape` (an arrow's) the shape's mark, so they are routed with it. */
function bindingsFollow(editor: Editor, shape: TLShape): void {
  const internal = marked(shape)
  const bindings = editor.getBindingsFromShape(shape.id, 'arrow').filter((binding) => (binding.meta[INTERNAL_META_KEY] === true) !== internal)
  if (bindings.length > 0) editor.updateBindings(bindings.map((binding) => ({ id: binding.id, type: binding.type, meta: { ...binding.meta, [INTERNAL_META_KEY]: internal } })))
}

/** The shape's children get its mark: marked from it when it is internal, visible again when it is not. */
function childrenFollow(editor: Editor, shape: TLShape): void {
  for (const id of editor.getSortedChildIdsForParent(shape.id)) {
    const child = editor.getShape(id)
    if (!child) continue
    if (marked(shape) && !marked(child)) setMark(editor, child, 'from-parent')
    else if (!marked(shape) && fromParent(child) && !insideInternal(editor, child)) setMark(editor, child, 'none')
  }
}

/**
 * Keeps the shapes inside internal items internal on a team page, while it may edit: this page's
 * changes as they are made, other pages' changes and what the board held when it opened or became
 * editable ([A39]) right after. Returns a function that stops it.
 */
export function keepInternalItemsContents(editor: Editor): () => void {
  const { sideEffects } = editor
  const afterCreate = (shape: TLShape, source: 'user' | 'remote') => {
    if (source === 'user' && !marked(shape) && insideInternal(editor, shape)) setMark(editor, shape, 'own')
  }
  const afterChange = (prev: TLShape, next: TLShape, source: 'user' | 'remote') => {
    if (source !== 'user') return
    if (!marked(next) && insideInternal(editor, next)) {
      // Moved in, or marked visible inside an internal item.
      setMark(editor, next, 'from-parent')
      return
    }
    if (prev.parentId !== next.parentId && fromParent(next) && !insideInternal(editor, next)) {
      setMark(editor, next, 'none') // moved out: visible again, as before it went in
      return
    }
    if (marked(prev) !== marked(next)) {
      bindingsFollow(editor, next)
      childrenFollow(editor, next)
    }
  }

  /** Marks the shapes of `ids` (and what is inside them) that are inside an internal item but not marked. */
  const settle = (ids: Iterable<TLShapeId>) => {
    // A read-only page (an archived workshop) writes nothing; it settles the board when it may edit again.
    if (editor.getInstanceState().isReadonly) return
    const strays: TLShape[] = []
    for (const id of ids) {
      const shape = editor.getShape(id)
      if (!shape) continue
      if (!marked(shape) && insideInternal(editor, shape)) strays.push(shape)
      else if (marked(shape)) {
        for (const child of editor.getSortedChildIdsForParent(shape.id)) {
          const inner = editor.getShape(child)
          if (inner && !marked(inner)) strays.push(inner)
        }
      }
    }
    // Written by another page as the item was marked (or before this rule): marked on its own,
    // failing closed, since this page cannot tell whether it was ever visible.
    if (strays.length > 0) editor.run(() => strays.forEach((shape) => setMark(editor, shape, 'own')))
  }

  const stops = [
    sideEffects.registerAfterCreateHandler('shape', afterCreate),
    sideEffects.registerAfterChangeHandler('shape', afterChange),
    editor.store.listen(
      ({ changes }) => {
        const ids = [...Object.keys(changes.added), ...Object.keys(changes.updated)].filter(isShapeId)
        // After the remote merge, as this page's own change (routed and sent like any other).
        if (ids.length > 0) queueMicrotask(() => settle(ids))
      },
      { source: 'remote', scope: 'document' },
    ),
  ]
  // What the board held when it opened, or when it may be edited again (unarchived, review of
  // session 28: a page opened read-only never settled); what arrives later is remote and settled above.
  settle(editor.getCurrentPageShapeIds())
  let readonly = editor.getIsReadonly()
  stops.push(
    react('settle internal contents when editable again', () => {
      const now = editor.getIsReadonly()
      // Outside the reaction: settling reads every shape, which the reaction must not track.
      if (readonly && !now) queueMicrotask(() => settle(editor.getCurrentPageShapeIds()))
      readonly = now
    }),
  )
  return () => {
    for (const stop of stops) stop()
  }
}
