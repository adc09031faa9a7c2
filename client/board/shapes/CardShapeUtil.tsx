import { useContext, type CSSProperties, type ReactNode } from 'react'
import { BaseBoxShapeUtil, HTMLContainer, type RecordProps, type TLBaseBoxShape, type TLIndicatorPath, type TLPropsMigrations, type TLShapePartial } from 'tldraw'
import { isInternalField } from '../../../shared/sensitivity.ts'
import { InternalMark } from '../../components/InternalMark.tsx'
import { FieldSensitivityContext, HideInternalFieldsContext } from '../fieldSensitivity.ts'
import { panelFocusRequest } from '../panelFocus.ts'

/**
 * What every Keyplan card shares: a box whose fields are edited in the side panel, never as text
 * on the canvas, outlined with rounded corners when selected.
 */
export abstract class CardShapeUtil<S extends TLBaseBoxShape> extends BaseBoxShapeUtil<S> {
  override canEdit(): boolean {
    return false
  }

  /**
   * A double click on a card, or a double tap on a touch screen, opens its fields in the side panel
   * with the focus in the first one, as Enter does: a hidden panel (a phone's sheet, a zoomed
   * laptop, or hidden by the person) opens for it. QA: tapping a card on a phone opened nothing,
   * and a double tap (a double click too) started an empty text box on the card, tldraw's answer
   * for a shape it cannot edit. The unchanged shape returned tells tldraw the click is handled.
   */
  override onDoubleClick(shape: S): TLShapePartial<S> {
    panelFocusRequest(this.editor).set(shape.id)
    return { id: shape.id, type: shape.type } as TLShapePartial<S> // the shape's own id and type
  }

  override getIndicatorPath(shape: S): TLIndicatorPath {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}

/** What a card type declares once: its shape type, prop validators, migrations and defaults. */
interface CardSpec<S extends TLBaseBoxShape> {
  type: S['type']
  props: RecordProps<S>
  migrations: TLPropsMigrations
  defaultProps(): S['props']
  /** What a screen reader says of a selected card before its kind: the person's name, the action's title. */
  describe(shape: S): string
}

/**
 * The base class of one card type, its statics and defaults set from `spec`: the card's class only
 * adds how it looks.
 *
 * @example `export class CompetitorCardShapeUtil extends cardShapeUtil<CompetitorCardShape>({ type: SHAPE_TYPES.competitor, ... }) { override component(shape) { ... } }`
 */
export function cardShapeUtil<S extends TLBaseBoxShape>(spec: CardSpec<S>) {
  abstract class Card extends CardShapeUtil<S> {
    static override type = spec.type
    static override props = spec.props
    static override migrations = spec.migrations

    override getDefaultProps(): S['props'] {
      return spec.defaultProps()
    }

    override getAriaDescriptor(shape: S): string | undefined {
      return spec.describe(shape).trim() || undefined
    }
  }
  return Card
}

interface CardFrameProps {
  shape: TLBaseBoxShape
  /** Classes besides `kp-card`, e.g. `kp-objective`. */
  className: string
  /** Colour of the stripe along the card's left edge. */
  stripe: string
  style?: CSSProperties
  bodyClassName?: string
  /** `data-*` attributes of the card (what tests and styles select on). */
  data?: Record<`data-${string}`, string | undefined>
  children: ReactNode
}

/** A card's frame: its box, the coloured stripe, and the body with the card's own content. */
export function CardFrame({ shape, className, stripe, style, bodyClassName = 'kp-card-body', data, children }: CardFrameProps) {
  return (
    <HTMLContainer className={`kp-card ${className}`} style={{ width: shape.props.w, height: shape.props.h, ...style }} {...data}>
      <div className="kp-card-stripe" style={{ background: stripe }} />
      <div className={bodyClassName}>{children}</div>
    </HTMLContainer>
  )
}

/** A badge outlined and written in `color`: a status, a kind, an attitude. */
/** The stripe of a card whose status a customer's view does not show. */
export const NEUTRAL_STRIPE = '#8c959f'

export function ColorBadge({ color, children }: { color: string; children: ReactNode }) {
  return (
    <span className="kp-badge kp-status" style={{ color, borderColor: color }}>
      {children}
    </span>
  )
}

/**
 * The lock beside a card's value when its field is internal on this page (issue 13): one lock for
 * `props` shown together, when any of them is internal. Nothing on a guest's page or in "View as
 * customer" (no sensitivity provided there).
 */
export function FieldLock({ type, props }: { type: string; props: string | readonly string[] }) {
  const sensitivity = useContext(FieldSensitivityContext)
  const hidden = useContext(HideInternalFieldsContext) // a customer's view shows no internal field, so no lock
  const internal = sensitivity === null || hidden ? [] : (typeof props === 'string' ? [props] : props).filter((prop) => isInternalField(sensitivity, type, prop))
  if (internal.length === 0) return null
  return <InternalMark className="kp-field-lock" field={internal.join(' ')} />
}
