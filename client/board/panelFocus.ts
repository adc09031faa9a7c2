import { atom, type Atom, type Editor, type TLShapeId } from 'tldraw'
import { SHAPE_TYPES } from '../../shared/shapes.ts'

/**
 * A card added from the keyboard (Enter on a toolbar button) opens in the side panel with the
 * focus in its first field, so the name typed next goes there and not to the canvas as shortcuts.
 * The toolbar asks; the side panel (InspectorPanel.tsx) focuses the field once it shows the card.
 */
const requests = new WeakMap<Editor, Atom<TLShapeId | null>>()

/** The card whose first side-panel field should take the focus once shown (null: none). */
export function panelFocusRequest(editor: Editor): Atom<TLShapeId | null> {
  let request = requests.get(editor)
  if (!request) requests.set(editor, (request = atom<TLShapeId | null>('panel focus request', null)))
  return request
}

/** Card shapes: their fields are edited in the side panel, not on the canvas. */
const CARD_SHAPES: ReadonlySet<string> = new Set(Object.values(SHAPE_TYPES))

/** Whether `type` is a card's, whose fields are edited in the side panel. */
export function isCardType(type: string): boolean {
  return CARD_SHAPES.has(type)
}

/**
 * From the keyboard, a selected item's side panel: Enter on one selected card, or Shift+Enter on
 * any one selected item (a note's Enter edits its text, as tldraw does), moves the focus into its
 * first side-panel field, or (a note, during a vote) to "Vote for this item". QA q29c: only a card just
 * added from the keyboard got there; a card already on the board could not be edited or voted on
 * without a pointer. Not while something is being edited, nor from a field or button.
 * @returns a function that stops listening
 */
export function openPanelFromKeyboard(editor: Editor): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || !isCanvasKey(editor, event) || editor.getSelectedShapeIds().length !== 1) return
    const shape = editor.getOnlySelectedShape()
    if (!shape || (!event.shiftKey && !CARD_SHAPES.has(shape.type))) return
    // A note has no fields: the vote's button, while a vote asks for one.
    // Only that button (review: another one of the vote panel, "Close vote", would take the next Enter).
    const vote = CARD_SHAPES.has(shape.type) ? null : document.querySelector<HTMLElement>(`button[data-vote-for="${CSS.escape(shape.id)}"]:not([aria-disabled="true"])`)
    if (!CARD_SHAPES.has(shape.type) && !vote) return
    event.preventDefault()
    event.stopPropagation()
    swallowKeyUp = true
    if (vote) vote.focus()
    else panelFocusRequest(editor).set(shape.id)
  }
  // tldraw starts editing a note when Enter comes up: not this Enter's.
  let swallowKeyUp = false
  const onKeyUp = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || !swallowKeyUp) return
    swallowKeyUp = false
    event.stopPropagation()
  }
  // Before tldraw's own listeners.
  window.addEventListener('keydown', onKeyDown, true)
  window.addEventListener('keyup', onKeyUp, true)
  return () => {
    window.removeEventListener('keydown', onKeyDown, true)
    window.removeEventListener('keyup', onKeyUp, true)
  }
}

/**
 * True for a plain key (no Alt, Ctrl or Meta, not composing, not handled yet) meant for the canvas:
 * pressed in tldraw's container, or on the body once the canvas was clicked (keys reach tldraw
 * from both), not in a field or on a button, with nothing being edited.
 */
export function isCanvasKey(editor: Editor, event: KeyboardEvent): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented || event.isComposing) return false
  const target = event.target
  const onCanvas = target instanceof Node && (editor.getContainer().contains(target) || (target === document.body && editor.getIsFocused()))
  if (!onCanvas || (target instanceof HTMLElement && target.closest('input, textarea, select, button, [contenteditable="true"]'))) return false
  return editor.getEditingShapeId() === null
}
