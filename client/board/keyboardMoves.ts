/**
 * Moves made from the keyboard: the arrow keys nudge the selection (Shift: further), one press at
 * a time, and nothing settles the shapes afterwards as a drop settles a drag (QA q36c: a note
 * nudged from Strengths into Threats left its frame without entering the other, lay under the
 * Threats frame's fill and was seen by nobody, while the plan read it in Threats; an action card
 * nudged into another column kept its status). A keyboard move starts with the first arrow pressed
 * on the canvas with something selected and ends when the last arrow held is released; the
 * callbacks settle what it moved as the drop of a drag does.
 */
import type { Editor, TLShapeId } from 'tldraw'
import { isCanvasKey } from './panelFocus.ts'

const ARROWS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'])

/**
 * Calls `start` with the selected shapes before the first nudge of a keyboard move changes them,
 * and `end` with the same ids once the last arrow key is released.
 * @returns a function that stops listening
 */
export function onKeyboardMoves(editor: Editor, handlers: { start(ids: readonly TLShapeId[]): void; end(ids: readonly TLShapeId[]): void }): () => void {
  let moving: readonly TLShapeId[] | null = null
  const held = new Set<string>()
  const onKeyDown = (event: KeyboardEvent) => {
    if (!ARROWS.has(event.key)) return
    if (moving === null) {
      // Shift nudges further; Ctrl/Alt/Meta arrows are not moves (isCanvasKey leaves them out).
      if (!isCanvasKey(editor, event) || !editor.isIn('select.idle')) return
      const ids = editor.getSelectedShapeIds()
      if (ids.length === 0) return
      moving = [...ids]
      handlers.start(moving)
    }
    held.add(event.key)
  }
  const finish = () => {
    const ids = moving
    moving = null
    held.clear()
    if (ids) handlers.end(ids)
  }
  const onKeyUp = (event: KeyboardEvent) => {
    if (!ARROWS.has(event.key) || moving === null) return
    held.delete(event.key)
    if (held.size === 0) finish()
  }
  // A window that loses the keyboard mid-move (Alt+Tab) never hears the release.
  const onBlur = () => {
    if (moving !== null) finish()
  }
  window.addEventListener('keydown', onKeyDown, true)
  window.addEventListener('keyup', onKeyUp, true)
  window.addEventListener('blur', onBlur)
  return () => {
    window.removeEventListener('keydown', onKeyDown, true)
    window.removeEventListener('keyup', onKeyUp, true)
    window.removeEventListener('blur', onBlur)
  }
}
