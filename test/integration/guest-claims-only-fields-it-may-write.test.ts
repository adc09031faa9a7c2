/**
 * QA q33a finding 5: a guest's presence said it was typing into the team's internal Notes (and any
 * other field), which every team page then showed read-only ("Eve Guest is typing here…"). The
 * server now keeps a guest's typing claim only on a field the guest may write ([A43]).
 */
import type { JsonObject } from '@tldraw/utils'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { MESSAGE_TYPE } from '../../shared/protocol.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { encodeAwarenessEntries } from '../../server/sync/messages.ts'
import { connectSynced, rawClient, waitFor, type TestClient } from '../helpers/clients.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import { putAsFacilitator, startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const json = (value: unknown) => value as JsonObject // test records are JSON

type Presence = { userName?: string; editing?: unknown; meta?: Record<string, unknown> }

/** The team's board with Anna's card and an internal note, and a team page listening. */
async function teamBoard(): Promise<{ workshopId: string; guestToken: string; teamToken: string; team: TestClient; close(): void }> {
  const workshop = await server.createWorkshop()
  await putAsFacilitator(server, workshop, 'settings', { customerFacing: { swot: false, stakeholders: true, objectives: false, actions: true, whitespace: false } })
  const team = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.team, user: 'user:tina' } })
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`, { params: { token: workshop.tokens.team, user: 'user:tina' } })
  writeRecordChanges(team.doc, { put: [json(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna' }))], remove: [] })
  writeRecordChanges(internal.doc, { put: [json(note('shape:secret', { x: 300, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 'ours'))], remove: [] })
  const room = `${workshop.id}/stakeholders`
  await waitFor(() => readRecords(server.server.rooms.get(room)?.doc ?? new Y.Doc()).has('shape:anna'), 'card stored')
  await waitFor(() => server.server.rooms.get(room)?.isInternalItem('shape:secret') === true, 'internal note stored')
  return {
    workshopId: workshop.id,
    guestToken: workshop.tokens.guest,
    teamToken: workshop.tokens.team,
    team,
    close: () => {
      team.destroy()
      internal.destroy()
    },
  }
}

test('a guest\'s typing claim on an internal field, an internal item or no item reaches nobody; one on a field it may write does [A43]', async () => {
  const board = await teamBoard()
  const guest = await connectSynced(server.syncUrl, `${board.workshopId}/stakeholders`, { params: { token: board.guestToken, user: 'user:eve' } })
  const heardByTeam = () => board.team.provider.awareness.getStates().get(guest.doc.clientID) as Record<string, Presence> | undefined
  const refused = [
    { shape: 'anna', field: 'notes' },
    { shape: 'anna', field: 'owner' },
    { shape: 'secret', field: 'richText' },
    { shape: 'nowhere', field: 'name' },
  ]
  for (const [i, claim] of refused.entries()) {
    guest.provider.awareness.setLocalState({
      presence: { userName: `Eve ${i}`, editing: { ...claim, since: 1 } },
      record: { userName: `Eve ${i}`, meta: { keyplanEditing: { shapeId: `shape:${claim.shape}`, field: claim.field, since: 1 }, other: 1 } },
    })
    await waitFor(() => heardByTeam()?.presence?.userName === `Eve ${i}`, `team hears the guest's presence ${i}`)
    // [A44] stamped as a guest's too.
    expect(heardByTeam()).toEqual({ presence: { userName: `Eve ${i}` }, record: { userName: `Eve ${i}`, meta: { other: 1 } }, keyplanGuest: true })
    expect(server.server.rooms.get(`${board.workshopId}/stakeholders`)?.awareness.getStates().get(guest.doc.clientID)).toEqual(heardByTeam())
  }
  // A visible field of a visible card: the guest may write it, so it may say it types there.
  guest.provider.awareness.setLocalState({ presence: { userName: 'Eve', editing: { shape: 'anna', field: 'name', since: 2 } } })
  await waitFor(() => heardByTeam()?.presence?.userName === 'Eve', 'team hears the visible claim')
  expect(heardByTeam()?.presence?.editing).toEqual({ shape: 'anna', field: 'name', since: 2 })
  guest.destroy()
  board.close()
})

test('a guest cannot slip a claim past the check by spelling its key with escapes [A43]', async () => {
  const board = await teamBoard()
  const guest = rawClient(`${server.syncUrl}/${board.workshopId}/stakeholders?token=${board.guestToken}&user=user:eve`)
  await guest.opened
  const client = 424242
  // JSON's \u escapes spell `editing`: what every page's JSON.parse reads as the claim.
  const state = '{"presence":{"userName":"Eve","\\u0065diting":{"shape":"anna","field":"notes","since":1}}}'
  expect((JSON.parse(state) as Record<string, Presence>).presence?.editing).toBeDefined()
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, encodeAwarenessEntries([{ client, clock: 1, state }]))
  guest.send(encoding.toUint8Array(encoder))
  const heardByTeam = () => board.team.provider.awareness.getStates().get(client) as Record<string, Presence> | undefined
  await waitFor(() => heardByTeam() !== undefined, 'team hears the guest')
  expect(heardByTeam()).toEqual({ presence: { userName: 'Eve' }, keyplanGuest: true })
  guest.ws.close()
  board.close()
})

test('a team member\'s claim on an internal field reaches the team whole [A43]', async () => {
  const board = await teamBoard()
  const colleague = await connectSynced(server.syncUrl, `${board.workshopId}/stakeholders`, { params: { token: board.teamToken, user: 'user:tom' } })
  colleague.provider.awareness.setLocalState({ presence: { userName: 'Tom', editing: { shape: 'anna', field: 'notes', since: 1 } } })
  const heardByTeam = () => board.team.provider.awareness.getStates().get(colleague.doc.clientID) as Record<string, Presence> | undefined
  await waitFor(() => heardByTeam() !== undefined, 'team hears the colleague')
  expect(heardByTeam()?.presence?.editing).toEqual({ shape: 'anna', field: 'notes', since: 1 })
  colleague.destroy()
  board.close()
})
