import {
  LABELS,
  SHAPE_TYPES,
  defaultWhitespaceCardProps,
  whitespaceCardMigrations,
  whitespaceCardProps,
  type WhitespaceCardShape,
  type WhitespaceKind,
} from '../../../shared/shapes.ts'
import { useEditor } from 'tldraw'
import { amountIn } from '../../../shared/currency.ts'
import { useBoardCurrency } from '../BoardCurrency.tsx'
import { CardFrame, cardShapeUtil, ColorBadge, FieldLock } from './CardShapeUtil.tsx'
import { useShownFields } from '../fieldSensitivity.ts'

/** Colours of the cell kinds: ours green, a competitor's red, open opportunities blue. */
export const WHITESPACE_COLORS = {
  we_supply: '#1a7f37',
  competitor: '#cf222e',
  opportunity: '#1f6feb',
  not_relevant: '#8c959f',
} as const satisfies Record<WhitespaceKind, string>


/** One cell of the whitespace matrix: who supplies this offering to this business unit. */
export class WhitespaceCardShapeUtil extends cardShapeUtil<WhitespaceCardShape>({
  type: SHAPE_TYPES.whitespace,
  props: whitespaceCardProps,
  migrations: whitespaceCardMigrations,
  defaultProps: defaultWhitespaceCardProps,
  describe: (shape) => [shape.props.row, shape.props.column].filter(Boolean).join(' × '),
}) {
  override component(shape: WhitespaceCardShape) {
    return <WhitespaceCard shape={shape} />
  }
}

/** The cell's face. A customer's view leaves off the value and probability (internal by default). */
function WhitespaceCard({ shape }: { shape: WhitespaceCardShape }) {
  const { kind, competitor, value, probability, row, column } = shape.props
  const shown = useShownFields(SHAPE_TYPES.whitespace)
  const color = shown('kind') ? WHITESPACE_COLORS[kind] : WHITESPACE_COLORS.not_relevant
  // The props the detail line shows, for its lock.
  const detailProps = kind === 'competitor' ? ['competitor', ...(value !== null ? ['value'] : [])] : kind === 'opportunity' ? ['value', 'probability'] : kind === 'we_supply' && value !== null ? ['value'] : []
  const currency = useBoardCurrency(useEditor())
  const money = (amount: number) => amountIn(amount, currency)
  const valueText = shown('value') ? (value === null ? 'Value?' : money(value)) : ''
  const probabilityText = shown('probability') && probability !== null ? `${probability} %` : ''
  // A hidden kind: the kind held in its place is a default, and so is what it would show. Each part
  // on a line of its own when they do not fit on one, never cut (QA q33b: "333,333.33 · 33.3…").
  const parts = !shown('kind')
    ? []
    : kind === 'competitor'
      ? [shown('competitor') ? competitor || 'Which competitor?' : '', value !== null && shown('value') ? money(value) : '']
      : kind === 'opportunity'
        ? [valueText, probabilityText]
        : kind === 'we_supply' && value !== null && shown('value')
          ? [money(value)]
          : []
  const detail = parts.filter(Boolean)
  return (
    <CardFrame shape={shape} className="kp-whitespace" stripe={color} data={{ 'data-kind': kind }}>
      {shown('kind') && (
        <ColorBadge color={color}>
          {LABELS.whitespaceKind[kind]}
          <FieldLock type="whitespace" props="kind" />
        </ColorBadge>
      )}
      <div className="kp-card-name kp-card-parts">
        {detail.map((part, index) => (
          <span key={index} className={part.length > 14 ? 'kp-part kp-long' : 'kp-part'}>
            {part}
          </span>
        ))}
        <FieldLock type="whitespace" props={detailProps} />
      </div>
      {(row || column) && (
        <div className="kp-card-line muted">
          {[row, column].filter(Boolean).join(' × ')}
          <FieldLock type="whitespace" props={['row', 'column']} />
        </div>
      )}
    </CardFrame>
  )
}
