import { z } from 'zod'

/**
 * The boards every workshop has, in the order the board switcher shows them.
 * A board id is part of the sync URL (`/sync/:workshopId/:board`) and of page URLs
 * (`/w/:workshopId/:board`), so it crosses the wire and is declared only here.
 */
export const BOARD_IDS = ['swot', 'stakeholders', 'actions'] as const

/** Validates a board id from a URL, a message or a stored row. */
export const BoardIdSchema = z.enum(BOARD_IDS)
export type BoardId = z.infer<typeof BoardIdSchema>

/** Human titles of the boards, shown in the switcher and returned by the API. */
export const BOARD_TITLES = {
  /** Strengths, weaknesses, opportunities and threats of the account. */
  swot: 'SWOT',
  /** The customer's people: buying roles, influence, attitude, relationships. */
  stakeholders: 'Stakeholder map',
  /** Who does what by when. */
  actions: 'Action plan',
} as const satisfies Record<BoardId, string>

/**
 * Whether a board is customer-facing (visible to guests) when a workshop is created.
 * Our SWOT of the customer and our read on their people are internal by default.
 */
export const DEFAULT_CUSTOMER_FACING = {
  swot: false,
  stakeholders: false,
  actions: true,
} as const satisfies Record<BoardId, boolean>

/** True when `value` is one of {@link BOARD_IDS}. */
export function isBoardId(value: string): value is BoardId {
  return (BOARD_IDS as readonly string[]).includes(value)
}
