/**
 * Real `y-websocket` clients on a workshop's boards that write tldraw records the way the browser
 * binding does (`shared/docLayout.ts`), for snapshot and restore tests against the real server.
 *
 * @example
 * ```ts
 * const swot = await openBoard(server, workshop.id, 'swot', 'Ada')
 * await swot.write([note('shape:n1', { x: 100, y: 100 }, 'Strong brand')])
 * ```
 */
import type { TLRecord } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { holdsVersion } from '../../server/snapshot/seenVersions.ts'
import { connectSynced, waitFor, type TestClient } from './clients.ts'
import type { TestServer } from './startServer.ts'

export type BoardClient = TestClient & {
  room: string
  /** Puts records (whole, as the binding does) and waits until the server's room has them. */
  write(records: readonly (TLRecord | JsonObject)[]): Promise<void>
  /** Removes records and waits until the server's room has seen it. */
  remove(ids: readonly string[]): Promise<void>
  /** The records this client sees. */
  records(): Map<string, JsonObject>
}

/**
 * Connects a provider to `<workshopId>/<board>`, seeds the board's template like the browser
 * does on first open, and publishes `userName` as tldraw presence (awareness field `presence`).
 * Connects with the team token unless `params` says otherwise (e.g. a facilitator's token).
 */
export async function openBoard(server: TestServer, workshopId: string, board: BoardId, userName?: string, params?: Record<string, string>): Promise<BoardClient> {
  const room = `${workshopId}/${board}`
  const client = await connectSynced(server.syncUrl, room, params ? { params } : {})
  // Issue 13: the team's internal document too, written by the page's own routing.
  const internal = await connectSynced(server.syncUrl, `${room}/internal`, params ? { params } : {})
  const source = mergedPartsSource(client.doc, internal.doc, () => resolveSensitivity(undefined))
  if (userName) client.provider.awareness.setLocalStateField('presence', { userId: `user:${userName.toLowerCase()}`, userName })
  // The same bytes whoever seeds: a no-op when the board was seeded before.
  Y.applyUpdate(client.doc, createSeededBoardUpdate(board))
  await serverHasAll(server, room, client.doc)
  const change = async (put: readonly (TLRecord | JsonObject)[], remove: readonly string[]) => {
    source.write({ put: put.map((record) => record as unknown as JsonObject), remove: [...remove] }, undefined) // tldraw records are JSON
    await serverHasAll(server, `${room}/internal`, internal.doc)
    await serverHasAll(server, room, client.doc)
  }
  return {
    ...client,
    destroy: () => {
      internal.destroy()
      client.destroy()
    },
    room,
    write: (records) => change(records, []),
    remove: (ids) => change([], ids),
    records: () => source.readAll(),
  }
}

/** Waits until the server's loaded room holds everything `doc` holds (inserts and deletes). */
export async function serverHasAll(server: TestServer, room: string, doc: Y.Doc): Promise<void> {
  const wanted = Y.snapshot(doc)
  await waitFor(() => {
    const live = server.server.rooms.get(room)
    if (!live) return false
    return holdsVersion(live.doc, wanted)
  }, `server room ${room} to catch up`)
}
