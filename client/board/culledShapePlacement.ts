import { computed, type Editor, type Signal, type TLShapeId } from 'tldraw'

/**
 * Whether tldraw culls shape `id` (hides it, `display: none`, as it is off screen and neither
 * selected nor being edited), as a signal of its own that changes only when this shape is culled or
 * shown. Read first by tldraw's `Shape` reactor that places a shape's element (transform, size,
 * clip path), installed by the `culledShapesPlacedWhenShown` plugin in `vite.config.ts` (issue 14,
 * docs/upstream-reports.md): while the shape is culled the reactor stops there, so it depends on
 * nothing else, and a change of a hidden shape (a teammate's move of 1,000 shapes elsewhere on the
 * board) neither re-derives its page transform, clip path and geometry for the element nor writes
 * its style. When the shape is shown again the signal changes and the reactor places it, in the
 * same store change as tldraw's culling shows it, so before the next paint.
 *
 * A signal per shape and not `getCulledShapes().has(id)` in the reactor: that set changes whenever
 * any shape comes into view or leaves it (every few frames of a pan), and every shown shape's reactor
 * would then run again.
 */
export function culledSignal(editor: Editor, id: TLShapeId): Signal<boolean> {
  return computed(`culled ${id}`, () => editor.getCulledShapes().has(id))
}
