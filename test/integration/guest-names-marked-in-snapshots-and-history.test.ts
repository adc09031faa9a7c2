/**
 * [A44] QA q33a 6: a guest's name is whatever they typed, so a guest who called themselves "Fiona
 * Facilitator" was listed in the snapshot's participants, and named in the board's history, as if
 * the facilitator had been there and made the change. The server stamps every awareness state a
 * guest's connection publishes; a snapshot's participants and the history name a guest as
 * "Fiona Facilitator (guest)", whatever the guest's state says of itself. Across instances, see
 * guest-name-marked-across-instances.test.ts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { JsonObject } from '@tldraw/utils'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { CREATOR_META_KEY, creatorStamp } from '../../shared/recordRights.ts'
import { SWOT_FRAMES } from '../../shared/templates.ts'
import { participantNames } from '../../server/snapshot/participants.ts'
import { openBoard, serverHasAll, type BoardClient } from '../helpers/boardClients.ts'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { note } from '../helpers/planBoards.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { startServer, takeSnapshot, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing, readHistory } from '../helpers/teamAndGuest.ts'

let server: TestServer
let workshop: TestWorkshop
let tina: BoardClient
let guest: TestClient

beforeAll(async () => {
  // Changes close when the list is read ([H5]), never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
  workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  await onlyCustomerFacing(server, workshop, 'swot')
  tina = await openBoard(server, workshop.id, 'swot', 'Tina Team')
  guest = await connectSynced(server.syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.guest, user: 'user:fiona' } })
  // The guest's own claim not to be one is overwritten.
  guest.provider.awareness.setLocalState({ presence: { userId: 'user:fiona', userName: 'Fiona Facilitator' }, keyplanGuest: false })
  await waitFor(() => {
    const room = server.server.rooms.get(`${workshop.id}/swot`)
    return room !== undefined && participantNames(room.awareness).length === 2
  }, 'the server to hear both names')
})

afterAll(async () => {
  guest?.destroy()
  tina?.destroy()
  await server?.close()
})

test("a snapshot lists the guest's name as a guest's, the team member's as it is", async () => {
  expect([...(await takeSnapshot(server, workshop.id)).participants].sort()).toEqual(['Fiona Facilitator (guest)', 'Tina Team'])
})

test("the board's history names the guest's change as a guest's", async () => {
  // [R5] a guest stamps what it creates with its own user id.
  const { x, y } = SWOT_FRAMES.strengths.bounds
  const mine = note('shape:from-fiona', { x: x + 100, y: y + 100, meta: { [CREATOR_META_KEY]: creatorStamp({ role: 'guest', userId: 'user:fiona' }) } }, 'Fast onboarding')
  writeRecordChanges(guest.doc, { put: [mine as unknown as JsonObject], remove: [] }) // a tldraw record is JSON
  await serverHasAll(server, `${workshop.id}/swot`, guest.doc)
  await tina.write([noteIn('strengths', 'shape:from-tina', 'Strong brand')])
  const { list } = await readHistory(server, workshop, 'swot', 'facilitator')
  const names = list.changes.map((change) => [change.name, change.role])
  expect(names).toContainEqual(['Fiona Facilitator (guest)', 'guest'])
  expect(names).toContainEqual(['Tina Team', 'team'])
  expect(names.map(([name]) => name)).not.toContain('Fiona Facilitator')
})
