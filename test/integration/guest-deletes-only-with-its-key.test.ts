/**
 * A guest's right to delete rests on its key, not on its public user id (docs/server-rules.md [R5],
 * [R7], [S29]). Every participant hears a guest's user id in presence; only the guest's page holds
 * the secret `key` it sends on its connections. The creator stamp names the key id (a SHA-256 of
 * the key), so a guest connecting with the victim's user id and another key, or none, cannot delete
 * the victim's notes (4422, nothing stored, others unaffected), nor stamp a note as the victim's;
 * the victim can, from a new connection and after a restart.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import type { BoardEditor } from '../../shared/recordRights.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { deleteEntry, entries, getEntry, setEntry } from '../helpers/testEntries.ts'

const CARLA_KEY = 'carla-browser-secret-0123456789'
const carla: BoardEditor = { role: 'guest', userId: 'user:carla', keyId: participantKeyId(CARLA_KEY) }

let server: TestServer
let workshop: TestWorkshop
let room: string
let team: TestClient
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  // The action plan is customer-facing by default: guests edit it.
  room = `${workshop.id}/actions`
  team = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tom' } })
})
afterAll(async () => {
  for (const client of [team, ...clients]) client.destroy()
  await server.close()
})

/** A guest's provider on the board, with `key` when given; it does not reconnect. */
async function guest(userId: string, key?: string): Promise<TestClient> {
  const params: Record<string, string> = { token: workshop.tokens.guest, user: userId, ...(key === undefined ? {} : { key }) }
  const client = await connectSynced(server.syncUrl, room, { params, shouldReconnect: () => false })
  clients.push(client)
  return client
}

const serverEntries = () => entries(server.server.rooms.get(room)?.doc)

/** Sends `change` from `client` and expects its connection closed with 4422, the board unchanged for everyone else. */
async function expectRefused(client: TestClient, change: () => void): Promise<void> {
  await server.server.rooms.get(room)?.whenDurable()
  const before = serverEntries()
  const teamBefore = entries(team.doc)
  const closed = nextClose(client.provider)
  change()
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(serverEntries()).toEqual(before)
  // The honest peer is still connected, unchanged, and still writes.
  expect(team.provider.wsconnected).toBe(true)
  expect(entries(team.doc)).toEqual(teamBefore)
  const check = `check-${Date.now()}`
  setEntry(team.doc, check, 'still here')
  await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, check) === 'still here', 'the team edit')
}

test("a guest with the victim's user id and another key, or none, cannot delete the victim's notes; the victim can [R7]", async () => {
  const page = await guest('user:carla', CARLA_KEY)
  setEntry(page.doc, 'first', 'by Carla', carla)
  setEntry(page.doc, 'second', 'by Carla too', carla)
  await waitFor(() => getEntry(team.doc, 'first') === 'by Carla' && getEntry(team.doc, 'second') === 'by Carla too', 'the team to see her notes')

  for (const key of [undefined, 'mallory-guessed-key-0123456789']) {
    const thief = await guest('user:carla', key)
    await expectRefused(thief, () => deleteEntry(thief.doc, 'first'))
  }
  // Her page was never disturbed.
  expect(page.provider.wsconnected).toBe(true)
  expect(getEntry(page.doc, 'first')).toBe('by Carla')

  // Her next page load (a new connection and Yjs client id, the same key) deletes it.
  page.destroy()
  const reload = await guest('user:carla', CARLA_KEY)
  deleteEntry(reload.doc, 'first')
  await waitFor(() => getEntry(team.doc, 'first') === undefined, 'the team to see her delete')
  reload.destroy()
})

test("no one stamps a note with another's key id, nor rewrites a stamp to it [R5]", async () => {
  const thief = await guest('user:carla')
  await expectRefused(thief, () => setEntry(thief.doc, 'forged', 'as Carla', carla))
  const other = await guest('user:carla', 'mallory-guessed-key-0123456789')
  await expectRefused(other, () => setEntry(other.doc, 'second', 'by Carla too', { role: 'guest', userId: 'user:carla', keyId: participantKeyId('mallory-guessed-key-0123456789') }))
})

test("after a restart the victim's notes are still refused to a thief and still hers to delete [R7]", async () => {
  await server.server.rooms.get(room)?.whenDurable()
  for (const client of [team, ...clients]) client.destroy()
  clients.length = 0
  await server.stop()
  server = await startServer({ dataDir: server.dataDir })
  team = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tom' } })
  expect(getEntry(team.doc, 'second')).toBe('by Carla too')

  const thief = await guest('user:carla')
  await expectRefused(thief, () => deleteEntry(thief.doc, 'second'))
  const page = await guest('user:carla', CARLA_KEY)
  deleteEntry(page.doc, 'second')
  await waitFor(() => getEntry(team.doc, 'second') === undefined, 'the team to see her delete')
})
