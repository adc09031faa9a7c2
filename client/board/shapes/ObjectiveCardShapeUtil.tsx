import {
  LABELS,
  SHAPE_TYPES,
  defaultObjectiveCardProps,
  isPastTargetDate,
  objectiveCardMigrations,
  objectiveCardProps,
  type ObjectiveCardShape,
  type ObjectiveStatus,
} from '../../../shared/shapes.ts'
import { formatAmount } from '../../../shared/formatAmount.ts'
import { CardFrame, cardShapeUtil, ColorBadge, FieldLock, NEUTRAL_STRIPE } from './CardShapeUtil.tsx'
import { useShownFields } from '../fieldSensitivity.ts'
import { useValue } from 'tldraw'
import { formatDue, workshopToday } from '../localDate.ts'

/** Status colours of objectives. */
export const OBJECTIVE_STATUS_COLORS = {
  on_track: '#1a7f37',
  at_risk: '#9a6700',
  off_track: '#cf222e',
  achieved: '#1f6feb',
} as const satisfies Record<ObjectiveStatus, string>


/** One account objective: the objective, its KPI from baseline to target, owner and status. */
export class ObjectiveCardShapeUtil extends cardShapeUtil<ObjectiveCardShape>({
  type: SHAPE_TYPES.objective,
  props: objectiveCardProps,
  migrations: objectiveCardMigrations,
  defaultProps: defaultObjectiveCardProps,
  describe: (shape) => shape.props.objective,
}) {
  override component(shape: ObjectiveCardShape) {
    return <ObjectiveCard shape={shape} />
  }
}

/**
 * The card's face. A customer's view leaves off the figures it holds only as "?" (internal by
 * default). An objective not achieved by its target date stands out as an overdue action does.
 */
function ObjectiveCard({ shape }: { shape: ObjectiveCardShape }) {
  const { objective, kpiType, measure, unit, baseline, target, targetDate, owner, status } = shape.props
  const shown = useShownFields(SHAPE_TYPES.objective)
  // As on an action card: the workshop's day, read again when the zone or the card changes.
  const today = useValue('workshop today', () => workshopToday(), [shape.props])
  // Past its date only where this page sees the date and the status: a guest holds a withheld one
  // at its default ("on track", no date), which is not the team's read.
  const late = shown('targetDate') && shown('status') && isPastTargetDate(shape.props, today)
  const color = shown('status') ? OBJECTIVE_STATUS_COLORS[status] : NEUTRAL_STRIPE
  const value = (n: number | null) => (n === null ? '?' : `${formatAmount(n)}${unit ? ` ${unit}` : ''}`)
  return (
    <CardFrame shape={shape} className={late ? 'kp-objective kp-overdue' : 'kp-objective'} stripe={late ? '#cf222e' : color} data={{ 'data-overdue': late ? 'true' : undefined }}>
      <div className="kp-badges">
        {shown('kpiType') && (
          <span className="kp-badge">
            {LABELS.kpiType[kpiType]}
            <FieldLock type="objective" props="kpiType" />
          </span>
        )}
        {shown('status') && (
          <ColorBadge color={color}>
            {LABELS.objectiveStatus[status]}
            <FieldLock type="objective" props="status" />
          </ColorBadge>
        )}
        {late && <span className="kp-badge kp-badge-overdue">Past target date</span>}
      </div>
      <div className={objective ? 'kp-card-name' : 'kp-card-name kp-placeholder'}>{objective || (shown('objective') ? 'Untitled objective' : 'Objective not shared')}
        <FieldLock type="objective" props="objective" />
      </div>
      <div className="kp-card-line">
        {shown('measure') && (measure || 'No measure')}
        <FieldLock type="objective" props={['measure', 'unit']} />
        {shown('baseline') && <>{shown('measure') ? ': ' : ''}{value(baseline)}</>}
        <FieldLock type="objective" props="baseline" />
        {shown('target') && <>{shown('baseline') ? ' → ' : `${shown('measure') ? ', ' : ''}target `}{value(target)}</>}
        <FieldLock type="objective" props="target" />
      </div>
      <div className="kp-card-footer kp-action-footer">
        {shown('owner') && (
          <span className="kp-owner">
            {owner || 'No owner'}
            <FieldLock type="objective" props="owner" />
          </span>
        )}
        {shown('targetDate') && (
          <span className={late ? 'kp-due kp-due-overdue' : 'kp-due'}>
            <span className="kp-footer-label">By</span> {targetDate ? formatDue(targetDate) : '—'}
            <FieldLock type="objective" props="targetDate" />
          </span>
        )}
      </div>
    </CardFrame>
  )
}
