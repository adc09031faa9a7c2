import {
  LABELS,
  SHAPE_TYPES,
  actionCardMigrations,
  actionCardProps,
  defaultActionCardProps,
  isOverdue,
  type ActionCardShape,
  type ActionStatus,
} from '../../../shared/shapes.ts'
import { useValue } from 'tldraw'
import { CardFrame, cardShapeUtil, ColorBadge, FieldLock, NEUTRAL_STRIPE } from './CardShapeUtil.tsx'
import { formatDue, workshopToday } from '../localDate.ts'
import { useShownFields } from '../fieldSensitivity.ts'

/** Status colours, shared with the status columns' legend. */
export const STATUS_COLORS = {
  open: '#1f6feb',
  in_progress: '#8250df',
  done: '#1a7f37',
  blocked: '#bc4c00',
} as const satisfies Record<ActionStatus, string>

/** One action of the plan. Overdue actions (due before today in the workshop's time zone, not done) turn red. */
export class ActionCardShapeUtil extends cardShapeUtil<ActionCardShape>({
  type: SHAPE_TYPES.action,
  props: actionCardProps,
  migrations: actionCardMigrations,
  defaultProps: defaultActionCardProps,
  describe: (shape) => shape.props.title,
}) {
  override component(shape: ActionCardShape) {
    return <ActionCard shape={shape} />
  }
}

/**
 * The card's face. A customer's view leaves off the fields internal for the workshop: a hidden
 * title says so, a hidden status, owner or due date is not shown (not the default held in its place).
 */
function ActionCard({ shape }: { shape: ActionCardShape }) {
  const { title, owner, due, status } = shape.props
  const shown = useShownFields(SHAPE_TYPES.action)
  // Overdue reads the due date and the status: not told when either is hidden.
  // Read through useValue: this component is not the tracked `component()` call, so a change of
  // the workshop's time zone would otherwise not re-render the card (QA q27a). Read again whenever
  // the card changes too, as before: the date itself is not a signal (a new day shows on the next).
  const today = useValue('workshop today', () => workshopToday(), [shape.props])
  const overdue = shown('due') && shown('status') && isOverdue(shape.props, today)
  const color = shown('status') ? STATUS_COLORS[status] : NEUTRAL_STRIPE
  return (
    <CardFrame
      shape={shape}
      className={overdue ? 'kp-action kp-overdue' : 'kp-action'}
      stripe={overdue ? '#cf222e' : color}
      data={{ 'data-overdue': overdue ? 'true' : undefined }}
    >
      {shown('status') && (
        <div className="kp-badges">
          <ColorBadge color={color}>
            {LABELS.status[status]}
            <FieldLock type="action" props="status" />
          </ColorBadge>
          {overdue && <span className="kp-badge kp-badge-overdue">Overdue</span>}
        </div>
      )}
      <div className={title ? 'kp-card-name kp-action-title' : 'kp-card-name kp-action-title kp-placeholder'}>
        {title || (shown('title') ? 'Untitled action' : 'Title not shared')}
        <FieldLock type="action" props="title" />
      </div>
      <div className="kp-card-footer kp-action-footer">
        {shown('owner') && (
          <span className="kp-owner">
            {owner || 'No owner'}
            <FieldLock type="action" props="owner" />
          </span>
        )}
        {shown('due') && (
          <span className={overdue ? 'kp-due kp-due-overdue' : 'kp-due'}>
            <span className="kp-footer-label">Due</span> {due ? formatDue(due) : '—'}
            <FieldLock type="action" props="due" />
          </span>
        )}
      </div>
    </CardFrame>
  )
}
