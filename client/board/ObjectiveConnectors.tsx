import { createContext, useContext } from 'react'
import { useEditor, useValue } from 'tldraw'
import { SHAPE_TYPES } from '../../shared/shapes.ts'
import { layoutConnectors, type ObjectiveLinks } from './objectiveConnectors.ts'
import { useShapeBoxes, type ShapePick } from './shapeBoxes.ts'

/** The live links from actions to objectives, given to the objectives board's canvas. */
export const ObjectiveLinksContext = createContext<ObjectiveLinks>([])

/** Objective cards; a shape's type never changes. */
const OBJECTIVE_CARDS: ShapePick = { picks: (shape) => shape.type === SHAPE_TYPES.objective, mayChange: () => false }

/**
 * Drawn on the objectives board in front of the shapes (tldraw's `InFrontOfTheCanvas` layer, so a
 * template frame's fill cannot hide them): each action linked to an objective as a chip beside
 * the card with an arrow to it, laid out in page units and placed through the camera, following
 * the card as it moves, the view as it pans and zooms, and the links as they change on the
 * action plan (issue 15, [P11]).
 */
export function ObjectiveConnectors() {
  const editor = useEditor()
  const links = useContext(ObjectiveLinksContext)
  const cards = useShapeBoxes('linked objective cards', OBJECTIVE_CARDS)
  const camera = useValue('camera', () => editor.getCamera(), [editor])
  const connectors = layoutConnectors(cards, links)
  if (connectors.length === 0) return null
  // Page to viewport, as tldraw places its own layers: (page + camera) × zoom.
  const x = (px: number) => (px + camera.x) * camera.z
  const y = (py: number) => (py + camera.y) * camera.z
  return (
    <div className="objective-connector-layer">
      <svg className="objective-connectors" aria-hidden="true">
        <defs>
          <marker id="objective-connector-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        {connectors.map((c) => (
          <line key={`${c.objectiveId}/${c.actionId}`} x1={x(c.from.x)} y1={y(c.from.y)} x2={x(c.to.x)} y2={y(c.to.y)} markerEnd="url(#objective-connector-head)" />
        ))}
      </svg>
      {connectors.map((c) => (
        <div
          key={`${c.objectiveId}/${c.actionId}`}
          className="objective-connector"
          data-objective={c.objectiveId}
          data-action={c.actionId}
          title="An action that serves this objective (linked on the action plan)"
          style={{ transform: `translate(${x(c.chip.x)}px, ${y(c.chip.y)}px) scale(${camera.z})`, width: c.chip.w, height: c.chip.h }}
        >
          {c.title || 'Untitled action'}
        </div>
      ))}
    </div>
  )
}
