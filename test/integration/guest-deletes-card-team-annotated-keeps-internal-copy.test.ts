/**
 * docs/security.md [A40], docs/server-rules.md [S43]: a guest deletes its own card after the team
 * wrote internal values on it. The server keeps the card, with those values, as an internal item
 * of the internal document (marked, creator kept), stored in the commit that stores the delete;
 * the guest's socket never carries them; a restart finds the copy. The guest's undo (its page
 * re-creates the card) is accepted and merges the copy back: the team sees one card, its notes
 * back as overlay entries. A card without internal values is deleted as before.
 */
import type { JsonObject } from '@tldraw/utils'
import type WebSocket from 'ws'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { hasRecord, readOverlays, readRecord, writeRecordChanges } from '../../shared/docLayout.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CREATOR_META_KEY, creatorStamp, type BoardEditor } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY, KEPT_FROM_GUEST_META_KEY } from '../../shared/sensitivity.ts'
import { serverHasAll } from '../helpers/boardClients.ts'
import { stakeholderDocs } from '../helpers/boardPartsOnServer.ts'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { describeChange } from '../../client/history/describeChange.ts'
import { drained, heard, onlyCustomerFacing, readHistory, recordingGuest, storedBoard, teamPage } from '../helpers/teamAndGuest.ts'

const CARLA_KEY = 'carla-browser-secret-0123456789'
const carla: BoardEditor = { role: 'guest', userId: 'user:carla', keyId: participantKeyId(CARLA_KEY) }
const CARD = 'shape:jan'
const CANARY = 'CANARY-jan-internal-notes-7731'

let server: TestServer
let workshop: TestWorkshop
let room: string

/** Carla's page on the shared document, recording every frame its socket receives. */
async function carlaPage(): Promise<{ client: TestClient; frames: Buffer[]; closes: number[] }> {
  const client = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.guest, user: carla.userId, key: CARLA_KEY }, shouldReconnect: () => false })
  const frames: Buffer[] = []
  const closes: number[] = []
  // The provider's socket is a `ws` WebSocket (the polyfill of connectClient).
  ;(client.provider.ws as unknown as WebSocket).on('message', (data: Buffer) => frames.push(Buffer.from(data)))
  client.provider.on('connection-close', (event) => closes.push(event?.code ?? -1))
  return { client, frames, closes }
}

const carlasCard = (id = CARD): JsonObject => {
  const card = stakeholder(id, { x: 40, y: 40 }, { name: 'Jan Own' }) as unknown as JsonObject // test records are JSON
  return { ...card, meta: { [CREATOR_META_KEY]: creatorStamp(carla) } }
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  room = `${workshop.id}/stakeholders`
})
afterAll(async () => {
  await server.close()
})

test("a guest's delete of a card the team annotated leaves the team an internal copy with its values; the guest never hears them; it survives a restart [A40] [S43]", async () => {
  const carlaOnPage = await carlaPage()
  const bystander = await recordingGuest(server, workshop, 'stakeholders')
  const team = await teamPage(server, workshop, 'stakeholders', 'Tina')
  writeRecordChanges(carlaOnPage.client.doc, { put: [carlasCard(), carlasCard('shape:plain')], remove: [] })
  await waitFor(() => team.records().has(CARD) && team.records().has('shape:plain'), 'the team to see the guest cards')
  const seen = team.records().get(CARD) as JsonObject // waited for just above
  await team.change([{ ...seen, props: { ...(seen.props as JsonObject), notes: CANARY, attitude: 'blocker' } }])

  await readHistory(server, workshop, 'stakeholders', 'team') // [H5] closes the changes so far: the delete is a change of its own
  writeRecordChanges(carlaOnPage.client.doc, { put: [], remove: [CARD, 'shape:plain'] })
  await serverHasAll(server, room, carlaOnPage.client.doc)
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => !hasRecord(docs().shared, CARD), 'the delete to be applied')
  // Stored with the delete: the internal document holds the card whole, with the team's values.
  const copy = readRecord(docs().internal, CARD).record
  expect(copy?.props).toMatchObject({ name: 'Jan Own', notes: CANARY, attitude: 'blocker' })
  expect(copy?.meta).toMatchObject({ [INTERNAL_META_KEY]: true, [CREATOR_META_KEY]: creatorStamp(carla), [KEPT_FROM_GUEST_META_KEY]: { by: carla.userId } })
  // A card with nothing internal on it is simply gone.
  expect(hasRecord(docs().internal, 'shape:plain')).toBe(false)
  expect(readOverlays(docs().internal).has('shape:plain')).toBe(false)
  // The team's page still shows the card (now internal) with its notes.
  await waitFor(() => (team.records().get(CARD)?.meta as JsonObject | undefined)?.[INTERNAL_META_KEY] === true, "the team's page to hold the internal copy")
  expect(team.records().get(CARD)?.props).toMatchObject({ notes: CANARY, attitude: 'blocker' })
  expect(team.records().has('shape:plain')).toBe(false)

  // Neither the deleting guest nor another guest ever received the values or the copy.
  await drained(bystander)
  expect(heard(bystander)).not.toContain(CANARY)
  expect(heard(bystander)).not.toContain(KEPT_FROM_GUEST_META_KEY)
  expect(Buffer.concat(carlaOnPage.frames).toString('latin1')).not.toContain(CANARY)
  expect(hasRecord(carlaOnPage.client.doc, CARD)).toBe(false)
  expect(carlaOnPage.closes).toEqual([])
  // Nor does a guest's history of the board ([A36]); the team's lists the delete.
  expect((await readHistory(server, workshop, 'stakeholders', 'guest')).text).not.toContain(CANARY)
  // The team's history lists the delete as the guest's (QA: it was missing, the copy having been
  // recorded as nobody's change first): the card as it was, then the copy, an internal item.
  const teamHistory = (await readHistory(server, workshop, 'stakeholders', 'team')).list.changes
  const deleteChange = teamHistory.find((change) => change.records.some((r) => r.id === 'shape:plain' && r.after === null))
  expect(deleteChange?.role).toBe('guest')
  const keptRecord = deleteChange?.records.find((r) => r.id === CARD)
  expect(keptRecord?.internal?.item).toBe(true)
  expect(keptRecord?.before?.meta).not.toHaveProperty(KEPT_FROM_GUEST_META_KEY)
  expect(keptRecord?.after?.meta).toHaveProperty(KEPT_FROM_GUEST_META_KEY)
  if (deleteChange) expect(describeChange(deleteChange)).toBe("deleted 2 stakeholder cards 'Jan Own', 'Jan Own' (1 kept for the team as internal: it holds the team's notes)")

  // A restart: the copy is in the stored rows.
  for (const client of [carlaOnPage.client, team]) client.destroy()
  bystander.ws.close()
  await server.stop()
  server = await startServer({ dataDir: server.dataDir })
  const stored = (await storedBoard(server, workshop, 'stakeholders')).get(CARD)
  expect(stored?.props).toMatchObject({ notes: CANARY, attitude: 'blocker' })
  expect(stored?.meta).toMatchObject({ [INTERNAL_META_KEY]: true, [CREATOR_META_KEY]: creatorStamp(carla) })
})

test("the guest's undo re-creates its card: accepted, the internal copy merged back, one card for the team with its notes [A40]", async () => {
  const carlaOnPage = await carlaPage()
  const team = await teamPage(server, workshop, 'stakeholders', 'Tina')
  await waitFor(() => team.records().has(CARD), 'the team to see the kept copy')
  expect(hasRecord(carlaOnPage.client.doc, CARD)).toBe(false)

  // Undo: the guest's page writes the card as it was before its delete (internal fields at their defaults).
  writeRecordChanges(carlaOnPage.client.doc, { put: [carlasCard()], remove: [] })
  await serverHasAll(server, room, carlaOnPage.client.doc)
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => hasRecord(docs().shared, CARD) && !hasRecord(docs().internal, CARD), 'the copy to be merged back', 10_000)
  expect(carlaOnPage.closes).toEqual([])
  expect(carlaOnPage.client.provider.wsconnected).toBe(true)
  expect(readOverlays(docs().internal).get(CARD)?.get('props.notes')).toBe(CANARY)
  // A guest's card holds null (not assessed) where the team's holds the stand-in: neither tells anything.
  expect(readRecord(docs().shared, CARD).record?.props).toMatchObject({ notes: '', attitude: null })
  await waitFor(() => {
    const card = team.records().get(CARD)
    return card !== undefined && (card.meta as JsonObject)[INTERNAL_META_KEY] === undefined && (card.props as JsonObject).notes === CANARY
  }, 'the team to see one visible card with its notes')
  expect(Buffer.concat(carlaOnPage.frames).toString('latin1')).not.toContain(CANARY)
  const stored = await storedBoard(server, workshop, 'stakeholders')
  expect(stored.get(CARD)?.props).toMatchObject({ notes: CANARY, attitude: 'blocker' })
  expect((stored.get(CARD)?.meta as JsonObject)[INTERNAL_META_KEY]).toBeUndefined()
  carlaOnPage.client.destroy()
  team.destroy()
})

test('another guest may not re-create the kept copy: it is an internal item to it [A33] [A40]', async () => {
  const carlaOnPage = await carlaPage()
  const team = await teamPage(server, workshop, 'stakeholders', 'Tina')
  await waitFor(() => team.records().has(CARD), 'the team to see the card')
  await waitFor(() => hasRecord(carlaOnPage.client.doc, CARD), 'Carla to see her card')
  writeRecordChanges(carlaOnPage.client.doc, { put: [], remove: [CARD] })
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => hasRecord(docs().internal, CARD) && !hasRecord(docs().shared, CARD), 'the card to be kept again')
  const mallory = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:mallory', key: 'mallory-browser-secret-012345678' }, shouldReconnect: () => false })
  const closed = new Promise<number>((resolve) => mallory.provider.on('connection-close', (event) => resolve(event?.code ?? -1)))
  writeRecordChanges(mallory.doc, { put: [carlasCard()], remove: [] })
  expect(await closed).toBe(4422)
  expect(hasRecord(docs().shared, CARD)).toBe(false)
  expect(Y.encodeStateAsUpdate(docs().internal).byteLength).toBeGreaterThan(0)
  mallory.destroy()
  carlaOnPage.client.destroy()
  team.destroy()
})

test("the team's revert of the guest's delete puts the card back, visible to the guests, the team's notes internal again [A40] (QA)", async () => {
  const ANA = 'shape:ana'
  const carlaOnPage = await carlaPage()
  const bystander = await recordingGuest(server, workshop, 'stakeholders')
  const team = await teamPage(server, workshop, 'stakeholders', 'Tina')
  const anasCard = { ...carlasCard(ANA), props: { ...(carlasCard(ANA).props as JsonObject), name: 'Ana Visible' } }
  writeRecordChanges(carlaOnPage.client.doc, { put: [anasCard], remove: [] })
  await waitFor(() => team.records().has(ANA), 'the team to see the card')
  const seen = team.records().get(ANA) as JsonObject // waited for just above
  await team.change([{ ...seen, props: { ...(seen.props as JsonObject), notes: CANARY } }])
  await readHistory(server, workshop, 'stakeholders', 'team') // [H5] closes the changes so far
  writeRecordChanges(carlaOnPage.client.doc, { put: [], remove: [ANA] })
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => hasRecord(docs().internal, ANA) && !hasRecord(docs().shared, ANA), 'the card to be kept')

  const deleted = (await readHistory(server, workshop, 'stakeholders', 'team')).list.changes.find((change) => change.records.some((r) => r.id === ANA && Object.hasOwn(r.after?.meta ?? {}, KEPT_FROM_GUEST_META_KEY)))
  expect(deleted?.role).toBe('guest')
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/boards/stakeholders/changes/${deleted?.id}/revert`, { method: 'POST', headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  expect(response.status).toBe(200)
  const result = (await response.json()) as { reverted: number; conflicts: unknown[] }
  // Not "stays internal": the team never made it internal, the guest's delete did.
  expect(result).toMatchObject({ reverted: 1, conflicts: [] })
  await waitFor(() => hasRecord(docs().shared, ANA) && !hasRecord(docs().internal, ANA), 'the card back in the shared part')
  expect(readOverlays(docs().internal).get(ANA)?.get('props.notes')).toBe(CANARY)
  expect(readRecord(docs().shared, ANA).record?.meta).not.toHaveProperty(KEPT_FROM_GUEST_META_KEY)
  await waitFor(() => hasRecord(carlaOnPage.client.doc, ANA), 'the guest to see the card again')
  expect(readRecord(carlaOnPage.client.doc, ANA).record?.props).toMatchObject({ name: 'Ana Visible', notes: '' })
  await waitFor(() => {
    const card = team.records().get(ANA)
    return card !== undefined && (card.meta as JsonObject)[INTERNAL_META_KEY] === undefined && (card.props as JsonObject).notes === CANARY
  }, 'the team to see the visible card with its notes')
  await drained(bystander)
  expect(heard(bystander)).not.toContain(CANARY)
  expect(Buffer.concat(carlaOnPage.frames).toString('latin1')).not.toContain(CANARY)
  bystander.ws.close()
  carlaOnPage.client.destroy()
  team.destroy()
})

test("a revert of the guest's delete leaves the copy internal once the team wrote in it since [A40] (review)", async () => {
  const BEN = 'shape:ben'
  const carlaOnPage = await carlaPage()
  const team = await teamPage(server, workshop, 'stakeholders', 'Tina')
  const bensCard = { ...carlasCard(BEN), props: { ...(carlasCard(BEN).props as JsonObject), name: 'Ben Visible' } }
  writeRecordChanges(carlaOnPage.client.doc, { put: [bensCard], remove: [] })
  await waitFor(() => team.records().has(BEN), 'the team to see the card')
  const seen = team.records().get(BEN) as JsonObject // waited for just above
  await team.change([{ ...seen, props: { ...(seen.props as JsonObject), notes: CANARY } }])
  await readHistory(server, workshop, 'stakeholders', 'team') // [H5] closes the changes so far
  writeRecordChanges(carlaOnPage.client.doc, { put: [], remove: [BEN] })
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => hasRecord(docs().internal, BEN) && !hasRecord(docs().shared, BEN), 'the card to be kept')
  const deleted = (await readHistory(server, workshop, 'stakeholders', 'team')).list.changes.find((change) => change.records.some((r) => r.id === BEN && Object.hasOwn(r.after?.meta ?? {}, KEPT_FROM_GUEST_META_KEY)))
  // The team writes into the internal copy: what it writes there is the team's alone.
  const SECRET = 'CANARY-written-into-the-copy-5521'
  await waitFor(() => (team.records().get(BEN)?.meta as JsonObject | undefined)?.[INTERNAL_META_KEY] === true, 'the copy on the team page')
  const copy = team.records().get(BEN) as JsonObject
  await team.change([{ ...copy, props: { ...(copy.props as JsonObject), notes: SECRET } }])
  await waitFor(() => (readRecord(docs().internal, BEN).record?.props as JsonObject | undefined)?.notes === SECRET, 'the write stored')
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/boards/stakeholders/changes/${deleted?.id}/revert`, { method: 'POST', headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  expect(response.status).toBe(200)
  const result = (await response.json()) as { conflicts: { recordId: string; reason: string }[] }
  expect(result.conflicts).toContainEqual(expect.objectContaining({ recordId: BEN, reason: 'stays_internal' }))
  expect(hasRecord(docs().shared, BEN)).toBe(false)
  expect(Buffer.concat(carlaOnPage.frames).toString('latin1')).not.toContain(SECRET)
  carlaOnPage.client.destroy()
  team.destroy()
})

test("the guest's undo is refused once the team wrote on the kept copy: the team's text is neither erased nor shown to the guest [A40] (QA q30b)", async () => {
  const KIM = 'shape:kim'
  const SECRET = 'CANARY-kim-churn-risk-4410'
  const carlaOnPage = await carlaPage()
  const team = await teamPage(server, workshop, 'stakeholders', 'Tina')
  writeRecordChanges(carlaOnPage.client.doc, { put: [{ ...carlasCard(KIM), props: { ...(carlasCard(KIM).props as JsonObject), name: 'Kim Own' } }], remove: [] })
  await waitFor(() => team.records().has(KIM), 'the team to see the guest card')
  const seen = team.records().get(KIM) as JsonObject // waited for just above
  await team.change([{ ...seen, props: { ...(seen.props as JsonObject), notes: CANARY } }])
  const cardBeforeDelete = readRecord(carlaOnPage.client.doc, KIM).record as JsonObject // Carla's page holds it
  writeRecordChanges(carlaOnPage.client.doc, { put: [], remove: [KIM] })
  const docs = () => stakeholderDocs(server, workshop)
  await waitFor(() => hasRecord(docs().internal, KIM) && !hasRecord(docs().shared, KIM), 'the card to be kept')
  // The team goes on writing on the copy, an internal item: its name too.
  await waitFor(() => (team.records().get(KIM)?.meta as JsonObject | undefined)?.[INTERNAL_META_KEY] === true, "the team's page to hold the copy")
  const copy = team.records().get(KIM) as JsonObject
  await team.change([{ ...copy, props: { ...(copy.props as JsonObject), name: `Kim Own (${SECRET})` } }])

  // Carla's undo: refused, nothing changed.
  const closed = new Promise<number>((resolve) => carlaOnPage.client.provider.on('connection-close', (event) => resolve(event?.code ?? -1)))
  writeRecordChanges(carlaOnPage.client.doc, { put: [cardBeforeDelete], remove: [] })
  expect(await closed).toBe(4422)
  expect(hasRecord(docs().shared, KIM)).toBe(false)
  expect(readRecord(docs().internal, KIM).record?.props).toMatchObject({ name: `Kim Own (${SECRET})`, notes: CANARY })
  expect(Buffer.concat(carlaOnPage.frames).toString('latin1')).not.toContain(SECRET)
  carlaOnPage.client.destroy()
  team.destroy()
})
