/**
 * The access state the server keeps per workshop (`docs/security.md` [A4], [A6]): the current
 * generation of each role (bumped to revoke its links), which boards are customer-facing, and the
 * lifetime of its links. Stored by the {@link Store}; checked by `checkWorkshopToken`, for the
 * sync connections and the REST middleware alike.
 */
import { z } from 'zod'
import { lazySchema } from '../../shared/lazySchema.ts'
import { StoredCustomerFacingSchema } from '../../shared/boards.ts'
import { SensitivityOverridesSchema, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { RoleSchema, defaultBoardSettings, type CustomerFacing, type Role } from '../../shared/roles.ts'
import { DEFAULT_TOKEN_TTL_SECONDS, initialGenerations, type RoleGenerations } from './tokens.ts'

/** Access state of one workshop, validated when read back from storage. */
export const WorkshopAccessSchema = lazySchema(() => z.object({
  generations: z.record(RoleSchema, z.number().int().nonnegative()),
  // Stored before the objectives and whitespace boards existed: those count as internal.
  customerFacing: StoredCustomerFacingSchema,
  linkTtlSeconds: z.number().int().positive(),
  // Issue 13: the facilitator's field sensitivities, only those that differ from the defaults.
  sensitivity: SensitivityOverridesSchema.optional(),
  // [S37] bumped by every change of `sensitivity`; absent before the first.
  sensitivityGeneration: z.number().int().nonnegative().optional(),
}))
export type WorkshopAccess = {
  generations: RoleGenerations
  customerFacing: CustomerFacing
  linkTtlSeconds: number
  /** Field sensitivities chosen for this workshop (`shared/sensitivity.ts`); absent: the defaults. */
  sensitivity?: SensitivityOverrides | undefined
  /**
   * docs/server-rules.md [S37]: how many times `sensitivity` was changed (absent: never). A shared
   * document's rows are appended only while it is the one their room judged them by.
   */
  sensitivityGeneration?: number | undefined
}

/** The access state of a new workshop: generation 0 everywhere, default customer-facing boards. */
export function newWorkshopAccess(linkTtlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS): WorkshopAccess {
  return { generations: initialGenerations(), customerFacing: defaultBoardSettings().customerFacing, linkTtlSeconds }
}

/** What the access checks need from storage. */
export interface AccessStore {
  /**
   * The workshop's access state; undefined for an unknown workshop. `settled`: a change of it in
   * flight is waited for and what it committed (or the state before, if it rolled back) is read
   * (docs/server-rules.md [S40]: PostgreSQL takes a share lock on the row; one SQLite connection
   * has nothing in flight).
   */
  getAccess(workshopId: string, options?: { settled?: boolean }): Promise<WorkshopAccess | undefined>
  /** Bumps `role`'s generation (revoking its tokens) and returns the new generations. */
  bumpGeneration(workshopId: string, role: Role): Promise<RoleGenerations>
  /**
   * Sets whether the boards `changes` names are customer-facing, the others as they are (in one
   * step: two facilitators changing two boards both get their change); returns every board's flag.
   */
  setCustomerFacing(workshopId: string, changes: Partial<CustomerFacing>): Promise<CustomerFacing>
  /**
   * Changes the sensitivity of the fields `changes` names, the others as they are, in one step
   * (issue 13; two facilitators changing two fields both get their change); returns the new
   * {@link WorkshopAccess.sensitivityGeneration} and the overrides that hold now. `announce` is called with it once the change is
   * written and before it commits (docs/server-rules.md [S40]: in PostgreSQL under the row's lock,
   * so a {@link getAccess} `settled` read meanwhile waits for the commit); with one SQLite
   * connection (one instance, no Redis) after it.
   */
  setSensitivity(workshopId: string, changes: SensitivityOverrides, announce?: (generation: number) => Promise<void>): Promise<SensitivityChange>
}

/** What {@link WorkshopAccessStore.setSensitivity} made of a change: its generation and the overrides that hold now. */
export type SensitivityChange = { generation: number; sensitivity: SensitivityOverrides }
