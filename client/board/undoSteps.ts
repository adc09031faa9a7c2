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
