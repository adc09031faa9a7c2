/**
 * An in-memory {@link AccessStore} for unit tests of the access checks; the SQLite store is
 * checked against the same behaviour by the integration tests.
 */
import { changedOverrides, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import type { Role, CustomerFacing } from '../../shared/roles.ts'
import type { RoleGenerations } from '../../server/auth/tokens.ts'
import { newWorkshopAccess, type AccessStore, type SensitivityChange, type WorkshopAccess } from '../../server/auth/WorkshopAccess.ts'

export class MemoryAccessStore implements AccessStore {
  readonly workshops = new Map<string, WorkshopAccess>()

  /** Adds a workshop with default access. */
  add(workshopId: string, access: WorkshopAccess = newWorkshopAccess()): WorkshopAccess {
    this.workshops.set(workshopId, structuredClone(access))
    return access
  }

  async getAccess(workshopId: string): Promise<WorkshopAccess | undefined> {
    const access = this.workshops.get(workshopId)
    return access && structuredClone(access)
  }

  async bumpGeneration(workshopId: string, role: Role): Promise<RoleGenerations> {
    const access = this.workshops.get(workshopId)
    if (!access) throw new Error(`no workshop ${workshopId}`)
    access.generations[role] += 1
    return { ...access.generations }
  }

  async setCustomerFacing(workshopId: string, changes: Partial<CustomerFacing>): Promise<CustomerFacing> {
    const access = this.workshops.get(workshopId)
    if (!access) throw new Error(`no workshop ${workshopId}`)
    access.customerFacing = { ...access.customerFacing, ...changes }
    return { ...access.customerFacing }
  }

  async setSensitivity(workshopId: string, changes: SensitivityOverrides): Promise<SensitivityChange> {
    const access = this.workshops.get(workshopId)
    if (!access) throw new Error(`no workshop ${workshopId}`)
    access.sensitivity = changedOverrides(access.sensitivity, changes)
    access.sensitivityGeneration = (access.sensitivityGeneration ?? 0) + 1
    return { generation: access.sensitivityGeneration, sensitivity: { ...access.sensitivity } }
  }
}
