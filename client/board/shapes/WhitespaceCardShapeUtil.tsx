import { BaseBoxShapeUtil, HTMLContainer, type TLIndicatorPath } from 'tldraw'
import {
  LABELS,
  SHAPE_TYPES,
  defaultWhitespaceCardProps,
  whitespaceCardMigrations,
  whitespaceCardProps,
  type WhitespaceCardShape,
  type WhitespaceKind,
} from '../../../shared/shapes.ts'

/** Colours of the cell kinds: ours green, a competitor's red, open opportunities blue. */
export const WHITESPACE_COLORS = {
  we_supply: '#1a7f37',
  competitor: '#cf222e',
  opportunity: '#1f6feb',
  not_relevant: '#8c959f',
} as const satisfies Record<WhitespaceKind, string>

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })

/** One cell of the whitespace matrix: who supplies this offering to this business unit. */
export class WhitespaceCardShapeUtil extends BaseBoxShapeUtil<WhitespaceCardShape> {
  static override type = SHAPE_TYPES.whitespace
  static override props = whitespaceCardProps
  static override migrations = whitespaceCardMigrations

  override getDefaultProps(): WhitespaceCardShape['props'] {
    return defaultWhitespaceCardProps()
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: WhitespaceCardShape) {
    const { kind, competitor, value, probability, row, column } = shape.props
    const color = WHITESPACE_COLORS[kind]
    const detail =
      kind === 'competitor'
        ? competitor || 'Which competitor?'
        : kind === 'opportunity'
          ? `${value === null ? 'Value?' : number.format(value)}${probability === null ? '' : ` · ${probability} %`}`
          : kind === 'we_supply' && value !== null
            ? number.format(value)
            : ''
    return (
      <HTMLContainer className="kp-card kp-whitespace" style={{ width: shape.props.w, height: shape.props.h }} data-kind={kind}>
        <div className="kp-card-stripe" style={{ background: color }} />
        <div className="kp-card-body">
          <span className="kp-badge kp-status" style={{ color, borderColor: color }}>
            {LABELS.whitespaceKind[kind]}
          </span>
          <div className="kp-card-name">{detail}</div>
          {(row || column) && <div className="kp-card-line muted">{[row, column].filter(Boolean).join(' × ')}</div>}
        </div>
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: WhitespaceCardShape): TLIndicatorPath {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}
