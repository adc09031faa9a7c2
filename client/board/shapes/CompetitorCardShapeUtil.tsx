import {
  LABELS,
  SHAPE_TYPES,
  competitorCardMigrations,
  competitorCardProps,
  defaultCompetitorCardProps,
  type CompetitorCardShape,
} from '../../../shared/shapes.ts'
import { CardFrame, CardShapeUtil } from './CardShapeUtil.tsx'

/** One competitor in the account: position, strengths and weaknesses against us. */
export class CompetitorCardShapeUtil extends CardShapeUtil<CompetitorCardShape> {
  static override type = SHAPE_TYPES.competitor
  static override props = competitorCardProps
  static override migrations = competitorCardMigrations

  override getDefaultProps(): CompetitorCardShape['props'] {
    return defaultCompetitorCardProps()
  }

  override component(shape: CompetitorCardShape) {
    const { name, position, strengths, weaknesses } = shape.props
    return (
      <CardFrame shape={shape} className="kp-competitor" stripe="#cf222e">
        <span className="kp-badge">{LABELS.competitorPosition[position]}</span>
        <div className={name ? 'kp-card-name' : 'kp-card-name kp-placeholder'}>{name || 'Unnamed competitor'}</div>
        {strengths && <div className="kp-card-line">+ {strengths}</div>}
        {weaknesses && <div className="kp-card-line">− {weaknesses}</div>}
      </CardFrame>
    )
  }
}
