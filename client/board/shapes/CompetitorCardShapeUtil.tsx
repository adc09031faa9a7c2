import {
  LABELS,
  SHAPE_TYPES,
  competitorCardMigrations,
  competitorCardProps,
  defaultCompetitorCardProps,
  type CompetitorCardShape,
} from '../../../shared/shapes.ts'
import { CardFrame, cardShapeUtil, FieldLock } from './CardShapeUtil.tsx'
import { useShownFields } from '../fieldSensitivity.ts'

/** One competitor in the account: position, strengths and weaknesses against us. */
export class CompetitorCardShapeUtil extends cardShapeUtil<CompetitorCardShape>({
  type: SHAPE_TYPES.competitor,
  props: competitorCardProps,
  migrations: competitorCardMigrations,
  defaultProps: defaultCompetitorCardProps,
  describe: (shape) => shape.props.name,
}) {
  override component(shape: CompetitorCardShape) {
    return <CompetitorCard shape={shape} />
  }
}

/** The card's face. A customer's view leaves off the fields internal for the workshop (a hidden name says so). */
function CompetitorCard({ shape }: { shape: CompetitorCardShape }) {
  const { name, position, strengths, weaknesses } = shape.props
  const shown = useShownFields(SHAPE_TYPES.competitor)
  return (
    <CardFrame shape={shape} className="kp-competitor" stripe="#cf222e">
      {shown('position') && (
        <span className="kp-badge">
          {LABELS.competitorPosition[position]}
          <FieldLock type="competitor" props="position" />
        </span>
      )}
      <div className={name ? 'kp-card-name' : 'kp-card-name kp-placeholder'}>
        {name || (shown('name') ? 'Unnamed competitor' : 'Name not shared')}
        <FieldLock type="competitor" props="name" />
      </div>
      {strengths && (
        <div className="kp-card-line">
          + {strengths}
          <FieldLock type="competitor" props="strengths" />
        </div>
      )}
      {weaknesses && (
        <div className="kp-card-line">
          − {weaknesses}
          <FieldLock type="competitor" props="weaknesses" />
        </div>
      )}
    </CardFrame>
  )
}
