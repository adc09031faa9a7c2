import type { Editor, TLUiActionItem, TLUiOverrides } from 'tldraw'
import { deletableShapes } from './guardRecords.ts'

/** Deleting more shapes than this at once (frames count with their contents) asks first. */
export const CONFIRM_DELETE_ABOVE = 5

/**
 * How many shapes deleting the selection removes: the selected shapes this person may delete and
 * everything inside them (a guest's Ctrl+A, Delete removes only the guest's own, guardRecords.ts).
 */
function shapesToDelete(editor: Editor): number {
  return editor.getShapeAndDescendantIds(deletableShapes(editor, editor.getSelectedShapeIds())).size
}

/** Wraps an action that deletes the selection so that a large deletion is confirmed first. */
function confirming(editor: Editor, action: TLUiActionItem | undefined, verb: string): TLUiActionItem | undefined {
  if (!action) return action
  return {
    ...action,
    onSelect(source) {
      const count = shapesToDelete(editor)
      if (count > CONFIRM_DELETE_ABOVE) {
        const question = `${verb} ${count} shapes? They disappear for everyone on this board (the facilitator can bring them back from History).`
        if (!window.confirm(question)) return
      }
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
