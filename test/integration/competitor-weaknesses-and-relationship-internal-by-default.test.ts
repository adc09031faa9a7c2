/**
 * Issue 13, QA q33b 4: a competitor card's "Weaknesses against us" and "Relationship they hold"
 * are the team's read of the competition, internal by default. On a shared whitespace board a
 * guest's socket never carries them, for a new workshop and for one stored by older code (where
 * they were visible by default and sit in the shared document): that board's first load moves them
 * to the internal part, losing nothing for the team. A snapshot taken while they were visible is
 * still judged by what was internal when it was taken.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { PlanRecordSchema, PlanViewSchema } from '../../shared/plan.ts'
import { DEFAULT_SENSITIVITY } from '../../shared/sensitivity.ts'
import { setSensitivity } from '../helpers/boardPartsOnServer.ts'
import { competitor } from '../helpers/planBoards.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest, storedBoard, teamPage } from '../helpers/teamAndGuest.ts'

const WEAKNESS = 'CANARY-weak-on-cold-chain-7e1'
const RELATIONSHIP = 'CANARY-golf-with-the-coo-4b2'
const card = () => competitor('shape:rival', { x: 0, y: 0 }, { name: 'Rival Freight', strengths: 'Price', weaknesses: WEAKNESS, relationship: RELATIONSHIP })
const json = (value: unknown) => value as JsonObject // test records are JSON

let server: TestServer | undefined
const closers: (() => void)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) close()
  await server?.close()
  server = undefined
})

/** A guest joining the shared whitespace board hears the competitor's name, neither canary. */
async function guestHearsNameOnly(workshop: TestWorkshop): Promise<void> {
  if (!server) throw new Error('no server')
  const guest = await recordingGuest(server, workshop, 'whitespace')
  closers.push(() => guest.ws.close())
  await drained(guest)
  expect(heard(guest)).toContain('Rival Freight')
  expect(heard(guest)).not.toContain(WEAKNESS)
  expect(heard(guest)).not.toContain(RELATIONSHIP)
}

/** A snapshot saved by the facilitator now. */
async function saveSnapshot(workshop: TestWorkshop, label: string) {
  const response = await workshopFetch(`${server?.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

/** A snapshot as the guest reads it: its text, and its competitors. */
async function guestReads(workshop: TestWorkshop, id: string) {
  const response = await fetch(`${server?.url}/api/workshops/${workshop.id}/snapshots/${id}`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
  expect(response.status).toBe(200)
  const text = await response.text()
  return { text, competitors: PlanViewSchema.parse(JSON.parse(text)).competitors ?? [] }
}

test('both are internal by default; the rest of the card stays visible', () => {
  expect([DEFAULT_SENSITIVITY['competitor.weaknesses'], DEFAULT_SENSITIVITY['competitor.relationship']]).toEqual(['internal', 'internal'])
  expect([DEFAULT_SENSITIVITY['competitor.name'], DEFAULT_SENSITIVITY['competitor.position'], DEFAULT_SENSITIVITY['competitor.strengths']]).toEqual(['visible', 'visible', 'visible'])
})

test("a new workshop: the guest's socket carries the competitor's name, not the team's read of it", async () => {
  server = await startServer()
  const workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  await onlyCustomerFacing(server, workshop, 'whitespace')
  const team = await teamPage(server, workshop, 'whitespace', 'Tina')
  closers.push(() => team.destroy())
  await team.change([json(card())])
  await guestHearsNameOnly(workshop)
  const snapshot = await saveSnapshot(workshop, 'New')
  expect(snapshot.competitors.map((c) => [c.name, c.weaknesses, c.relationship])).toEqual([['Rival Freight', WEAKNESS, RELATIONSHIP]])
  const seen = await guestReads(workshop, snapshot.id)
  expect(seen.text).toContain('Rival Freight')
  expect(seen.text).not.toContain(WEAKNESS)
  expect(seen.text).not.toContain(RELATIONSHIP)
})

test('a workshop stored by older code: its first load moves both to the internal part, and its older snapshot is judged as it was taken', async () => {
  server = await startServer()
  const workshop = await server.createWorkshop({ account: 'Acme', title: 'FY27' })
  await onlyCustomerFacing(server, workshop, 'whitespace')
  // Older code: both visible by its defaults, so the values sit in the shared document, and the
  // board is marked balanced for that sensitivity. Loaded once first (the template), then written
  // straight into the stored log.
  await setSensitivity(server, workshop, { 'competitor.weaknesses': 'visible', 'competitor.relationship': 'visible' })
  await server.server.rooms.withRoom(workshop.id, 'whitespace', () => undefined)
  const dataDir = server.dataDir
  await server.stop()
  server = await startServer({ dataDir })
  const name = `${workshop.id}/whitespace`
  const doc = new Y.Doc()
  for (const update of (await server.store.loadDocument(name)).updates) Y.applyUpdate(doc, update)
  const stored = Y.encodeStateVector(doc)
  writeRecordChanges(doc, { put: [json(card())], remove: [] })
  await server.store.appendUpdates([{ docName: name, update: Y.encodeStateAsUpdate(doc, stored) }])
  const before = await saveSnapshot(workshop, 'Before the upgrade')
  expect((await guestReads(workshop, before.id)).competitors.map((c) => c.weaknesses)).toEqual([WEAKNESS])
  // Older code stored no override: both were at its defaults.
  await server.store.setSensitivity(workshop.id, DEFAULT_SENSITIVITY)
  await server.stop()

  server = await startServer({ dataDir })
  await guestHearsNameOnly(workshop)
  // Nothing lost: the board as stored holds both, in its internal part.
  const rival = (await storedBoard(server, workshop, 'whitespace')).get('shape:rival')?.props as JsonObject | undefined // a competitor card
  expect([rival?.weaknesses, rival?.relationship]).toEqual([WEAKNESS, RELATIONSHIP])
  const after = await saveSnapshot(workshop, 'After the upgrade')
  expect(after.competitors.map((c) => [c.weaknesses, c.relationship])).toEqual([[WEAKNESS, RELATIONSHIP]])
  expect((await guestReads(workshop, after.id)).text).not.toContain(WEAKNESS)
  // The older snapshot: both were visible when it was taken.
  expect((await guestReads(workshop, before.id)).competitors.map((c) => [c.weaknesses, c.relationship])).toEqual([[WEAKNESS, RELATIONSHIP]])
})
