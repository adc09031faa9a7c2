import {
  LABELS,
  SHAPE_TYPES,
  competitorCardMigrations,
  competitorCardProps,
  defaultCompetitorCardProps,
  type CompetitorCardShape,
} from '../../../shared/shapes.ts'
import { CardFrame, cardShapeUtil } from './CardShapeUtil.tsx'

/** One competitor in the account: position, strengths and weaknesses against us. */
export class CompetitorCardShapeUtil extends cardShapeUtil<CompetitorCardShape>({
  type: SHAPE_TYPES.competitor,
  props: competitorCardProps,
  migrations: competitorCardMigrations,
  defaultProps: defaultCompetitorCardProps,
}) {
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
