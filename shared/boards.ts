import { z } from 'zod'

/**
 * The boards every workshop has, in the order the board switcher shows them.
 * A board id is part of the sync URL (`/sync/:workshopId/:board`) and of page URLs
 * (`/w/:workshopId/:board`), so it crosses the wire and is declared only here.
 */
export const BOARD_IDS = ['swot', 'stakeholders', 'objectives', 'actions', 'whitespace'] as const

/** Validates a board id from a URL, a message or a stored row. */
export const BoardIdSchema = z.enum(BOARD_IDS)
export type BoardId = z.infer<typeof BoardIdSchema>

/** Human titles of the boards, shown in the switcher and returned by the API. */
export const BOARD_TITLES = {
  /** Strengths, weaknesses, opportunities and threats of the account. */
  swot: 'SWOT',
  /** The customer's people: buying roles, influence, attitude, relationships. */
  stakeholders: 'Stakeholder map',
  /** Account objectives, their KPIs and the strategy to meet them. */
  objectives: 'Objectives & KPIs',
  /** Who does what by when. */
  actions: 'Action plan',
  /** Offerings × business units, and the competitors in the account. */
  whitespace: 'Whitespace & competitors',
} as const satisfies Record<BoardId, string>

/**
 * Whether a board is customer-facing (visible to guests) when a workshop is created.
 * Our SWOT of the customer, our read on their people, our objectives (with revenue targets) and
 * our whitespace and competitor view are internal by default.
 */
export const DEFAULT_CUSTOMER_FACING = {
  swot: false,
  stakeholders: false,
  objectives: false,
  actions: true,
  whitespace: false,
} as const satisfies Record<BoardId, boolean>

/** True when `value` is one of {@link BOARD_IDS}. */
export function isBoardId(value: string): value is BoardId {
  return (BOARD_IDS as readonly string[]).includes(value)
}

/**
 * Customer-facing flags as stored before a board existed: a board missing from a stored record
 * (a workshop or snapshot from before the objectives and whitespace boards) counts as internal.
 * Values are parsed strictly; only missing keys are filled.
 * @example StoredCustomerFacingSchema.parse({ swot: false, stakeholders: false, actions: true }).objectives // false
 */
export const StoredCustomerFacingSchema = z
  .partialRecord(BoardIdSchema, z.boolean())
  .transform((flags): Record<BoardId, boolean> => Object.fromEntries(BOARD_IDS.map((board) => [board, flags[board] === true])) as Record<BoardId, boolean>) // one key per board
