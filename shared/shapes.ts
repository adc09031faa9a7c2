import {
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  type RecordProps,
  type TLShape,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/**
 * Keyplan's own tldraw shapes: the stakeholder card and the action card.
 * Each shape keeps its type name, enums, prop validators and migrations together here, so the
 * client (shape utils, panels), the server (schema, plan extraction) and the tests share one
 * definition. Record ids and values stored in Yjs cross the wire, so they are declared only here.
 */

/** Shape type names of Keyplan's custom shapes. */
export const SHAPE_TYPES = {
  /** A person on the customer's side, on the stakeholder map. */
  stakeholder: 'stakeholder',
  /** One action of the action plan: who does what by when. */
  action: 'action',
} as const

/** Buying roles in the customer's buying centre (Miller Heiman, MEDDIC). */
export const BUYING_ROLES = [
  'economic_buyer',
  'decision_maker',
  'technical_buyer',
  'user',
  'influencer',
  'gatekeeper',
  'champion',
] as const
export type BuyingRole = (typeof BUYING_ROLES)[number]

/** How much weight a stakeholder carries in the decision. */
export const INFLUENCE_LEVELS = ['high', 'medium', 'low'] as const
export type Influence = (typeof INFLUENCE_LEVELS)[number]

/** The stakeholder's attitude to us, from best to worst. */
export const ATTITUDES = ['champion', 'supporter', 'neutral', 'skeptic', 'blocker'] as const
export type Attitude = (typeof ATTITUDES)[number]

/** Status of an action; the action board has one column per status. */
export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'blocked'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

/**
 * Kinds of relationship line between two stakeholder cards. A relationship is a tldraw arrow
 * bound at both ends to cards; its kind is kept in the arrow's `meta.relationship`.
 */
export const RELATIONSHIP_KINDS = ['reports_to', 'influences', 'conflict', 'ally'] as const
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number]

/** Display labels for every enum value above (UI, Markdown export, CSV). */
export const LABELS = {
  buyingRole: {
    economic_buyer: 'Economic buyer',
    decision_maker: 'Decision maker',
    technical_buyer: 'Technical buyer',
    user: 'User',
    influencer: 'Influencer',
    gatekeeper: 'Gatekeeper',
    champion: 'Champion / coach',
  },
  influence: { high: 'High', medium: 'Medium', low: 'Low' },
  attitude: {
    champion: 'Champion',
    supporter: 'Supporter',
    neutral: 'Neutral',
    skeptic: 'Skeptic',
    blocker: 'Blocker',
  },
  status: { open: 'Open', in_progress: 'In progress', done: 'Done', blocked: 'Blocked' },
  relationship: {
    reports_to: 'Reports to',
    influences: 'Influences',
    conflict: 'Conflict',
    ally: 'Ally',
  },
} as const satisfies {
  buyingRole: Record<BuyingRole, string>
  influence: Record<Influence, string>
  attitude: Record<Attitude, string>
  status: Record<ActionStatus, string>
  relationship: Record<RelationshipKind, string>
}

/** Props of a stakeholder card. `buyingRole` is null until the team has assessed the person. */
export interface StakeholderCardProps {
  w: number
  h: number
  name: string
  jobTitle: string
  department: string
  buyingRole: BuyingRole | null
  influence: Influence
  attitude: Attitude
  /** Who on our side owns the relationship with this person. */
  owner: string
  notes: string
}

/** Props of an action card. `due` is an ISO calendar date (`YYYY-MM-DD`) or empty. */
export interface ActionCardProps {
  w: number
  h: number
  title: string
  owner: string
  due: string
  status: ActionStatus
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    stakeholder: StakeholderCardProps
    action: ActionCardProps
  }
}

/** A stakeholder card record. */
export type StakeholderCardShape = Extract<TLShape, { type: 'stakeholder' }>
/** An action card record. */
export type ActionCardShape = Extract<TLShape, { type: 'action' }>

const MAX_TEXT = 2000

/** A calendar date `YYYY-MM-DD`, or empty for "no due date". */
export const ISO_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

const dueDate = T.string.check((value) => {
  if (value !== '' && !ISO_DATE_PATTERN.test(value)) {
    throw new Error(`Expected an ISO date YYYY-MM-DD or empty, got "${value}"`)
  }
})

const boundedText = T.string.check((value) => {
  if (value.length > MAX_TEXT) throw new Error(`Text longer than ${MAX_TEXT} characters`)
})

/** tldraw validators for {@link StakeholderCardProps}. */
export const stakeholderCardProps: RecordProps<StakeholderCardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: boundedText,
  jobTitle: boundedText,
  department: boundedText,
  buyingRole: T.literalEnum(...BUYING_ROLES).nullable(),
  influence: T.literalEnum(...INFLUENCE_LEVELS),
  attitude: T.literalEnum(...ATTITUDES),
  owner: boundedText,
  notes: boundedText,
}

/** tldraw validators for {@link ActionCardProps}. */
export const actionCardProps: RecordProps<ActionCardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  title: boundedText,
  owner: boundedText,
  due: dueDate,
  status: T.literalEnum(...ACTION_STATUSES),
}

/** Migration ids of the stakeholder card props; add a step here when the props change. */
export const stakeholderCardVersions = createShapePropsMigrationIds('stakeholder', {})
/** Migration ids of the action card props; add a step here when the props change. */
export const actionCardVersions = createShapePropsMigrationIds('action', {})

/** Migrations of the stakeholder card props (none yet: version 0 is the first). */
export const stakeholderCardMigrations = createShapePropsMigrationSequence({ sequence: [] })
/** Migrations of the action card props (none yet: version 0 is the first). */
export const actionCardMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** Default props of a new stakeholder card. */
export function defaultStakeholderCardProps(): StakeholderCardProps {
  return {
    w: 240,
    h: 150,
    name: '',
    jobTitle: '',
    department: '',
    buyingRole: null,
    influence: 'medium',
    attitude: 'neutral',
    owner: '',
    notes: '',
  }
}

/** Default props of a new action card. */
export function defaultActionCardProps(): ActionCardProps {
  return { w: 240, h: 120, title: '', owner: '', due: '', status: 'open' }
}

/**
 * True when an action is overdue on `today` (`YYYY-MM-DD`, the viewer's local date): it has a
 * due date before today and is not done.
 * @example isOverdue({ due: '2026-01-31', status: 'open' }, '2026-02-01') // true
 */
export function isOverdue(action: Pick<ActionCardProps, 'due' | 'status'>, today: string): boolean {
  return action.due !== '' && action.status !== 'done' && action.due < today
}
