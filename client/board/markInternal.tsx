/**
 * Marking the selection internal or visible (issue 13): a shortcut (Alt+I) and a context-menu
 * entry for the team's roles. An internal item carries `meta.keyplanInternal: true`; the binding
 * (`internalParts.ts`) then moves it, with the bindings of its arrows, into the board's internal
 * document, which guests never receive ([A30]).
 */
import {
  DefaultContextMenu,
  useEditor,
  useValue,
  DefaultContextMenuContent,
  TldrawUiMenuActionItem,
  TldrawUiMenuGroup,
  type Editor,
  type TLUiContextMenuProps,
  type TLUiOverrides,
} from 'tldraw'
import { INTERNAL_META_KEY, KEPT_FROM_GUEST_META_KEY } from '../../shared/sensitivity.ts'
import { INTERNAL_HINT, InternalMark } from '../components/InternalMark.tsx'
import { useShapeBoxes, type ShapePick } from './shapeBoxes.ts'

/** The id of the action that marks the selection internal, or visible when all of it is. */
export const TOGGLE_INTERNAL_ACTION = 'keyplan-toggle-internal'

/** True when every selected shape is marked internal. */
function allInternal(editor: Editor): boolean {
  const shapes = editor.getSelectedShapes()
  return shapes.length > 0 && shapes.every((shape) => shape.meta[INTERNAL_META_KEY] === true)
}

/** Marks the selection internal, or visible when all of it is internal; bindings follow their arrows. */
export function toggleSelectionInternal(editor: Editor): void {
  const shapes = editor.getSelectedShapes()
  if (shapes.length === 0) return
  const internal = !allInternal(editor)
  // tldraw merges a partial `meta` into the record's: `false` (not a removed key) marks visible.
  const meta = { [INTERNAL_META_KEY]: internal }
  editor.run(() => {
    // [A40] a copy kept from a guest's delete, made visible, is a card like any other: the guest does not hear it was kept.
    editor.updateShapes(shapes.map((shape) => ({ id: shape.id, type: shape.type, meta: !internal && shape.meta[KEPT_FROM_GUEST_META_KEY] !== undefined ? { ...meta, [KEPT_FROM_GUEST_META_KEY]: null } : meta })))
    for (const shape of shapes) {
      const bindings = editor.getBindingsFromShape(shape.id, 'arrow')
      editor.updateBindings(bindings.map((binding) => ({ id: binding.id, type: binding.type, meta })))
    }
  })
}

/** The shortcut and action, for the team's roles (guests and viewers change nothing internal). */
export const markInternalOverrides: TLUiOverrides = {
  actions(editor, actions) {
    return {
      ...actions,
      [TOGGLE_INTERNAL_ACTION]: {
        id: TOGGLE_INTERNAL_ACTION,
        label: { default: 'Mark internal / visible' } as unknown as 'action.toggle-lock', // tldraw's labels are translation keys; a plain label shows as given
        kbd: '?i',
        readonlyOk: false,
        onSelect() {
          toggleSelectionInternal(editor)
        },
      },
    }
  },
}

/** tldraw's context menu with "Mark internal / visible" at the end. */
export function ContextMenuWithInternal(props: TLUiContextMenuProps) {
  return (
    <DefaultContextMenu {...props}>
      <DefaultContextMenuContent />
      <TldrawUiMenuGroup id="keyplan-internal">
        <TldrawUiMenuActionItem actionId={TOGGLE_INTERNAL_ACTION} />
      </TldrawUiMenuGroup>
    </DefaultContextMenu>
  )
}

/** Shapes marked internal; a change that keeps a shape's `meta` object (a move) keeps its mark. */
const MARKED_INTERNAL: ShapePick = {
  picks: (shape) => shape.meta[INTERNAL_META_KEY] === true,
  mayChange: (from, to) => from.meta !== to.meta,
}

/**
 * The marker of internal items on the team's canvas: a hatched edge and a lock over each shape
 * marked internal (in page space, under the shapes' own hit areas: it takes no pointer events).
 */
export function InternalMarkers() {
  const boxes = useShapeBoxes('internal shapes', MARKED_INTERNAL)
  return (
    <>
      {boxes.map((box) => (
        <div
          key={box.id}
          className="keyplan-internal-marker"
          data-shape-id={box.id}
          title={INTERNAL_HINT}
          style={{
            position: 'absolute',
            pointerEvents: 'none',
            transform: `translate(${box.x - 4}px, ${box.y - 4}px)`,
            width: box.w + 8,
            height: box.h + 8,
            border: '3px solid transparent',
            borderImage: 'repeating-linear-gradient(45deg, #7a4cc2 0 6px, transparent 6px 12px) 3',
          }}
        >
          <span style={{ position: 'absolute', top: -18, right: -4, fontSize: 14 }}>
            <InternalMark />
          </span>
        </div>
      ))}
    </>
  )
}
