import type { Editor } from 'tldraw'

/**
 * Undo steps of the side panel and the toolbar. tldraw starts a step at each canvas gesture (a
 * drag, a resize, editing a note); changes made outside its tools join whatever step is open, so
 * one Undo took back a new card together with every field filled in after it. Each such change
 * starts its own step here: a field chosen from a list is one step, typing into a field is one step
 * until the person pauses or moves to another field.
 */

/** Typing into one field with no pause longer than this is one undo step. */
export const TYPING_PAUSE_MS = 1000

const lastEdit = new WeakMap<Editor, { key: string; at: number }>()

/**
 * Starts a new undo step for a change of `field` of record `id`, unless it continues the typing
 * of the step before (same field, `typing`, within {@link TYPING_PAUSE_MS}). Call it right
 * before making the change.
 * @example
 * startEditStep(editor, shape.id, 'notes', true)
 * editor.updateShape({ id: shape.id, type: 'stakeholder', props: { notes } })
 */
export function startEditStep(editor: Editor, id: string, field: string, typing = false): void {
  const key = `${id} ${field}`
  const now = Date.now()
  const last = lastEdit.get(editor)
  lastEdit.set(editor, { key, at: now })
  if (typing && last?.key === key && now - last.at <= TYPING_PAUSE_MS) return
  editor.markHistoryStoppingPoint(`edit ${key}`)
}

/**
 * Makes typing into a shape on the canvas (a sticky note, a label) an undo step of its own: tldraw
 * starts a step when a note is created and keeps the typing in it, so the first Undo took the new
 * note away with its text. A step starts whenever this person starts editing a shape's text.
 * @returns a function that stops it
 */
export function startTypingSteps(editor: Editor): () => void {
  return editor.sideEffects.registerAfterChangeHandler('instance_page_state', (prev, next, source) => {
    if (source !== 'user' || next.editingShapeId === null || next.editingShapeId === prev.editingShapeId) return
    editor.markHistoryStoppingPoint(`typing ${next.editingShapeId}`)
  })
}
