/**
 * Builds Keyplan boards through a real tldraw store and schema, for plan extraction tests and
 * the plan benchmark: every record goes through `store.put`, which validates it exactly as a
 * client would, and tests extract from `store.allRecords()`. The store is `@tldraw/store`'s
 * (MIT), as on the server: importing `tldraw` itself leaves a timer that keeps Node running.
 */
import {
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  toRichText,
  type TLBinding,
  type TLRecord,
  type TLShape,
  type TLStore,
  type TLStoreProps,
} from '@tldraw/tlschema'
import { Store } from '@tldraw/store'
import type { IndexKey, JsonObject } from '@tldraw/utils'
import type { ExtractPlanInput } from '../../shared/extractPlan.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import {
  defaultActionCardProps,
  defaultCompetitorCardProps,
  defaultObjectiveCardProps,
  defaultStakeholderCardProps,
  defaultWhitespaceCardProps,
  RELATIONSHIP_STYLES,
  relationshipKindRead,
  type ActionCardProps,
  type CompetitorCardProps,
  type ObjectiveCardProps,
  type StakeholderCardProps,
  type WhitespaceCardProps,
} from '../../shared/shapes.ts'

/** The one page of every test board. */
export const PAGE_ID = PageRecordType.createId('page')

/** Where a shape goes: position in its parent's space, parent, rotation and meta. */
export interface Placement {
  x: number
  y: number
  parentId?: string
  rotation?: number
  meta?: JsonObject
}

/** A store with the Keyplan schema, a document and one page, holding `records`. */
export function boardStore(records: readonly TLRecord[] = []): TLStore {
  // The props serve the editor (assets, users, onMount); no editor is mounted on these stores.
  const store: TLStore = new Store({ schema: createKeyplanSchema(), props: {} as TLStoreProps })
  store.put([
    DocumentRecordType.create({ id: TLDOCUMENT_ID }),
    PageRecordType.create({ id: PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey }), // 'a1' is a valid index key
  ])
  store.put([...records])
  return store
}

function shape(id: string, type: string, at: Placement, props: object): TLShape {
  // Built loosely on purpose: the store validates every field when the record is put.
  return {
    id,
    typeName: 'shape',
    type,
    x: at.x,
    y: at.y,
    rotation: at.rotation ?? 0,
    index: 'a1',
    parentId: at.parentId ?? PAGE_ID,
    isLocked: false,
    opacity: 1,
    props,
    meta: at.meta ?? {},
  } as unknown as TLShape // the store's validators are the real check
}

/** A frame (a SWOT quadrant when named or id'd like the template's). */
export function frame(id: string, at: Placement, w: number, h: number, name: string): TLShape {
  return shape(id, 'frame', at, { w, h, name, color: 'black' })
}

/** A sticky note of tldraw's default size (200 × 200 at scale 1). */
export function note(id: string, at: Placement, text: string, extra: { scale?: number; growY?: number } = {}): TLShape {
  return shape(id, 'note', at, {
    color: 'yellow',
    labelColor: 'black',
    size: 'm',
    font: 'draw',
    fontSizeAdjustment: 1,
    align: 'middle',
    verticalAlign: 'middle',
    growY: extra.growY ?? 0,
    url: '',
    richText: toRichText(text),
    scale: extra.scale ?? 1,
    textLastEditedBy: null,
  })
}

/** A geo (rectangle) shape with a label. */
export function geo(id: string, at: Placement, w: number, h: number, text: string): TLShape {
  return shape(id, 'geo', at, {
    geo: 'rectangle',
    dash: 'draw',
    url: '',
    w,
    h,
    growY: 0,
    scale: 1,
    flipX: false,
    flipY: false,
    labelColor: 'black',
    color: 'black',
    fill: 'none',
    size: 'm',
    font: 'draw',
    align: 'middle',
    verticalAlign: 'middle',
    richText: toRichText(text),
  })
}

/** A text shape `w` wide. */
export function text(id: string, at: Placement, w: number, value: string): TLShape {
  return shape(id, 'text', at, {
    color: 'black',
    size: 'm',
    font: 'draw',
    textAlign: 'start',
    w,
    richText: toRichText(value),
    scale: 1,
    autoSize: false,
  })
}

/** A stakeholder card (240 × 150 by default). */
export function stakeholder(id: string, at: Placement, props: Partial<StakeholderCardProps> = {}): TLShape {
  return shape(id, 'stakeholder', at, { ...defaultStakeholderCardProps(), ...props })
}

/** An action card (240 × 120 by default). */
export function action(id: string, at: Placement, props: Partial<ActionCardProps> = {}): TLShape {
  return shape(id, 'action', at, { ...defaultActionCardProps(), ...props })
}

/** An objective card (280 × 170 by default). */
export function objective(id: string, at: Placement, props: Partial<ObjectiveCardProps> = {}): TLShape {
  return shape(id, 'objective', at, { ...defaultObjectiveCardProps(), ...props })
}

/** A whitespace cell card (200 × 110 by default). */
export function whitespaceCell(id: string, at: Placement, props: Partial<WhitespaceCardProps> = {}): TLShape {
  return shape(id, 'whitespace', at, { ...defaultWhitespaceCardProps(), ...props })
}

/** A competitor card (260 × 160 by default). */
export function competitor(id: string, at: Placement, props: Partial<CompetitorCardProps> = {}): TLShape {
  return shape(id, 'competitor', at, { ...defaultCompetitorCardProps(), ...props })
}

/** A whitespace row (business unit) or column (offering) header: a labelled rectangle. */
export function axisHeader(id: string, axis: 'row' | 'column', at: Placement, label: string, size = { w: 200, h: 110 }): TLShape {
  return geo(id, { ...at, meta: { ...at.meta, whitespaceAxis: axis } }, size.w, size.h, label)
}

/**
 * A straight arrow from (0, 0) to (100, 0) in its own space, drawn in the look of the relationship
 * kind its `meta.relationship` gives (influences without one), as the server requires on the
 * stakeholder map ([R9]).
 */
export function arrow(id: string, at: Placement): TLShape {
  const { color, dash } = RELATIONSHIP_STYLES[relationshipKindRead(at.meta?.relationship)]
  return shape(id, 'arrow', at, {
    kind: 'arc',
    labelColor: 'black',
    color,
    fill: 'none',
    dash,
    size: 'm',
    arrowheadStart: 'none',
    arrowheadEnd: 'arrow',
    font: 'draw',
    start: { x: 0, y: 0 },
    end: { x: 100, y: 0 },
    bend: 0,
    richText: toRichText(''),
    labelPosition: 0.5,
    scale: 1,
    elbowMidPoint: 0.5,
  })
}

/** tldraw's arrow binding: `arrowId`'s `terminal` end attached to `shapeId`. */
export function arrowBinding(arrowId: string, shapeId: string, terminal: 'start' | 'end'): TLBinding {
  return {
    id: `binding:${arrowId.replace('shape:', '')}-${terminal}`,
    typeName: 'binding',
    type: 'arrow',
    fromId: arrowId,
    toId: shapeId,
    props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
    meta: {},
  } as unknown as TLBinding // validated by the store on put
}

/** The inputs of `extractPlan` other than the boards, fixed for tests. */
export function planInput(boards: ExtractPlanInput['boards']): ExtractPlanInput {
  return {
    workshop: { id: 'w-test', account: 'Acme Corp', title: 'FY27 planning' },
    boards,
    takenAt: '2026-11-22T14:00:00.000Z',
    trigger: 'manual',
    label: null,
    participants: ['Ada', 'Grace'],
    today: '2026-11-22',
  }
}

/** Quadrant size of {@link swotFrames}. */
export const QUADRANT = { w: 1000, h: 800 }

/**
 * The four SWOT quadrant frames in a 2 × 2 grid with the template's ids, touching along their
 * edges: strengths (0, 0), weaknesses (1000, 0), opportunities (0, 800), threats (1000, 800).
 */
export function swotFrames(origin = { x: 0, y: 0 }): TLShape[] {
  const cells = [
    ['strengths', 'Strengths', 0, 0],
    ['weaknesses', 'Weaknesses', 1, 0],
    ['opportunities', 'Opportunities', 0, 1],
    ['threats', 'Threats', 1, 1],
  ] as const
  return cells.map(([key, name, col, row]) =>
    frame(`shape:swot-${key}`, { x: origin.x + col * QUADRANT.w, y: origin.y + row * QUADRANT.h }, QUADRANT.w, QUADRANT.h, name),
  )
}
