/**
 * [A35] [A24] Issues 13 and 17: the facilitator changes a field's sensitivity through one instance
 * while the guest and the team are on another. The moved values reach the guest there at once, and
 * that instance judges updates by the new sensitivity: the team may now write the field into the
 * shared document without being refused. The team's page there is told on room control ([C11]).
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { expect, test } from 'vitest'
import type * as Y from 'yjs'
import { readRecords, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { openControl } from '../helpers/controlClient.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { createWorkshop } from '../helpers/startServer.ts'

const cluster = useCluster()
const json = (value: unknown) => value as JsonObject // test records are JSON

test('a sensitivity changed on one instance moves the values to a guest on another, which then accepts the field in the shared document [A35] [A24]', async () => {
  const env = await cluster.env()
  const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)
  const api = (path: string, token: string, body: unknown) =>
    fetch(`${a.url}/api/workshops/${workshop.id}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const facing = await api('/settings', workshop.tokens.facilitator, { customerFacing: { swot: false, stakeholders: true, objectives: false, actions: true, whitespace: false } })
  expect(facing.status).toBe(200)

  // Everyone on instance B.
  const room = `${workshop.id}/stakeholders`
  const shared = await connectSynced(b.syncUrl, room)
  const internal = await connectSynced(b.syncUrl, `${room}/internal`)
  const guest = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:gil' } })
  // [C11] the team's page on B hears of the change on room control.
  const teamControl = await openControl(b, workshop.id, workshop.tokens.team, 'Tina')
  writeRecordChanges(shared.doc, { put: [json(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna' }))], remove: [] })
  writeOverlayChanges(internal.doc, new Map([['shape:anna', new Map<string, JsonValue>([['props.notes', 'REVEALED-LATER']])]]), [])
  const notesOf = (doc: Y.Doc) => (readRecords(doc).get('shape:anna')?.props as JsonObject | undefined)?.notes
  await waitFor(() => readRecords(guest.doc).has('shape:anna'), 'the guest to have the card')
  expect(notesOf(guest.doc)).toBe('')

  // The facilitator, through instance A.
  expect((await api('/sensitivity', workshop.tokens.facilitator, { fields: { 'stakeholder.notes': 'visible' } })).status).toBe(200)
  await waitFor(() => notesOf(guest.doc) === 'REVEALED-LATER', 'the notes to reach the guest on the other instance', 30_000)
  expect((await teamControl.next('sensitivity')).fields['stakeholder.notes']).toBe('visible')
  teamControl.close()

  // Instance B judges by the new sensitivity: a team write of the notes into the shared document is accepted.
  let closed: number | undefined
  shared.provider.on('connection-close', (event) => {
    closed = event?.code
  })
  await waitFor(() => notesOf(shared.doc) === 'REVEALED-LATER', 'the team to have the moved notes')
  writeRecordChanges(shared.doc, { put: [json({ ...readRecords(shared.doc).get('shape:anna'), props: { ...(readRecords(shared.doc).get('shape:anna')?.props as JsonObject), notes: 'now for everyone' } })], remove: [] })
  await waitFor(() => notesOf(guest.doc) === 'now for everyone', 'the guest to get the team\'s visible notes', 30_000)
  expect(closed).toBeUndefined()
  for (const client of [shared, internal, guest]) client.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
