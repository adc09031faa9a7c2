/**
 * Permanently deleting a workshop (issue 12, facilitator, `DELETE /api/workshops/:id`): new sync
 * connections to it are refused, open ones are closed with `4404` (`unknownWorkshop`, "workshop
 * deleted"; the provider does not reconnect), its rooms are left to unload (their last changes are
 * stored and compacted first, so nothing writes afterwards), its snapshot bookkeeping is dropped,
 * and then the store removes every row of it in one transaction.
 *
 * @example
 * ```ts
 * const removal = new WorkshopRemoval({ store, rooms, sessions, snapshots, log })
 * if (removal.isRemoving(workshopId)) refuse()
 * await removal.remove(workshopId) // true when it existed
 * ```
 */
import { internalRoomName } from '../../shared/sensitivity.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import { CLOSE_CODES, syncRoomName } from '../../shared/protocol.ts'
import type { SessionRegistry } from '../auth/SessionRegistry.ts'
import type { Logger } from '../log.ts'
import type { SnapshotService } from '../snapshot/SnapshotService.ts'
import type { Store } from '../store/Store.ts'
import type { RoomManager } from '../sync/RoomManager.ts'

export type WorkshopRemovalDeps = {
  store: Store
  rooms: RoomManager
  sessions: SessionRegistry
  snapshots: SnapshotService
  log: Logger
  /** Told once this instance's sessions of the workshop are closed, for the other instances ([A24]). */
  onRemoving?: (workshopId: string) => void
  /** Told once the store removed the workshop, to drop what is kept of it elsewhere (Redis, [S39]); must not throw. */
  onRemoved?: (workshopId: string) => Promise<void>
  /** How long to wait for the workshop's rooms to unload before deleting anyway. */
  unloadTimeoutMs?: number
}

/** Poll interval while waiting for rooms to unload: RoomManager has no unload event. */
const POLL_MS = 20

export class WorkshopRemoval {
  private readonly deps: WorkshopRemovalDeps
  private readonly removing = new Set<string>()

  constructor(deps: WorkshopRemovalDeps) {
    this.deps = deps
  }

  /** True while `workshopId` is being deleted: sync connections to it are refused. */
  isRemoving(workshopId: string): boolean {
    return this.removing.has(workshopId)
  }

  /** Deletes the workshop and everything stored of it; false when there was no such workshop. */
  async remove(workshopId: string): Promise<boolean> {
    const { store, rooms, sessions, snapshots, log } = this.deps
    if (!(await store.getWorkshop(workshopId))) return false
    this.removing.add(workshopId)
    try {
      // Bumped first: a connection being admitted right now is sent away and, reconnecting, refused.
      sessions.bump(workshopId)
      const closed = sessions.closeWhere(workshopId, () => true, CLOSE_CODES.unknownWorkshop, 'workshop deleted')
      this.deps.onRemoving?.(workshopId)
      await this.roomsUnloaded(workshopId)
      await snapshots.forget(workshopId)
      const removed = await store.deleteWorkshop(workshopId)
      // [S39] after the rows are gone, not before: until then a change of its sensitivity could
      // still be stored and raise the key again, and a row published meanwhile would lose the
      // generation the key told. See BoardFanout.forgetGeneration.
      await this.deps.onRemoved?.(workshopId)
      log.info('workshop.deleted', { workshop: workshopId, closed })
      return removed
    } finally {
      this.removing.delete(workshopId)
    }
  }

  /** Waits until no room of the workshop is loaded, so no compaction or snapshot writes after the delete. */
  private async roomsUnloaded(workshopId: string): Promise<void> {
    const { rooms, log } = this.deps
    // Issue 13: each board's internal document too.
    const names = BOARD_IDS.flatMap((board) => [syncRoomName(workshopId, board), internalRoomName(workshopId, board)])
    const deadline = Date.now() + (this.deps.unloadTimeoutMs ?? 60_000)
    while (names.some((name) => rooms.names().includes(name))) {
      // Each round: the closed connections' rooms turn idle as their sockets close.
      rooms.unloadIdleNow(workshopId)
      if (Date.now() > deadline) {
        log.warn('workshop.delete_rooms_still_loaded', { workshop: workshopId })
        return
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }
}
