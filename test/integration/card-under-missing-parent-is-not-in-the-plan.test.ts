/**
 * [P1] [R10] A card whose parent does not exist is shown by no page, so it is not on the board: the
 * plan, snapshots and exports leave it out (QA q33a finding 4: a guest's stakeholder card under
 * "shape:nowhere" was listed in the team's snapshot, health and CSVs, while nobody could see,
 * select or delete it on the board). The server accepts the write ([R10]: such a parent may be in
 * the board's other document, or arrive later); the card joins the plan once its parent is there.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { creatorStamp } from '../../shared/recordRights.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { frame, stakeholder } from '../helpers/planBoards.ts'
import { startServer, takeSnapshot, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

let server: TestServer
let workshop: TestWorkshop
beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
})
afterAll(() => server.close())

const GUEST_KEY = 'guest-key-of-eve-000000002'
const stamp = { keyplanCreator: creatorStamp({ role: 'guest', userId: 'user:eve', keyId: participantKeyId(GUEST_KEY) }) } as unknown as JsonObject // a stamp is JSON

test('a guest card under a parent that does not exist is in no snapshot or export, and joins once the parent exists', async () => {
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:eve', key: GUEST_KEY }, shouldReconnect: () => false })
  const ghost = stakeholder('shape:ghost', { x: 0, y: 0, parentId: 'shape:nowhere', meta: stamp }, { name: 'GHOST Greta', jobTitle: 'Chief Procurement Officer' }) as unknown as JsonObject // records are JSON
  const seen = stakeholder('shape:seen', { x: 400, y: 0, meta: stamp }, { name: 'Sam Seen' }) as unknown as JsonObject
  writeRecordChanges(guest.doc, { put: [ghost, seen], remove: [] })
  const room = () => server.server.rooms.get(`${workshop.id}/stakeholders`)
  await waitFor(() => room() !== undefined && readRecords(room()!.doc).has('shape:ghost') && readRecords(room()!.doc).has('shape:seen'), 'the cards to be stored') // room() checked just before
  expect(guest.provider.wsconnected).toBe(true)

  const plan = await takeSnapshot(server, workshop.id)
  expect(plan.stakeholders?.map((s) => s.name)).toEqual(['Sam Seen'])
  expect(plan.warnings.find((w) => w.shapeId === 'shape:ghost')?.message).toMatch(/^Not on the board/)
  const csv = await (await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}/stakeholders.csv`)).text()
  expect(csv).toContain('Sam Seen')
  expect(csv).not.toContain('GHOST Greta')

  // The parent arrives (a frame with that id): the card is on the board, and in the plan.
  writeRecordChanges(guest.doc, { put: [{ ...(frame('shape:nowhere', { x: 0, y: 0, parentId: BOARD_PAGE_ID, meta: stamp }, 800, 600, 'Buying centre') as unknown as JsonObject) }], remove: [] })
  await waitFor(() => readRecords(room()!.doc).has('shape:nowhere'), 'the frame to be stored') // loaded above
  const later = await takeSnapshot(server, workshop.id)
  expect(later.stakeholders?.map((s) => s.name).sort()).toEqual(['GHOST Greta', 'Sam Seen'])
  guest.destroy()
})
