import { atom, type Atom, type Editor, type TLShapeId } from 'tldraw'

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
