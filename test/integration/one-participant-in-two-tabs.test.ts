/**
 * [S29] One participant with the same board open in two tabs: the two pages have their own Yjs
 * client ids but the same user id and key. The stock provider echoes every remote awareness change
 * it hears, so each tab sends the other's presence back unchanged; that is an echo, not a takeover
 * of the other tab's id, and must not close either tab (it did, 4422, each tab in turn, for as long
 * as both were open). A newer state for the other tab's id is still refused.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE } from '../../shared/protocol.ts'
import { connectSynced, rawClient, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('two tabs of one participant both stay connected and see each other', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const params = { token: workshop.tokens.team, user: 'user:tina', key: 'tina-secret-key-'.repeat(3) }
  const closes: number[] = []
  const open = async (name: string): Promise<TestClient> => {
    const tab = await connectSynced(server.syncUrl, room, { params, shouldReconnect: () => false })
    tab.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code))
    tab.provider.awareness.setLocalStateField('presence', { userName: name })
    return tab
  }
  const first = await open('Tina (tab 1)')
  const second = await open('Tina (tab 2)')
  const sees = (tab: TestClient, other: TestClient, name: string) => tab.provider.awareness.getStates().get(other.doc.clientID)?.presence?.userName === name
  await waitFor(() => sees(first, second, 'Tina (tab 2)') && sees(second, first, 'Tina (tab 1)'), 'each tab to see the other')
  // Each tab moves its cursor a few times; every change is heard and echoed by the other.
  for (let i = 0; i < 5; i++) {
    first.provider.awareness.setLocalStateField('presence', { userName: 'Tina (tab 1)', cursor: i })
    second.provider.awareness.setLocalStateField('presence', { userName: 'Tina (tab 2)', cursor: i })
    await waitFor(() => first.provider.awareness.getStates().get(second.doc.clientID)?.presence?.cursor === i, 'tab 1 to see tab 2 move')
    await waitFor(() => second.provider.awareness.getStates().get(first.doc.clientID)?.presence?.cursor === i, 'tab 2 to see tab 1 move')
  }
  // A round trip on each tab after the last echoes: still open.
  const states = () => server.server.rooms.get(room)?.awareness.getStates()
  await waitFor(() => states()?.get(first.doc.clientID)?.presence?.cursor === 4 && states()?.get(second.doc.clientID)?.presence?.cursor === 4, 'the server to hold both tabs')
  expect(closes).toEqual([])
  expect(first.provider.wsconnected && second.provider.wsconnected).toBe(true)

  // The same participant's third connection may still not set a newer state for a live tab's id.
  const spoofer = new awarenessProtocol.Awareness(new Y.Doc())
  spoofer.clientID = first.doc.clientID
  for (let i = 0; i < 50; i++) spoofer.setLocalState({ presence: { userName: 'Not tab 1' } })
  const third = rawClient(`${server.syncUrl}/${room}?token=${workshop.tokens.team}&user=user:tina&key=${params.key}`)
  await third.opened
  const own = new awarenessProtocol.Awareness(new Y.Doc())
  own.setLocalState({ presence: { userName: 'Tina (tab 3)' } })
  const frame = (update: Uint8Array) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
    encoding.writeVarUint8Array(encoder, update)
    return encoding.toUint8Array(encoder)
  }
  third.send(frame(awarenessProtocol.encodeAwarenessUpdate(own, [own.clientID])))
  third.send(frame(awarenessProtocol.encodeAwarenessUpdate(spoofer, [first.doc.clientID])))
  expect((await third.closed).code).toBe(CLOSE_CODES.updateRefused)
  expect(states()?.get(first.doc.clientID)?.presence?.userName).toBe('Tina (tab 1)')
  first.destroy()
  second.destroy()
})
