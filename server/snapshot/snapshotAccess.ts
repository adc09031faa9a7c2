/**
 * What a snapshot records of the workshop's access state when it was taken, and how a role's view
 * of a snapshot follows from it (`docs/security.md` [A17]–[A19]):
 * - which boards were customer-facing then;
 * - who was present, and on which boards.
 *
 * A guest sees a board's content in a snapshot only if that board was customer-facing when the
 * snapshot was taken **and** is now. Snapshots stored before this record existed have none: for
 * guests every board of theirs counts as internal (the safe default).
 *
 * @example
 * ```ts
 * const visible = snapshotBoardsVisible(role, access.customerFacing, [await store.getSnapshotAccess(w, sid)])
 * const view = restrictPlan(plan, visible, recorded)
 * ```
 */
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import * as Y from 'yjs'
import { readOverlays, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { SensitivityOverridesSchema, mergeParts, resolveSensitivity } from '../../shared/sensitivity.ts'
import { z } from 'zod'
import { lazySchema } from '../../shared/lazySchema.ts'
import { BOARD_IDS, BoardIdSchema, StoredCustomerFacingSchema, type BoardId } from '../../shared/boards.ts'
import { customerView } from '../../shared/customerView.ts'
import type { PlanView } from '../../shared/plan.ts'
import type { Store } from '../store/Store.ts'
import { allInternal, canSeeBoard, type CustomerFacing, type Role } from '../../shared/roles.ts'

/** Longest participant name kept (the plan record's limit). */
const MAX_NAME = 200

/**
 * The access record stored with a snapshot. Participants are a list, not an object keyed by name,
 * so that a name such as `__proto__` is plain data everywhere it travels.
 */
export const SnapshotAccessSchema = lazySchema(() => z.object({
  /** Which boards were customer-facing when the snapshot was taken; a board missing from an older record was not. */
  customerFacing: StoredCustomerFacingSchema,
  /** Each participant name of the plan record, with the boards that person was seen on. */
  participants: z.array(z.object({ name: z.string().max(MAX_NAME), boards: z.array(BoardIdSchema) })),
  /** Issue 13: the field sensitivities when it was taken; absent (older snapshots): the defaults. */
  sensitivity: SensitivityOverridesSchema.optional(),
  /** Issue 13: ids of the items that were internal when it was taken. */
  internalIds: z.array(z.string().max(256)).optional(),
  /**
   * How many people voted on items that were not internal when it was taken, per revealed vote (a
   * guest's count: everyone's would tell that others voted on hidden items). Absent (older
   * snapshots): no more than the votes a guest sees.
   */
  guestVoters: z.array(z.object({ vote: z.string().max(64), count: z.number().int().nonnegative() })).optional(),
  /**
   * Issue 13, snapshots stored before the internal documents were board rows (SQLite migration
   * 13, PostgreSQL 11): each board's internal document when it was taken (a Yjs update,
   * base64). Read only; newer snapshots keep them beside the board states ({@link snapshotInternalState}).
   */
  internalStates: z.partialRecord(BoardIdSchema, z.base64()).optional(),
}))
export type SnapshotAccess = z.infer<typeof SnapshotAccessSchema>

/**
 * [A36] What a guest sees of a plan it may see: without the items and fields that were internal
 * when the snapshot was taken (judged by the defaults for snapshots older than issue 13).
 */
export function guestPlan(view: PlanView, recorded: SnapshotAccess | null): PlanView {
  const voters = new Map(recorded?.guestVoters?.map(({ vote, count }) => [vote, count]))
  const safe = customerSafePlan(view, resolveSensitivity(recorded?.sensitivity), new Set(recorded?.internalIds ?? []), voters)
  return { ...safe, label: guestLabel(safe) }
}

/**
 * A snapshot's name as a guest sees it: a snapshot taken before a restore is named for the board
 * restored ("Before restoring the SWOT board"), which told a guest of the team's work on an
 * internal board (QA q28c); a guest sees the trigger's own name instead ("Before a restore").
 */
export function guestLabel(snapshot: Pick<PlanView, 'trigger' | 'label'>): string | null {
  return snapshot.trigger === 'before_restore' ? null : snapshot.label
}

/**
 * Issue 13: a board's internal document at a snapshot (a Yjs update): stored beside the board's
 * state, or in the access record `recorded` by snapshots stored before; undefined when the board
 * had no internal content.
 */
export async function snapshotInternalState(store: Pick<Store, 'getSnapshotInternalBoard'>, workshopId: string, snapshotId: string, board: BoardId, recorded: SnapshotAccess | null): Promise<Uint8Array | undefined> {
  const older = recorded?.internalStates?.[board]
  if (older) return Buffer.from(older, 'base64')
  return store.getSnapshotInternalBoard(workshopId, snapshotId, board)
}

/**
 * Issue 13: `doc` (a snapshot board's shared document, private) with the snapshot's internal
 * document `state` ({@link snapshotInternalState}) merged in, as the team saw the board: for the
 * team's views and for a restore, whose server write moves the internal values back where they
 * belong ([A35]).
 */
export function withInternalPart(doc: Y.Doc, recorded: SnapshotAccess | null, state: Uint8Array | undefined): Y.Doc {
  if (!state) return doc
  const internal = new Y.Doc()
  Y.applyUpdate(internal, state)
  const sensitivity = resolveSensitivity(recorded?.sensitivity)
  const merged = mergeParts(readRecords(doc), readRecords(internal), readOverlays(internal), sensitivity)
  internal.destroy()
  writeRecordChanges(doc, { put: [...merged.values()], remove: [] })
  return doc
}

/** Every board internal: how a snapshot without an access record counts for guests ([A17]). */
const ALL_INTERNAL: CustomerFacing = allInternal()

/**
 * Which boards `role` may see of the snapshots whose records are `recorded` (one for a snapshot,
 * two for a diff; `null` for a snapshot stored without a record), given the customer-facing flags
 * of `now`. Every role other than guest sees every board.
 */
export function snapshotBoardsVisible(role: Role, now: CustomerFacing, recorded: readonly (SnapshotAccess | null)[]): Record<BoardId, boolean> {
  const flags = [now, ...recorded.map((record) => record?.customerFacing ?? ALL_INTERNAL)]
  return Object.fromEntries(BOARD_IDS.map((board) => [board, flags.every((cf) => canSeeBoard(role, board, cf))])) as Record<BoardId, boolean> // one key per board
}

/** True when every board is visible, i.e. the plan needs no restriction. */
export function seesEverything(visible: Record<BoardId, boolean>): boolean {
  return BOARD_IDS.every((board) => visible[board])
}

/**
 * The plan as seen with only the `visible` boards: sections of hidden boards are absent
 * (`customerView`), and participants are only those who were on a visible board, as `recorded`
 * in the snapshot's access record; without a record, nobody ([A18]).
 */
export function restrictPlan(plan: PlanView, visible: Record<BoardId, boolean>, recorded: SnapshotAccess | null): PlanView {
  if (seesEverything(visible)) return plan
  const shown = new Set(
    (recorded?.participants ?? []).filter((participant) => participant.boards.some((board) => visible[board])).map((participant) => participant.name),
  )
  return { ...customerView(plan, visible), participants: plan.participants.filter((name) => shown.has(name)) }
}
