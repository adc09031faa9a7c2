import { BaseBoxShapeUtil, HTMLContainer, type TLIndicatorPath } from 'tldraw'
import {
  LABELS,
  SHAPE_TYPES,
  defaultObjectiveCardProps,
  objectiveCardMigrations,
  objectiveCardProps,
  type ObjectiveCardShape,
  type ObjectiveStatus,
} from '../../../shared/shapes.ts'

/** Status colours of objectives. */
export const OBJECTIVE_STATUS_COLORS = {
  on_track: '#1a7f37',
  at_risk: '#9a6700',
  off_track: '#cf222e',
  achieved: '#1f6feb',
} as const satisfies Record<ObjectiveStatus, string>

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })

/** One account objective: the objective, its KPI from baseline to target, owner and status. */
export class ObjectiveCardShapeUtil extends BaseBoxShapeUtil<ObjectiveCardShape> {
  static override type = SHAPE_TYPES.objective
  static override props = objectiveCardProps
  static override migrations = objectiveCardMigrations

  override getDefaultProps(): ObjectiveCardShape['props'] {
    return defaultObjectiveCardProps()
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: ObjectiveCardShape) {
    const { objective, kpiType, measure, unit, baseline, target, targetDate, owner, status } = shape.props
    const color = OBJECTIVE_STATUS_COLORS[status]
    const value = (n: number | null) => (n === null ? '?' : `${number.format(n)}${unit ? ` ${unit}` : ''}`)
    return (
      <HTMLContainer className="kp-card kp-objective" style={{ width: shape.props.w, height: shape.props.h }}>
        <div className="kp-card-stripe" style={{ background: color }} />
        <div className="kp-card-body">
          <div className="kp-badges">
            <span className="kp-badge">{LABELS.kpiType[kpiType]}</span>
            <span className="kp-badge kp-status" style={{ color, borderColor: color }}>
              {LABELS.objectiveStatus[status]}
            </span>
          </div>
          <div className={objective ? 'kp-card-name' : 'kp-card-name kp-placeholder'}>{objective || 'Untitled objective'}</div>
          <div className="kp-card-line">
            {measure || 'No measure'}: {value(baseline)} → {value(target)}
          </div>
          <div className="kp-card-footer kp-action-footer">
            <span className="kp-owner">{owner || 'No owner'}</span>
            <span className="kp-due">
              <span className="kp-footer-label">By</span> {targetDate || '—'}
            </span>
          </div>
        </div>
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: ObjectiveCardShape): TLIndicatorPath {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}
