import { react, type Editor } from 'tldraw'

/**
 * A double-click on a frame's label (the facilitator renaming a SWOT quadrant) opens tldraw's name
 * input and focuses it while the second click's pointerdown is still being handled; the browser's
 * default for that mousedown then gives the focus to the canvas, so the name typed next went to
 * the canvas as tool shortcuts (QA pass q26a: 5 times in 6). The input gets the focus back, with
 * its text selected, once that click is over. Returns a function that stops it.
 */
export function keepFrameNameFocus(editor: Editor): () => void {
  let frame = 0
  const stop = react('focus the frame name being edited', () => {
    const id = editor.getEditingShapeId()
    cancelAnimationFrame(frame)
    if (!id || editor.getShape(id)?.type !== 'frame') return
    frame = requestAnimationFrame(() => {
      if (editor.getEditingShapeId() !== id) return
      const input = editor.getContainer().querySelector<HTMLInputElement>(`.tl-shape[data-shape-id="${CSS.escape(id)}"] .tl-frame-name-input`)
      if (!input || document.activeElement === input) return
      input.focus()
      input.select()
    })
  })
  return () => {
    cancelAnimationFrame(frame)
    stop()
  }
}
