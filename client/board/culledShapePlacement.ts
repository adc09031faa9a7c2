import { atom, unsafe__withoutCapture, type Atom, type Editor, type TLShapeId } from 'tldraw'

/**
 * Lets tldraw's `Shape` reactor that places a shape's element (transform, size, clip path) skip a
 * shape tldraw culls (hides, `display: none`: off screen, neither selected nor being edited), and
 * place it once it is shown. Installed by the `culledShapesPlacedWhenShown` plugin in
 * `vite.config.ts` (issue 14, docs/upstream-reports.md): a teammate's move of 1,000 shapes off
 * screen made every hidden element's reactor re-derive its page transform, clip path and geometry
 * and write its style, about half of tldraw's reaction to the move.
 *
 * The reactor still reads the shape's record (so a change of it runs the reactor, which stops at
 * {@link isCulled}) but not its derived placement; tldraw's culling, which already compares every
 * element's culled state with the new one whenever the culled set changes, bumps the element's
 * {@link shownSignal} when it shows it, in the same store change, so before the next paint. A signal
 * per shape that derives "culled" from the culled set instead was tried first: every change of
 * that set (every few frames of a pan) then re-derived it for every shape on the page, and a pan
 * across 2,000 shapes took twice as long.
 */

const shown = new WeakMap<Element, Atom<number>>()

/** Changes each time tldraw's culling shows `container` again (see {@link markShown}). */
export function shownSignal(container: Element | null): Atom<number> | undefined {
  if (!container) return undefined
  let signal = shown.get(container)
  if (!signal) shown.set(container, (signal = atom('shown', 0)))
  return signal
}

/** Called by tldraw's culling when it shows `container` again: its shape is placed. */
export function markShown(container: Element | null): void {
  if (!container) return
  const signal = shown.get(container)
  signal?.set(signal.get() + 1)
}

/** Whether tldraw culls shape `id` now, not read as a dependency: {@link shownSignal} says when this changes to shown. */
export function isCulled(editor: Editor, id: TLShapeId): boolean {
  return unsafe__withoutCapture(() => editor.getCulledShapes().has(id))
}
