import { useMemo } from 'react'
import { computed, isUninitialized, RESET_VALUE, unsafe__withoutCapture, useEditor, useValue, type Computed, type TLShape, type TLShapeId, type TLStore } from 'tldraw'

/** A shape's bounds on the page, as a layer over the canvas draws them. */
export interface ShapeBox {
  id: TLShapeId
  x: number
  y: number
  w: number
  h: number
}

/** Which shapes a layer draws over (see {@link shapeIdsWhere}). */
export interface ShapePick {
  /** Whether the layer draws over `shape`. */
  picks(shape: TLShape): boolean
  /**
   * Whether a change of a shape from `from` to `to` can change what {@link picks} says: false for a
   * move, which keeps the shape's `props` and `meta` objects (tldraw's own changes and the binding's
   * `shareUnchanged` keep the ones they leave equal).
   */
  mayChange(from: TLShape, to: TLShape): boolean
}

/**
 * The ids of the shapes `pick` picks, kept up to date change by change from the store's history:
 * a change `pick.mayChange` rules out costs one comparison and leaves the set (and what derives
 * from it) as it was. tldraw's own query (`store.query.ids` with a matcher) runs its matcher over
 * every changed record, ~2 ms for 1,000 remote moves.
 */
export function shapeIdsWhere(store: TLStore, name: string, pick: ShapePick): Computed<ReadonlySet<TLShapeId>> {
  const history = store.query.filterHistory('shape')
  const fromScratch = (): ReadonlySet<TLShapeId> => {
    history.get() // a change of any shape brings this computed up to date, through the history
    return unsafe__withoutCapture(() => {
      const ids = new Set<TLShapeId>()
      for (const record of store.allRecords()) if (record.typeName === 'shape' && pick.picks(record)) ids.add(record.id)
      return ids
    })
  }
  return computed<ReadonlySet<TLShapeId>>(name, (previous, lastComputedEpoch) => {
    if (isUninitialized(previous)) return fromScratch()
    const diff = history.getDiffSince(lastComputedEpoch)
    if (diff === RESET_VALUE) return fromScratch()
    let next: Set<TLShapeId> | undefined
    const set = (id: TLShapeId, picked: boolean) => {
      if ((next ?? previous).has(id) === picked) return
      next ??= new Set(previous)
      if (picked) next.add(id)
      else next.delete(id)
    }
    for (const changes of diff) {
      for (const shape of Object.values(changes.added)) if (pick.picks(shape)) set(shape.id, true)
      for (const [from, to] of Object.values(changes.updated)) if (pick.mayChange(from, to)) set(to.id, pick.picks(to))
      for (const shape of Object.values(changes.removed)) set(shape.id, false)
    }
    return next ?? previous
  })
}

/**
 * The bounds of the current page's shapes that `pick` picks ({@link shapeIdsWhere}), kept up to
 * date as they change. Reading every shape of the page instead (`getCurrentPageShapes`) made a
 * layer re-derive on every change of any shape, and kept tldraw rebuilding its list of all the
 * page's shapes for it: a teammate's move of 1,000 cards, none of them marked, re-derived the
 * internal markers (issue 14), as did every frame of a local drag.
 * @example const boxes = useShapeBoxes('objective cards', { picks: (s) => s.type === 'objective', mayChange: () => false })
 */
export function useShapeBoxes(name: string, pick: ShapePick): ShapeBox[] {
  const editor = useEditor()
  // `pick` is read once: the callers' picks are constants.
  const ids = useMemo(() => shapeIdsWhere(editor.store, name, pick), [editor, name])
  return useValue(
    name,
    () => {
      const pageId = editor.getCurrentPageId()
      const boxes: ShapeBox[] = []
      for (const id of ids.get()) {
        if (editor.getAncestorPageId(id) !== pageId) continue
        const bounds = editor.getShapePageBounds(id)
        if (bounds) boxes.push({ id, x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h })
      }
      return boxes
    },
    [editor, ids],
  )
}
