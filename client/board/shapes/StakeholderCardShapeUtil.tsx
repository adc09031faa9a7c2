import {
  LABELS,
  SHAPE_TYPES,
  defaultStakeholderCardProps,
  stakeholderCardMigrations,
  stakeholderCardProps,
  type Attitude,
  type StakeholderCardShape,
} from '../../../shared/shapes.ts'
import { CardFrame, cardShapeUtil, FieldLock } from './CardShapeUtil.tsx'
import { initials } from '../../identity.ts'
import { useShownFields } from '../fieldSensitivity.ts'

/**
 * Card accent per attitude: green for friends, red for blockers, so the map reads at a glance.
 * `text` is for words (the attitude badge): at least 4.5:1 on the tint (QA q29c: the light accents
 * read 3.1–4.5:1).
 */
export const ATTITUDE_COLORS = {
  champion: { accent: '#1a7f37', tint: '#e8f6ec', text: '#1a7f37' },
  supporter: { accent: '#4a9d5b', tint: '#f0f8f1', text: '#2a7339' },
  neutral: { accent: '#656d76', tint: '#f6f8fa', text: '#656d76' },
  skeptic: { accent: '#bc7a00', tint: '#fff6e0', text: '#8a5a00' },
  blocker: { accent: '#cf222e', tint: '#fdecec', text: '#cf222e' },
} as const satisfies Record<Attitude, { accent: string; tint: string; text: string }>

/** A person on the customer's side. Fields are edited in the inspector panel, not on the canvas. */
export class StakeholderCardShapeUtil extends cardShapeUtil<StakeholderCardShape>({
  type: SHAPE_TYPES.stakeholder,
  props: stakeholderCardProps,
  migrations: stakeholderCardMigrations,
  defaultProps: defaultStakeholderCardProps,
  describe: (shape) => shape.props.name,
}) {
  override component(shape: StakeholderCardShape) {
    return <StakeholderCard shape={shape} />
  }
}

/** The card's face. A customer's view leaves off the fields it holds only at their defaults. */
function StakeholderCard({ shape }: { shape: StakeholderCardShape }) {
  const { name, jobTitle, department, buyingRole, influence, attitude, owner } = shape.props
  const shown = useShownFields(SHAPE_TYPES.stakeholder)
  // Not assessed: the neutral colours, and the badges say so (QA q36b: a new card read "Medium influence, Neutral").
  const colors = ATTITUDE_COLORS[shown('attitude') && attitude ? attitude : 'neutral']
  return (
    <CardFrame
      shape={shape}
      className="kp-stakeholder"
      stripe={colors.accent}
      style={{ borderColor: colors.accent, background: colors.tint }}
      bodyClassName="kp-card-body kp-stakeholder-body"
    >
      <div className="kp-card-header">
        <span className="kp-avatar" style={{ background: colors.accent }} aria-hidden="true">
          {initials(name || '?')}
        </span>
        <div className="kp-card-titles">
          <div className={name ? 'kp-card-name' : 'kp-card-name kp-placeholder'}>{name || (shown('name') ? 'Unnamed stakeholder' : 'Name not shared')}
            <FieldLock type="stakeholder" props="name" />
          </div>
          <div className="kp-card-sub">
            {[shown('jobTitle') && jobTitle, shown('department') && department].filter(Boolean).join(' · ') || '\u00a0'}
            <FieldLock type="stakeholder" props={['jobTitle', 'department']} />
          </div>
        </div>
      </div>
      {shown('buyingRole') && (
        <div className="kp-badges">
          <span className="kp-badge kp-badge-role">{buyingRole ? LABELS.buyingRole[buyingRole] : 'Role not assessed'}
            <FieldLock type="stakeholder" props="buyingRole" />
          </span>
        </div>
      )}
      {(shown('influence') || shown('attitude')) && (
        <div className="kp-badges">
          {shown('influence') && (
            <span className={`kp-badge kp-influence-${influence ?? 'unassessed'}`}>{influence ? `${LABELS.influence[influence]} influence` : 'Influence not assessed'}
              <FieldLock type="stakeholder" props="influence" />
            </span>
          )}
          {shown('attitude') && (
            <span className={attitude ? 'kp-badge' : 'kp-badge kp-badge-unassessed'} style={attitude ? { color: colors.text, borderColor: colors.accent } : undefined}>
              {attitude ? LABELS.attitude[attitude] : 'Attitude not assessed'}
              <FieldLock type="stakeholder" props="attitude" />
            </span>
          )}
        </div>
      )}
      {shown('owner') && (
        <div className="kp-card-footer">
          <span className="kp-footer-label">Owner</span> {owner || 'not assigned'}
          <FieldLock type="stakeholder" props="owner" />
        </div>
      )}
    </CardFrame>
  )
}
