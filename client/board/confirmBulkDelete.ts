import type { Editor, StateNode, TLShapeId, TLUiActionItem, TLUiOverrides } from 'tldraw'
import { deletableShapes } from './guardRecords.ts'
import { linesBoundTo } from './relationshipLines.ts'

/** Deleting more shapes than this at once (frames count with their contents) asks first. */
export const CONFIRM_DELETE_ABOVE = 5

/**
 * How many shapes deleting the selection removes: the selected shapes this person may delete and
 * everything inside them (a guest's Ctrl+A, Delete removes only the guest's own, guardRecords.ts).
 */
function shapesToDelete(editor: Editor): number {
  return goingWith(editor, editor.getSelectedShapeIds())
}

/**
 * How many shapes deleting `ids` removes: those this person may delete, everything inside them,
 * and the relationship lines bound to them, which go with their cards (`deleteLinesWithTheirCards`;
 * QA q28d, q28e: two cards and their five lines went without a question).
 */
function goingWith(editor: Editor, ids: readonly TLShapeId[]): number {
  const going = editor.getShapeAndDescendantIds(deletableShapes(editor, ids))
  const lines = linesBoundTo(editor, going, going).filter((line) => typeof line.meta.relationship === 'string')
  return going.size + deletableShapes(editor, lines.map((line) => line.id)).length
}

/** The question asked before `verb`-ing `count` shapes. */
function confirmed(verb: string, count: number): boolean {
  return window.confirm(`${verb} ${count} shapes? They disappear for everyone on this board (the facilitator can bring them back from History).`)
}

/** Wraps an action that deletes the selection so that a large deletion is confirmed first. */
function confirming(editor: Editor, action: TLUiActionItem | undefined, verb: string): TLUiActionItem | undefined {
  if (!action) return action
  return {
    ...action,
    onSelect(source) {
      const count = shapesToDelete(editor)
      if (count > CONFIRM_DELETE_ABOVE && !confirmed(verb, count)) return
      return action.onSelect(source)
    },
  }
}

/**
 * tldraw UI overrides: Delete/Backspace, the menus' Delete and Cut ask before removing more than
 * {@link CONFIRM_DELETE_ABOVE} shapes at once (issue 11: a stray Ctrl+A, Delete wipes a board for
 * everyone). Pass as the `overrides` prop of `<Tldraw>`; a module constant, so tldraw's actions
 * are built once.
 */
export const confirmBulkDelete: TLUiOverrides = {
  actions(editor, actions) {
    const wrapped = { ...actions }
    const remove = confirming(editor, actions.delete, 'Delete')
    const cut = confirming(editor, actions.cut, 'Cut')
    if (remove) wrapped.delete = remove
    if (cut) wrapped.cut = cut
    return wrapped
  },
}

/**
 * The other ways a gesture deletes many shapes ask too (QA q28b: they went without a question):
 * Ctrl+X, which tldraw handles from the browser's own cut event, not through the Cut action; and
 * an eraser stroke across more than {@link CONFIRM_DELETE_ABOVE} shapes, asked once when the
 * stroke ends (declined, nothing is erased).
 * @returns a function that stops it
 */
export function confirmOtherBulkDeletes(editor: Editor): () => void {
  const document = editor.getContainer().ownerDocument
  const onCut = (event: ClipboardEvent) => {
    // tldraw's own conditions for a cut of shapes: a selection, no text being edited, the keys not in a field.
    const target = event.target
    if (editor.getSelectedShapeIds().length === 0 || editor.getEditingShapeId() !== null) return
    if (target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null)) return
    const count = shapesToDelete(editor)
    if (count <= CONFIRM_DELETE_ABOVE || confirmed('Cut', count)) return
    event.preventDefault()
    event.stopImmediatePropagation() // tldraw's listener, on the document too, never hears of it
  }
  document.addEventListener('cut', onCut, { capture: true })

  // Asked before the stroke deletes anything: tldraw's own before-delete handler cuts the lines
  // bound to a shape loose first, so a refusal made there left them unbound (review).
  const erasing = editor.getStateDescendant<StateNode & { complete?(info?: unknown): void; parent: StateNode }>('eraser.erasing')
  const complete = erasing?.complete
  if (erasing && complete) {
    erasing.complete = function (this: StateNode & { parent: StateNode }, info?: unknown) {
      const count = goingWith(editor, editor.getCurrentPageState().erasingShapeIds)
      if (count > CONFIRM_DELETE_ABOVE && !confirmed('Erase', count)) {
        editor.setErasingShapes([])
        this.parent.transition('idle', info)
        return
      }
      complete.call(this, info)
    }
  }
  return () => {
    document.removeEventListener('cut', onCut, { capture: true })
    if (erasing && complete) erasing.complete = complete
  }
}
