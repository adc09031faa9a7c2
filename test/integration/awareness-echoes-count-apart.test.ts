/**
 * QA q33a: a guest flooding awareness is closed 4429 (right), and a stock y-websocket peer was closed
 * 4429 too, 38 ms later: the stock provider re-sends every awareness change it hears, and the server
 * counted those echoes against the peer's own rate. Echoes of states the room already has now count
 * toward a budget of their own ([S31]).
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { awarenessFrame, connectSynced, rawClient, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

let server: TestServer
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
})
afterAll(async () => {
  await server.close()
})

test("a guest's awareness flood closes the guest, not a stock peer that echoes what it hears", async () => {
  const room = `${workshop.id}/actions`
  const peer: TestClient = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:stock-peer' } })
  const closes: number[] = []
  peer.provider.on('connection-close', (event) => {
    if (event) closes.push(event.code)
  })
  try {
    const guest = rawClient(`${server.syncUrl}/${room}?token=${workshop.tokens.guest}&user=user:flooder`)
    await guest.opened
    await waitFor(() => guest.received.length > 0, 'the server step 1')
    const awareness = new awarenessProtocol.Awareness(new Y.Doc())
    let heard = 0
    peer.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if ([...added, ...updated].includes(awareness.clientID)) heard++
    })
    const frames: Uint8Array[] = []
    for (let i = 0; i < 500; i++) {
      awareness.setLocalState({ presence: { userName: `Eve ${i}` } })
      frames.push(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])))
    }
    for (const frame of frames) guest.send(frame)
    expect((await guest.closed).code).toBe(CLOSE_CODES.rateLimited)
    // The peer heard the flood (and echoed each change it heard; the guest's state is gone since it closed)...
    await waitFor(() => heard > 1 || closes.length > 0, 'the flood at the peer')
    // ...and is still connected: a write of it after the echoes reaches the server.
    setEntry(peer.doc, 'after the flood', 'still here')
    await waitFor(() => getEntry(server.server.rooms.get(room)?.doc, 'after the flood') === 'still here' || closes.length > 0, 'the peer write at the server')
    expect(closes).toEqual([])
    expect(peer.provider.wsconnected).toBe(true)
  } finally {
    peer.destroy()
  }
})
