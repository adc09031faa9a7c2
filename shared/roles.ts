/**
 * Workshop roles and what each may do, as pure functions shared by the server (which enforces
 * them, `docs/security.md` [A5]–[A7]) and the client (which only mirrors them to hide controls).
 *
 * @example
 * ```ts
 * import { canSeeBoard, canEditBoard } from '../shared/roles.ts'
 * if (!canSeeBoard(role, 'swot', settings.customerFacing)) closeWith(CLOSE_CODES.forbidden)
 * const readOnly = !canEditBoard(role, 'swot', settings.customerFacing)
 * ```
 */
import { z } from 'zod'
import { BOARD_IDS, BoardIdSchema, DEFAULT_CUSTOMER_FACING, type BoardId } from './boards.ts'

/**
 * The roles a workshop link (token) can grant, from most to least trusted:
 * - `facilitator`: everything, including snapshots, restore, board settings and invite links;
 * - `team`: edits every board;
 * - `viewer`: reads every board, edits none (an executive sponsor reviewing);
 * - `guest`: the customer; sees and edits only customer-facing boards.
 *
 * A role travels inside tokens and API bodies, so it is declared only here.
 */
export const ROLES = ['facilitator', 'team', 'viewer', 'guest'] as const

/** Validates a role from a token, a URL or an API body. */
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/** Which boards are customer-facing (visible to guests), for every board of a workshop. */
export type CustomerFacing = Record<BoardId, boolean>

/**
 * A workshop's board settings, as stored and as returned by the API, every board listed. A change
 * names only the boards it sets ({@link BoardSettingsChangeSchema}).
 *
 * @example `{ "customerFacing": { "swot": false, "stakeholders": false, "actions": true } }`
 */
export const BoardSettingsSchema = z.object({
  customerFacing: z.record(BoardIdSchema, z.boolean()),
})
export type BoardSettings = z.infer<typeof BoardSettingsSchema>

/**
 * Body of `PUT /api/workshops/:id/settings`: the boards to set, at least one; boards not named keep
 * their setting. The answer is {@link BoardSettings}, every board.
 * @example `{ "customerFacing": { "actions": true } }`
 */
export const BoardSettingsChangeSchema = z.object({
  customerFacing: z.partialRecord(BoardIdSchema, z.boolean()).refine((changes) => Object.keys(changes).length > 0, 'name at least one board'),
})
export type BoardSettingsChange = z.infer<typeof BoardSettingsChangeSchema>

/** Every board internal: the safe reading of missing access state. */
export function allInternal(): CustomerFacing {
  return Object.fromEntries(BOARD_IDS.map((board) => [board, false])) as CustomerFacing // one key per board
}

/** The settings of a new workshop: {@link DEFAULT_CUSTOMER_FACING}. */
export function defaultBoardSettings(): BoardSettings {
  return { customerFacing: { ...DEFAULT_CUSTOMER_FACING } }
}

/**
 * Whether `role` may open `board` at all (receive its content). Guests see only boards whose
 * `customerFacing` entry is exactly `true`; every other role sees every board.
 */
export function canSeeBoard(role: Role, board: BoardId, customerFacing: CustomerFacing): boolean {
  // Fail closed: only an explicit `true` opens a board to guests.
  if (role === 'guest') return customerFacing[board] === true
  return true
}

/**
 * Whether `role` may change `board` (its sync updates are applied and relayed). Viewers edit
 * nothing; guests edit the customer-facing boards they can see; team and facilitator edit all.
 */
export function canEditBoard(role: Role, board: BoardId, customerFacing: CustomerFacing): boolean {
  switch (role) {
    case 'facilitator':
    case 'team':
      return true
    case 'viewer':
      return false
    case 'guest':
      return canSeeBoard(role, board, customerFacing)
  }
}

/** The boards `role` may see, in switcher order. */
export function visibleBoards(role: Role, customerFacing: CustomerFacing): BoardId[] {
  return BOARD_IDS.filter((board) => canSeeBoard(role, board, customerFacing))
}

/** Whether `role` may take a snapshot of the account plan (facilitator only). */
export function canTakeSnapshot(role: Role): boolean {
  return role === 'facilitator'
}

/** Whether `role` may restore a board from a snapshot (facilitator only). */
export function canRestore(role: Role): boolean {
  return role === 'facilitator'
}

/** Whether `role` may change which boards are customer-facing (facilitator only). */
export function canChangeBoardSettings(role: Role): boolean {
  return role === 'facilitator'
}

/**
 * Whether `role` may change the workshop's own settings: its account and title, time zone, and
 * whether it is archived (facilitator only).
 */
export function canChangeWorkshopSettings(role: Role): boolean {
  return role === 'facilitator'
}

/** Whether `role` may delete the workshop for good, with everything stored of it (facilitator only). */
export function canDeleteWorkshop(role: Role): boolean {
  return role === 'facilitator'
}

/** Whether `role` may see the invite links and revoke a role's links (facilitator only). */
export function canManageLinks(role: Role): boolean {
  return role === 'facilitator'
}
