/**
 * Issue 13 test helpers: a team member's page on both documents of a board (written through the
 * page's own routing), a guest that records every byte it receives, and a board as its stored rows
 * hold it, both documents merged.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import type { BoardId } from '../../shared/boards.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { ChangeListSchema, type ChangeList } from '../../shared/historyApi.ts'
import type { Role } from '../../shared/roles.ts'
import { CLOSE_CODES, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { mergeParts, resolveSensitivity } from '../../shared/sensitivity.ts'
import { serverHasAll } from './boardClients.ts'
import { connectSynced, rawClient, syncFrame, waitFor, type RawClient } from './clients.ts'
import { startServer, type TestServer, type TestWorkshop } from './startServer.ts'

/** Makes only `board` customer-facing. */
export async function onlyCustomerFacing(server: Pick<TestServer, 'url'>, workshop: TestWorkshop, board: BoardId): Promise<void> {
  const customerFacing = { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false, [board]: true }
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing }),
  })
  expect(response.status).toBe(200)
}

/**
 * A raw guest socket on `board` that asked for the whole board and records every frame; it is in
 * the room once the server's step 1 came. An access change heard by the server while it checked
 * the socket closes it with 1013 ("access changed, reconnect", as a page's provider would): such
 * as the event of a settings change just made on another instance. It connects again then.
 */
export async function recordingGuest(server: Pick<TestServer, 'syncUrl'>, workshop: TestWorkshop, board: BoardId): Promise<RawClient> {
  for (let attempt = 1; ; attempt++) {
    const guest = rawClient(`${server.syncUrl}/${workshop.id}/${board}?token=${workshop.tokens.guest}&user=user:guest-raw`)
    await guest.opened
    guest.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
    let closed: { code: number } | undefined
    void guest.closed.then((event) => (closed = event))
    await waitFor(() => guest.received.length > 0 || closed !== undefined, 'the server\'s step 1 or a close', 30_000)
    if (guest.received.length > 0 || closed?.code !== CLOSE_CODES.tryAgainLater || attempt === 5) return guest
  }
}

/** Everything a raw client received, as one string (Yjs writes strings as UTF-8). */
export const heard = (client: RawClient) => Buffer.concat(client.received.map((frame) => Buffer.from(frame))).toString('latin1')

/** A team member's page: both documents with the team token, named in presence, written by route. */
export async function teamPage(server: TestServer, workshop: TestWorkshop, board: BoardId, name: string) {
  const params = { token: workshop.tokens.team, user: `user:${name.toLowerCase()}` }
  const room = `${workshop.id}/${board}`
  const shared = await connectSynced(server.syncUrl, room, { params })
  const internal = await connectSynced(server.syncUrl, `${room}/internal`, { params })
  shared.provider.awareness.setLocalStateField('presence', { userName: name })
  const source = mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined))
  return {
    /** Writes like the page and waits until the server has both documents' updates. */
    async change(put: JsonObject[], remove: string[] = []): Promise<void> {
      source.write({ put, remove }, undefined)
      await serverHasAll(server, `${room}/internal`, internal.doc)
      await serverHasAll(server, room, shared.doc)
    },
    records: () => source.readAll(),
    destroy() {
      internal.destroy()
      shared.destroy()
    },
  }
}

/** The board as its stored rows hold it, both documents merged, as a page loading it would see it. */
export async function storedBoard(server: TestServer, workshop: TestWorkshop, board: BoardId): Promise<Map<string, JsonObject>> {
  const load = async (name: string) => {
    const doc = new Y.Doc()
    for (const update of (await server.store.loadDocument(name)).updates) Y.applyUpdate(doc, update)
    return doc
  }
  const shared = await load(`${workshop.id}/${board}`)
  const internal = await load(`${workshop.id}/${board}/internal`)
  return mergeParts(readRecords(shared), readRecords(internal), readOverlays(internal), resolveSensitivity(undefined))
}

/**
 * A server whose changes close only when a list is read ([H5]), never by timing, with a workshop
 * whose `board` alone is customer-facing and a recording guest on it.
 */
export async function serverWithGuest(board: BoardId): Promise<{ server: TestServer; workshop: TestWorkshop; guest: RawClient }> {
  const server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, board)
  return { server, workshop, guest: await recordingGuest(server, workshop, board) }
}

/** `GET …/boards/:board/changes` as `role`: the body's text (to look for leaks) and its parsed list. */
export async function readHistory(server: TestServer, workshop: TestWorkshop, board: BoardId, role: Role, query = ''): Promise<{ text: string; list: ChangeList }> {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/boards/${board}/changes${query}`, { headers: { authorization: `Bearer ${workshop.tokens[role]}` } })
  expect(response.status).toBe(200)
  const text = await response.text()
  return { text, list: ChangeListSchema.parse(JSON.parse(text)) }
}

/** Resolves once `guest` has received everything its server sent it before this call (a step 1 answered on the same socket). */
export async function drained(guest: RawClient): Promise<void> {
  const before = guest.received.length
  guest.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
  const isStep2 = (frame: Uint8Array) => frame[0] === 0 && frame[1] === SYNC_MESSAGE_TYPE.step2
  await waitFor(() => guest.received.slice(before).some(isStep2), 'the guest to receive the answer to its step 1', 30_000)
}
