import { createShapeId, type Editor, type TLArrowShape, type TLShapeId } from 'tldraw'
import {
  RELATIONSHIP_KINDS,
  SHAPE_TYPES,
  defaultActionCardProps,
  defaultStakeholderCardProps,
  type ActionCardShape,
  type ActionStatus,
  type RelationshipKind,
} from '../../shared/shapes.ts'

type CardType = (typeof SHAPE_TYPES)[keyof typeof SHAPE_TYPES]

/** Adds a card in the middle of the viewport, selects it and returns its id. */
export function addCard(editor: Editor, type: CardType): TLShapeId {
  const id = createShapeId()
  const props = type === SHAPE_TYPES.stakeholder ? defaultStakeholderCardProps() : defaultActionCardProps()
  const center = editor.getViewportPageBounds().center
  // Cascade new cards a little so several added in a row do not hide each other.
  const offset = (editor.getCurrentPageShapeIds().size % 5) * 24
  editor.run(() => {
    editor.createShape({ id, type, x: center.x - props.w / 2 + offset, y: center.y - props.h / 2 + offset, props })
    editor.select(id)
    editor.setCurrentTool('select')
  })
  return id
}

/** The relationship kind stored on an arrow, or null when none (or an unknown one) is set. */
export function relationshipKindOf(arrow: TLArrowShape): RelationshipKind | null {
  const value = arrow.meta.relationship
  return RELATIONSHIP_KINDS.find((kind) => kind === value) ?? null
}

/**
 * How each relationship kind is drawn, in tldraw's own arrow styles so every client (and an
 * export) shows the same thing: reporting lines solid, influence dashed, conflict red, allies green.
 */
export const RELATIONSHIP_STYLES = {
  reports_to: { color: 'black', dash: 'solid' },
  influences: { color: 'blue', dash: 'dashed' },
  conflict: { color: 'red', dash: 'solid' },
  ally: { color: 'green', dash: 'solid' },
} as const satisfies Record<RelationshipKind, Pick<TLArrowShape['props'], 'color' | 'dash'>>

/** Sets (or clears) an arrow's relationship kind and restyles it to match. */
export function setRelationshipKind(editor: Editor, id: TLShapeId, kind: RelationshipKind | null): void {
  const arrow = editor.getShape<TLArrowShape>(id)
  if (!arrow) return
  editor.updateShape<TLArrowShape>({
    id,
    type: 'arrow',
    meta: { ...arrow.meta, relationship: kind },
    props: kind ? RELATIONSHIP_STYLES[kind] : { color: 'black', dash: 'draw' },
  })
}

/** Sets an action's status. */
export function setActionStatus(editor: Editor, id: TLShapeId, status: ActionStatus): void {
  editor.updateShape<ActionCardShape>({ id, type: 'action', props: { status } })
}
