/**
 * A team member moves a guest's card into the internal document and back (docs/security.md [A35],
 * docs/server-rules.md [R5]): the record keeps its creator, the move is accepted (no 4422 on either
 * socket), and the card is never gone from both documents. The page writes only the destination;
 * the server removes the source copy once the destination is durable. A genuinely new record
 * stamped with the guest's creator is still refused.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { hasRecord, readRecord, writeRecordChanges } from '../../shared/docLayout.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { CREATOR_META_KEY, creatorStamp, type BoardEditor } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY, resolveSensitivity } from '../../shared/sensitivity.ts'
import { holdsVersion } from '../../server/snapshot/seenVersions.ts'
import { serverHasAll } from '../helpers/boardClients.ts'
import { stakeholderDocs } from '../helpers/boardPartsOnServer.ts'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing, storedBoard } from '../helpers/teamAndGuest.ts'

const CARLA_KEY = 'carla-browser-secret-0123456789'
const carla: BoardEditor = { role: 'guest', userId: 'user:carla', keyId: participantKeyId(CARLA_KEY) }
const CARD = 'shape:gus'

let server: TestServer
let workshop: TestWorkshop
let guest: TestClient
let team: { shared: TestClient; internal: TestClient; closes: { code: number; reason: string }[]; source: ReturnType<typeof mergedPartsSource> }
let room: string

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  room = `${workshop.id}/stakeholders`
  guest = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.guest, user: carla.userId, key: CARLA_KEY }, shouldReconnect: () => false })
  const params = { token: workshop.tokens.team, user: 'user:tina', key: 'tina-browser-secret-0123456789' }
  const shared = await connectSynced(server.syncUrl, room, { params, shouldReconnect: () => false })
  const internal = await connectSynced(server.syncUrl, `${room}/internal`, { params, shouldReconnect: () => false })
  const closes: { code: number; reason: string }[] = []
  for (const client of [shared, internal]) client.provider.on('connection-close', (event) => closes.push({ code: event?.code ?? -1, reason: event?.reason ?? '' }))
  team = { shared, internal, closes, source: mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined)) }
})
afterAll(async () => {
  for (const client of [guest, team.shared, team.internal]) client.destroy()
  await server.close()
})

const guestCard = (): JsonObject => {
  const card = stakeholder(CARD, { x: 40, y: 40 }, { name: 'Gus Guestmade' }) as unknown as JsonObject // test records are JSON
  return { ...card, meta: { [CREATOR_META_KEY]: creatorStamp(carla) } }
}
const creatorIn = (doc: Y.Doc, id = CARD) => (readRecord(doc, id).record?.meta as JsonObject | undefined)?.[CREATOR_META_KEY]
const markedInternal = (internal: boolean): JsonObject => {
  const card = team.source.readAll().get(CARD)
  if (!card) throw new Error('the team does not see the card')
  return { ...card, meta: { ...(card.meta as JsonObject), [INTERNAL_META_KEY]: internal } }
}

test("a team member marks a guest's card internal and visible again: accepted, creator kept, never lost [A35] [R5]", async () => {
  writeRecordChanges(guest.doc, { put: [guestCard()], remove: [] })
  await waitFor(() => team.source.readAll().has(CARD), 'the team to see the guest card')

  // Alt+I: the page writes the card, marked, through its routing.
  team.source.write({ put: [markedInternal(true)], remove: [] }, undefined)
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => hasRecord(docs().internal, CARD) && !hasRecord(docs().shared, CARD), 'the card to move into the internal document', 10_000)
  expect(team.closes).toEqual([])
  expect(creatorIn(docs().internal)).toEqual(creatorStamp(carla))
  await waitFor(() => !hasRecord(guest.doc, CARD), 'the card to leave the guest')
  expect(guest.provider.wsconnected).toBe(true)
  await server.server.rooms.get(room)?.whenDurable()
  await server.server.rooms.get(`${room}/internal`)?.whenDurable()
  const stored = (await storedBoard(server, workshop, 'stakeholders')).get(CARD)
  expect(stored?.meta).toMatchObject({ [INTERNAL_META_KEY]: true, [CREATOR_META_KEY]: creatorStamp(carla) })

  // Alt+I again: back to the shared document, still Carla's, and hers to delete.
  team.source.write({ put: [markedInternal(false)], remove: [] }, undefined)
  await waitFor(() => hasRecord(docs().shared, CARD) && !hasRecord(docs().internal, CARD), 'the card to move back into the shared document', 10_000)
  expect(team.closes).toEqual([])
  expect(creatorIn(docs().shared)).toEqual(creatorStamp(carla))
  await waitFor(() => hasRecord(guest.doc, CARD), 'the card to come back to the guest')
  // Once the guest holds all the server holds (the page's write and the server's move may both
  // carry the card, concurrently: a delete must follow both).
  await server.server.rooms.get(room)?.whenDurable()
  await waitFor(() => holdsVersion(guest.doc, Y.snapshot(docs().shared)), 'the guest to catch up')
  writeRecordChanges(guest.doc, { put: [], remove: [CARD] })
  await waitFor(() => !hasRecord(team.shared.doc, CARD), 'the guest to delete her card')
  expect(guest.provider.wsconnected).toBe(true)
})

test('a move whose internal half has not reached the server leaves the shared copy in place: nothing is in neither document [A35]', async () => {
  writeRecordChanges(guest.doc, { put: [{ ...guestCard(), id: 'shape:gwen' }], remove: [] })
  await waitFor(() => team.source.readAll().has('shape:gwen'), 'the team to see the second guest card')
  const docs = () => stakeholderDocs(server, workshop)
  // The internal socket is down (a refused or late write looks the same to the shared document).
  team.internal.provider.disconnect()
  const card = team.source.readAll().get('shape:gwen') as JsonObject // seen just above
  team.source.write({ put: [{ ...card, meta: { ...(card.meta as JsonObject), [INTERNAL_META_KEY]: true } }], remove: [] }, undefined)
  await serverHasAll(server, room, team.shared.doc)
  await server.server.rooms.get(room)?.whenDurable()
  expect(hasRecord(docs().shared, 'shape:gwen')).toBe(true)
  expect(hasRecord(guest.doc, 'shape:gwen')).toBe(true)
  // Back online: the internal copy arrives, and only then does the shared copy go.
  team.internal.provider.connect()
  await waitFor(() => hasRecord(docs().internal, 'shape:gwen') && !hasRecord(docs().shared, 'shape:gwen'), 'the card to move once its internal half arrives', 10_000)
  expect(creatorIn(docs().internal, 'shape:gwen')).toEqual(creatorStamp(carla))
})

// Last: the refusal closes the team's internal socket.
test("a new internal record stamped with a guest's creator is still refused [R5]", async () => {
  const forged = { ...guestCard(), id: 'shape:forged', meta: { [CREATOR_META_KEY]: creatorStamp(carla), [INTERNAL_META_KEY]: true } }
  const before = team.closes.length
  writeRecordChanges(team.internal.doc, { put: [forged], remove: [] })
  await waitFor(() => team.closes.length > before, 'the internal socket to be closed')
  expect(team.closes[before]).toMatchObject({ code: CLOSE_CODES.updateRefused })
  expect(team.closes[before]?.reason).toContain('names another creator')
  expect(hasRecord(stakeholderDocs(server, workshop).internal, 'shape:forged')).toBe(false)
})
