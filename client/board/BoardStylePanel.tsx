import { DefaultStylePanel, useEditor, useValue, type TLUiStylePanelProps } from 'tldraw'
import { SHAPE_TYPES } from '../../shared/shapes.ts'

/** Shapes whose look comes from their fields (cards) or the template (frames): no styles to pick. */
const UNSTYLED_TYPES = new Set<string>([SHAPE_TYPES.stakeholder, SHAPE_TYPES.action, 'frame'])

/**
 * tldraw's style panel, shown only when it has something to offer: a drawing tool is active,
 * or the selection holds ordinary tldraw shapes (notes, arrows, drawings). Otherwise it would
 * float over the board's content offering only an opacity slider.
 */
export function BoardStylePanel(props: TLUiStylePanelProps) {
  const editor = useEditor()
  const useful = useValue(
    'style panel useful',
    () => {
      const selected = editor.getSelectedShapes()
      if (selected.length > 0) return selected.some((shape) => !UNSTYLED_TYPES.has(shape.type))
      return !editor.isIn('select') && !editor.isIn('hand')
    },
    [editor],
  )
  return useful ? <DefaultStylePanel {...props} /> : null
}
