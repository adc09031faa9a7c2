import {
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  type RecordProps,
  type TLDefaultColorStyle,
  type TLDefaultDashStyle,
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
  /** An account objective with its KPI, on the objectives board. */
  objective: 'objective',
  /** One cell of the whitespace matrix: a business unit × an offering. */
  whitespace: 'whitespace',
  /** A competitor in the account, on the whitespace board (the competitor matrix). */
  competitor: 'competitor',
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

/** What an objective's KPI measures (the five KAM processes' KPIs, plus share of wallet). */
export const KPI_TYPES = ['revenue_growth', 'profitability', 'satisfaction', 'retention', 'usage', 'share_of_wallet', 'other'] as const
export type KpiType = (typeof KPI_TYPES)[number]

/** Where an objective stands. */
export const OBJECTIVE_STATUSES = ['on_track', 'at_risk', 'off_track', 'achieved'] as const
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number]

/** What a whitespace cell says about a business unit × offering. */
export const WHITESPACE_KINDS = ['we_supply', 'competitor', 'opportunity', 'not_relevant'] as const
export type WhitespaceKind = (typeof WHITESPACE_KINDS)[number]

/**
 * The fields of a whitespace cell that mean something for each kind: what its side panel shows
 * and the plan reads (docs/plan-extraction.md [P14]). A field a kind leaves out is neither shown
 * nor cleared on the board, so the plan leaves it out too (QA q33b: a "Not relevant" cell's old
 * 500,000 reached the CSV).
 */
export const WHITESPACE_KIND_FIELDS = {
  we_supply: ['value'],
  competitor: ['competitor', 'value'],
  opportunity: ['value', 'probability'],
  not_relevant: [],
} as const satisfies Record<WhitespaceKind, readonly ('competitor' | 'value' | 'probability')[]>

/** Whether a whitespace cell of `kind` has `field` ({@link WHITESPACE_KIND_FIELDS}). */
export function kindHasField(kind: WhitespaceKind, field: 'competitor' | 'value' | 'probability'): boolean {
  return (WHITESPACE_KIND_FIELDS[kind] as readonly string[]).includes(field) // widened to look up any of the three
}

/**
 * The props to write when a team member sets a cell's kind: the kind, and when it changes, the
 * money fields cleared, since each kind gives `value` another meaning (estimated value, our
 * revenue, their revenue): an opportunity's estimate must not turn into our revenue ([P14]).
 * @example kindChange({ kind: 'opportunity', value: 500_000, probability: 75 }, 'we_supply') // { kind: 'we_supply', value: null, probability: null }
 */
export function kindChange(props: Pick<WhitespaceCardProps, 'kind'>, kind: WhitespaceKind): Partial<WhitespaceCardProps> {
  return kind === props.kind ? { kind } : { kind, value: null, probability: null }
}

/** A competitor's standing in the account. */
export const COMPETITOR_POSITIONS = ['incumbent', 'strong', 'present', 'niche', 'entering'] as const
export type CompetitorPosition = (typeof COMPETITOR_POSITIONS)[number]

/**
 * Kinds of relationship line between two stakeholder cards. A relationship is a tldraw arrow
 * bound at both ends to cards; its kind is kept in the arrow's `meta.relationship`.
 */
export const RELATIONSHIP_KINDS = ['reports_to', 'influences', 'conflict', 'ally'] as const
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number]

/**
 * How each relationship kind is drawn, in tldraw's own arrow styles so every client (and an
 * export) shows the same thing: reporting lines solid, influence dashed, conflict red, allies green.
 * The kind is the one source of truth: the server refuses an arrow on the stakeholder map drawn
 * otherwise (`docs/server-rules.md` [R9]).
 */
export const RELATIONSHIP_STYLES = {
  reports_to: { color: 'black', dash: 'solid' },
  influences: { color: 'blue', dash: 'dashed' },
  conflict: { color: 'red', dash: 'solid' },
  ally: { color: 'green', dash: 'solid' },
} as const satisfies Record<RelationshipKind, { color: TLDefaultColorStyle; dash: TLDefaultDashStyle }>

/**
 * The kind an arrow's `meta.relationship` means, as the plan reads it: one of the kinds, and
 * influences when it is unset or unknown ([P8] in docs/plan-extraction.md).
 * @example relationshipKindRead('conflict') // 'conflict'; relationshipKindRead(undefined) // 'influences'
 */
export function relationshipKindRead(relationship: unknown): RelationshipKind {
  return RELATIONSHIP_KINDS.find((kind) => kind === relationship) ?? 'influences'
}

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
  kpiType: {
    revenue_growth: 'Revenue growth',
    profitability: 'Profitability / margin',
    satisfaction: 'Satisfaction / NPS',
    retention: 'Retention / renewal',
    usage: 'Product usage / adoption',
    share_of_wallet: 'Share of wallet',
    other: 'Other',
  },
  objectiveStatus: { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', achieved: 'Achieved' },
  whitespaceKind: {
    we_supply: 'We supply',
    competitor: 'Competitor supplies',
    opportunity: 'Open opportunity',
    not_relevant: 'Not relevant',
  },
  competitorPosition: { incumbent: 'Incumbent', strong: 'Strong', present: 'Present', niche: 'Niche', entering: 'Entering' },
} as const satisfies {
  buyingRole: Record<BuyingRole, string>
  influence: Record<Influence, string>
  attitude: Record<Attitude, string>
  status: Record<ActionStatus, string>
  relationship: Record<RelationshipKind, string>
  kpiType: Record<KpiType, string>
  objectiveStatus: Record<ObjectiveStatus, string>
  whitespaceKind: Record<WhitespaceKind, string>
  competitorPosition: Record<CompetitorPosition, string>
}

/**
 * Props of a stakeholder card. `buyingRole`, `influence` and `attitude` are null until the team has
 * assessed the person (QA q36b: a new card read "Medium influence, Neutral", as if judged so).
 */
export interface StakeholderCardProps {
  w: number
  h: number
  name: string
  jobTitle: string
  department: string
  buyingRole: BuyingRole | null
  influence: Influence | null
  attitude: Attitude | null
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
  /** Shape ids of the objective cards (objectives board) this action serves. */
  objectives: string[]
}

/**
 * Props of an objective card. Numbers are null until given; `targetDate` is `YYYY-MM-DD` or empty.
 * `addresses` holds shape ids of SWOT notes (threats, weaknesses) the objective answers.
 */
export interface ObjectiveCardProps {
  w: number
  h: number
  objective: string
  kpiType: KpiType
  /** What is measured, e.g. "Annual revenue", "NPS". */
  measure: string
  /** Unit of baseline and target, e.g. "EUR", "%", "points". */
  unit: string
  baseline: number | null
  target: number | null
  targetDate: string
  owner: string
  status: ObjectiveStatus
  /** The strategy to meet the objective, in a sentence. */
  strategy: string
  addresses: string[]
}

/**
 * Props of a whitespace cell card. `row` (business unit / buying centre) and `column` (offering)
 * name the cell; left empty, they are read from the row and column headers the card sits in.
 * `value` is our annual revenue (we supply), the competitor's estimated revenue (competitor) or the
 * opportunity's estimated value (opportunity); `probability` (0–100) is for opportunities.
 */
export interface WhitespaceCardProps {
  w: number
  h: number
  row: string
  column: string
  kind: WhitespaceKind
  /** Which competitor supplies it, for kind `competitor`. */
  competitor: string
  value: number | null
  probability: number | null
  notes: string
}

/** Props of a competitor card: one row of the competitor matrix. */
export interface CompetitorCardProps {
  w: number
  h: number
  name: string
  position: CompetitorPosition
  /** Where they are strong against us. */
  strengths: string
  /** Where they are weak against us. */
  weaknesses: string
  /** The relationship they hold in the account (who, how close). */
  relationship: string
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    stakeholder: StakeholderCardProps
    action: ActionCardProps
    objective: ObjectiveCardProps
    whitespace: WhitespaceCardProps
    competitor: CompetitorCardProps
  }
}

/** A stakeholder card record. */
export type StakeholderCardShape = Extract<TLShape, { type: 'stakeholder' }>
/** An action card record. */
export type ActionCardShape = Extract<TLShape, { type: 'action' }>
/** An objective card record. */
export type ObjectiveCardShape = Extract<TLShape, { type: 'objective' }>
/** A whitespace cell card record. */
export type WhitespaceCardShape = Extract<TLShape, { type: 'whitespace' }>
/** A competitor card record. */
export type CompetitorCardShape = Extract<TLShape, { type: 'competitor' }>

/**
 * Fields of the structured cards that hold money, internal by default (issue 13): a guest's view
 * will leave them out once field sensitivity is enforced. Listed here so extraction, the JSON
 * Schema and the side panel agree on which they are.
 */
export const MONEY_FIELDS = {
  objective: ['baseline', 'target'],
  whitespace: ['value'],
} as const

/**
 * A whitespace row or column header is a `geo` rectangle with `meta.whitespaceAxis` set to `row`
 * (a business unit or buying centre; it spans the matrix to its right) or `column` (an offering;
 * it spans the matrix below it). Its text is the label. A cell card whose `row` or `column` prop
 * is empty takes the header whose band holds its centre ([P13] in docs/plan-extraction.md).
 */
export const WHITESPACE_AXIS_META = 'whitespaceAxis'

/** Axis of a whitespace header. */
export type WhitespaceAxis = 'row' | 'column'

/** Most shape ids one card may link to (action → objectives, objective → SWOT notes). */
export const MAX_LINKS = 50

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

const shapeIdList = T.arrayOf(T.string).check((ids) => {
  if (ids.length > MAX_LINKS) throw new Error(`More than ${MAX_LINKS} links`)
  for (const id of ids) if (!id.startsWith('shape:') || id.length > 200) throw new Error(`Not a shape id: "${id.slice(0, 50)}"`)
})

/** tldraw validators for {@link StakeholderCardProps}. */
export const stakeholderCardProps: RecordProps<StakeholderCardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: boundedText,
  jobTitle: boundedText,
  department: boundedText,
  buyingRole: T.literalEnum(...BUYING_ROLES).nullable(),
  influence: T.literalEnum(...INFLUENCE_LEVELS).nullable(),
  attitude: T.literalEnum(...ATTITUDES).nullable(),
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
  objectives: shapeIdList,
}

/**
 * Largest amount a card record holds (its validator): sums over thousands of cards stay finite.
 * Cards stored up to it still load; new amounts are entered up to {@link MAX_EXACT_AMOUNT}.
 */
export const MAX_AMOUNT = 1e15

/**
 * Largest amount the side panel takes, with the message "… must be a number from … to
 * 10,000,000,000,000; not saved.": below 2^44 (~1.76 · 10^13) a double holds every cent as shown,
 * so a card and every total it is in read the cents that were typed ([P14]). Above it (up to
 * {@link MAX_AMOUNT}, 999,999,999,999,999.33 is stored as …999.375) they cannot.
 */
export const MAX_EXACT_AMOUNT = 1e13

const amount = T.number.nullable().check((value) => {
  if (value !== null && Math.abs(value) > MAX_AMOUNT) throw new Error(`Amount beyond ±${MAX_AMOUNT}`)
})
const probability = T.number.nullable().check((value) => {
  if (value !== null && (value < 0 || value > 100)) throw new Error('Probability must be between 0 and 100')
})

/** tldraw validators for {@link ObjectiveCardProps}. */
export const objectiveCardProps: RecordProps<ObjectiveCardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  objective: boundedText,
  kpiType: T.literalEnum(...KPI_TYPES),
  measure: boundedText,
  unit: boundedText,
  baseline: amount,
  target: amount,
  targetDate: dueDate,
  owner: boundedText,
  status: T.literalEnum(...OBJECTIVE_STATUSES),
  strategy: boundedText,
  addresses: shapeIdList,
}

/** tldraw validators for {@link WhitespaceCardProps}. */
export const whitespaceCardProps: RecordProps<WhitespaceCardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  row: boundedText,
  column: boundedText,
  kind: T.literalEnum(...WHITESPACE_KINDS),
  competitor: boundedText,
  value: amount,
  probability,
  notes: boundedText,
}

/** tldraw validators for {@link CompetitorCardProps}. */
export const competitorCardProps: RecordProps<CompetitorCardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: boundedText,
  position: T.literalEnum(...COMPETITOR_POSITIONS),
  strengths: boundedText,
  weaknesses: boundedText,
  relationship: boundedText,
}

/** Migration ids of the stakeholder card props; add a step here when the props change. */
export const stakeholderCardVersions = createShapePropsMigrationIds('stakeholder', {
  /** QA q36b: influence and attitude may be unassessed (null), as the buying role; cards made before keep theirs. */
  Unassessed: 1,
})
/** Migration ids of the action card props; add a step here when the props change. */
export const actionCardVersions = createShapePropsMigrationIds('action', {
  /** Issue 15: actions serve objectives (`objectives`, empty for existing cards). */
  AddObjectives: 1,
})
/** Migration ids of the objective card props; add a step here when the props change. */
export const objectiveCardVersions = createShapePropsMigrationIds('objective', {})
/** Migration ids of the whitespace cell card props; add a step here when the props change. */
export const whitespaceCardVersions = createShapePropsMigrationIds('whitespace', {})
/** Migration ids of the competitor card props; add a step here when the props change. */
export const competitorCardVersions = createShapePropsMigrationIds('competitor', {})

/** Migrations of the stakeholder card props: version 1 lets influence and attitude be null (not assessed). */
export const stakeholderCardMigrations = createShapePropsMigrationSequence({
  sequence: [
    {
      id: stakeholderCardVersions.Unassessed,
      // Cards made before were given Medium and Neutral: what the team saw on them, kept.
      up: () => {},
      // A page of the version before reads an unassessed person as it made new cards.
      down: (props) => {
        props.influence ??= 'medium'
        props.attitude ??= 'neutral'
      },
    },
  ],
})
/** Migrations of the action card props: version 1 adds `objectives`. */
export const actionCardMigrations = createShapePropsMigrationSequence({
  sequence: [
    {
      id: actionCardVersions.AddObjectives,
      up: (props) => {
        props.objectives = []
      },
      down: (props) => {
        delete props.objectives
      },
    },
  ],
})
/** Migrations of the objective card props (none yet: version 0 is the first). */
export const objectiveCardMigrations = createShapePropsMigrationSequence({ sequence: [] })
/** Migrations of the whitespace cell card props (none yet: version 0 is the first). */
export const whitespaceCardMigrations = createShapePropsMigrationSequence({ sequence: [] })
/** Migrations of the competitor card props (none yet: version 0 is the first). */
export const competitorCardMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** Default props of a new stakeholder card. */
export function defaultStakeholderCardProps(): StakeholderCardProps {
  return {
    w: 240,
    h: 150,
    name: '',
    jobTitle: '',
    department: '',
    buyingRole: null,
    influence: null,
    attitude: null,
    owner: '',
    notes: '',
  }
}

/** Default props of a new action card. */
export function defaultActionCardProps(): ActionCardProps {
  return { w: 240, h: 120, title: '', owner: '', due: '', status: 'open', objectives: [] }
}

/** Default props of a new objective card. */
export function defaultObjectiveCardProps(): ObjectiveCardProps {
  return {
    w: 280,
    h: 170,
    objective: '',
    kpiType: 'revenue_growth',
    measure: '',
    unit: '',
    baseline: null,
    target: null,
    targetDate: '',
    owner: '',
    status: 'on_track',
    strategy: '',
    addresses: [],
  }
}

/** Default props of a new whitespace cell card. */
export function defaultWhitespaceCardProps(): WhitespaceCardProps {
  return { w: 200, h: 110, row: '', column: '', kind: 'opportunity', competitor: '', value: null, probability: null, notes: '' }
}

/** Default props of a new competitor card. */
export function defaultCompetitorCardProps(): CompetitorCardProps {
  return { w: 260, h: 160, name: '', position: 'present', strengths: '', weaknesses: '', relationship: '' }
}

/**
 * True when an action is overdue on `today` (`YYYY-MM-DD`, the viewer's local date): it has a
 * due date before today and is not done.
 * @example isOverdue({ due: '2026-01-31', status: 'open' }, '2026-02-01') // true
 */
export function isOverdue(action: Pick<ActionCardProps, 'due' | 'status'>, today: string): boolean {
  return action.due !== '' && action.status !== 'done' && action.due < today
}

/**
 * Whether an objective's target date has passed (before `today`, `YYYY-MM-DD`) and it is not
 * achieved: it stands out on its card as an overdue action does.
 */
export function isPastTargetDate(objective: Pick<ObjectiveCardProps, 'targetDate' | 'status'>, today: string): boolean {
  return objective.targetDate !== '' && objective.status !== 'achieved' && objective.targetDate < today
}
