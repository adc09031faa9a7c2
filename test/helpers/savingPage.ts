/**
 * [S42] A facilitator's page on one board, as `client/board/useBoardSync.ts` holds it: the board's
 * shared and internal documents over real y-websocket providers, writes routed between them by the
 * page's own code, and tracked for "Save snapshot" by the page's own `seenVersions.ts`. Its
 * providers can be taken offline to hold its edits back.
 *
 * @example
 * ```ts
 * const page = await openPage(server.syncUrl, workshop.id, 'actions')
 * page.offline(true); page.write([], ['shape:a2'])
 * const saving = post({ seen: seenVersions(workshop.id) })
 * ```
 */
import type { JsonObject } from '@tldraw/utils'
import type { BoardId } from '../../shared/boards.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { trackSeen } from '../../client/board/seenVersions.ts'
import { connectSynced } from './clients.ts'

export type SavingPage = {
  write(put: readonly JsonObject[], remove?: readonly string[]): void
  records(): Map<string, JsonObject>
  /** Holds back (or lets through) everything the page writes. */
  offline(off: boolean): void
  close(): void
}

export async function openPage(syncUrl: string, workshopId: string, board: BoardId): Promise<SavingPage> {
  const room = `${workshopId}/${board}`
  const shared = await connectSynced(syncUrl, room)
  const internal = await connectSynced(syncUrl, `${room}/internal`)
  const source = mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined))
  const stops = [trackSeen(workshopId, board, 'shared', shared.doc), trackSeen(workshopId, board, 'internal', internal.doc)]
  return {
    write: (put, remove = []) => source.write({ put: [...put], remove: [...remove] }, undefined),
    records: () => source.readAll(),
    offline(off) {
      for (const client of [shared, internal]) {
        if (off) client.provider.disconnect()
        else client.provider.connect()
      }
    },
    close() {
      for (const stop of stops) stop({ keep: false })
      internal.destroy()
      shared.destroy()
    },
  }
}

/** Whether `promise` is still pending after `ms` (the server is waiting, not done). */
export async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol('pending')
  return (await Promise.race([promise.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve(pending), ms))])) === pending
}
