import { BaseBoxShapeUtil, HTMLContainer, type TLIndicatorPath } from 'tldraw'
import {
  LABELS,
  SHAPE_TYPES,
  competitorCardMigrations,
  competitorCardProps,
  defaultCompetitorCardProps,
  type CompetitorCardShape,
} from '../../../shared/shapes.ts'

/** One competitor in the account: position, strengths and weaknesses against us. */
export class CompetitorCardShapeUtil extends BaseBoxShapeUtil<CompetitorCardShape> {
  static override type = SHAPE_TYPES.competitor
  static override props = competitorCardProps
  static override migrations = competitorCardMigrations

  override getDefaultProps(): CompetitorCardShape['props'] {
    return defaultCompetitorCardProps()
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: CompetitorCardShape) {
    const { name, position, strengths, weaknesses } = shape.props
    return (
      <HTMLContainer className="kp-card kp-competitor" style={{ width: shape.props.w, height: shape.props.h }}>
        <div className="kp-card-stripe" style={{ background: '#cf222e' }} />
        <div className="kp-card-body">
          <span className="kp-badge">{LABELS.competitorPosition[position]}</span>
          <div className={name ? 'kp-card-name' : 'kp-card-name kp-placeholder'}>{name || 'Unnamed competitor'}</div>
          {strengths && <div className="kp-card-line">+ {strengths}</div>}
          {weaknesses && <div className="kp-card-line">− {weaknesses}</div>}
        </div>
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: CompetitorCardShape): TLIndicatorPath {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}
