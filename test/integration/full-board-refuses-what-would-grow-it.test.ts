/**
 * A board's size caps (docs/server-rules.md [S28], QA q33a finding 2): an update that would take a
 * board over `MAX_BOARD_RECORDS` records or `MAX_BOARD_BYTES` of content, its two documents
 * together, closes its sender with 4422 "board full", and nothing of it is stored or relayed; the
 * others stay connected, and on the full board edits and deletes still go in. Small caps, set just
 * above the template of the board, keep the test fast.
 */
import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { logSize, measureLogSize } from '../../shared/docLayout.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, testConfig, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { deleteEntry, getEntry, setEntry } from '../helpers/testEntries.ts'

let server: TestServer | undefined
const clients: TestClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
  server = undefined
})

/** The size of the action plan as a new workshop's template leaves it. */
function templateSize() {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('actions'))
  measureLogSize(doc)
  return logSize(doc)
}

async function open(running: TestServer, workshop: TestWorkshop, role: 'guest' | 'team', user: string): Promise<TestClient> {
  const client = await connectSynced(running.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens[role], user } })
  clients.push(client)
  return client
}

const carla = { role: 'guest', userId: 'user:carla' } as const

test('a note past MAX_BOARD_RECORDS closes its writer with 4422 "board full"; nothing of it is kept, and edits and deletes still go in [S28]', async () => {
  const maxBoardRecords = templateSize().records + 2
  server = await startServer({ updateLimits: { ...testConfig().updateLimits, maxBoardRecords } })
  const running = server
  const workshop = await running.createWorkshop()
  const room = `${workshop.id}/actions`
  const team = await open(running, workshop, 'team', 'user:tom')
  const guest = await open(running, workshop, 'guest', 'user:carla')
  setEntry(guest.doc, 'one', 'first', carla)
  setEntry(guest.doc, 'two', 'second', carla)
  await waitFor(() => getEntry(team.doc, 'two') === 'second', 'the team to see both notes')

  const closed = nextClose(guest.provider)
  setEntry(guest.doc, 'three', 'one too many', carla)
  expect(await closed).toEqual({ code: CLOSE_CODES.updateRefused, reason: `board full: at most ${maxBoardRecords} items` })
  await running.server.rooms.get(room)?.whenDurable()
  expect(getEntry(running.server.rooms.get(room)?.doc, 'three')).toBeUndefined()

  // The team is not touched, and changes what the board holds; a delete makes room again.
  expect(team.provider.wsconnected).toBe(true)
  setEntry(team.doc, 'one', 'edited by the team', carla)
  await waitFor(() => getEntry(running.server.rooms.get(room)?.doc, 'one') === 'edited by the team', 'the team edit')
  deleteEntry(team.doc, 'two')
  const again = await open(running, workshop, 'guest', 'user:carla')
  await waitFor(() => getEntry(again.doc, 'two') === undefined, 'the delete')
  setEntry(again.doc, 'three', 'fits now', carla)
  await waitFor(() => getEntry(team.doc, 'three') === 'fits now', 'a note in the room a delete made')
  expect(again.provider.wsconnected).toBe(true)
})

test('an update past MAX_BOARD_BYTES closes its writer with 4422 "board full" and is not stored [S28]', async () => {
  const maxBoardBytes = templateSize().chars + 6_000
  server = await startServer({ updateLimits: { ...testConfig().updateLimits, maxBoardBytes } })
  const running = server
  const workshop = await running.createWorkshop()
  const room = `${workshop.id}/actions`
  const team = await open(running, workshop, 'team', 'user:tom')
  const guest = await open(running, workshop, 'guest', 'user:carla')
  setEntry(guest.doc, 'long', 'x'.repeat(3_000), carla)
  await waitFor(() => getEntry(team.doc, 'long') !== undefined, 'the team to see the first long note')

  const closed = nextClose(guest.provider)
  setEntry(guest.doc, 'longer', 'y'.repeat(3_000), carla)
  expect(await closed).toEqual({ code: CLOSE_CODES.updateRefused, reason: `board full: at most ${Math.round(maxBoardBytes / 1024)} KB of content` })
  await running.server.rooms.get(room)?.whenDurable()
  expect(getEntry(running.server.rooms.get(room)?.doc, 'longer')).toBeUndefined()
  expect(team.provider.wsconnected).toBe(true)
})
