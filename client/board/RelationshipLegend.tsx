import { LABELS, RELATIONSHIP_STYLES, type RelationshipKind } from '../../shared/shapes.ts'

/** tldraw's light-theme colours of the arrow colours we use. */
const LINE_COLORS = { black: '#1d1d1d', blue: '#4465e9', red: '#e03131', green: '#099268' } as const

/**
 * What the lines on the stakeholder map mean: the `kinds` this page shows. A customer's view lists
 * only the kinds it receives (QA q27a: its legend named Conflict and Ally, which told the customer
 * the team tracks them); with none, no legend.
 */
export function RelationshipLegend({ kinds }: { kinds: readonly RelationshipKind[] }) {
  if (kinds.length === 0) return null
  return (
    <section className="panel-section" aria-labelledby="legend-heading">
      <h2 id="legend-heading" className="panel-heading">
        Relationships
      </h2>
      <ul className="legend">
        {kinds.map((kind) => {
          const { color, dash } = RELATIONSHIP_STYLES[kind]
          return (
            <li key={kind}>
              <svg width="36" height="10" aria-hidden="true">
                <line
                  x1="1"
                  y1="5"
                  x2="35"
                  y2="5"
                  stroke={LINE_COLORS[color]}
                  strokeWidth="2.5"
                  strokeDasharray={dash === 'dashed' ? '6 4' : undefined}
                />
              </svg>
              {LABELS.relationship[kind]}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
