/**
 * Awareness size ([A14] in docs/security.md): an awareness update over `MAX_AWARENESS_BYTES`
 * closes its connection with 1009 and reaches no peer; a normal one, also from a read-only
 * viewer, still flows.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE } from '../../shared/protocol.ts'
import { connectSynced, rawClient, waitFor, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

const MAX_AWARENESS_BYTES = 4096

let server: TestServer
beforeAll(async () => {
  server = await startServer({ maxAwarenessBytes: MAX_AWARENESS_BYTES })
})
afterAll(() => server.close())

/** An awareness frame announcing `state` for a fresh client id; returns the frame and that id. */
function awarenessFrame(state: Record<string, unknown>): { frame: Uint8Array; clientId: number } {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(state)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]))
  awareness.destroy()
  doc.destroy()
  return { frame: encoding.toUint8Array(encoder), clientId: doc.clientID }
}

/** Every awareness client id `peer` ever heard of. */
function heardIds(peer: TestClient): Set<number> {
  const ids = new Set<number>()
  peer.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const id of [...added, ...updated]) ids.add(id)
  })
  return ids
}

for (const role of ['team', 'viewer'] as const) {
  test(`an oversized awareness update from a ${role} closes it with 1009 and reaches no peer; a normal one does [A14]`, async () => {
    const workshop = await server.createWorkshop()
    const room = `${workshop.id}/swot`
    const peer = await connectSynced(server.syncUrl, room)
    const heard = heardIds(peer)
    const url = `${server.syncUrl}/${room}?token=${workshop.tokens[role]}`

    const big = awarenessFrame({ user: { name: 'x'.repeat(MAX_AWARENESS_BYTES) } })
    const sender = rawClient(url)
    await sender.opened
    let senderClosed = false
    void sender.closed.then(() => (senderClosed = true))
    sender.send(big.frame)
    await waitFor(() => senderClosed || heard.has(big.clientId), 'the sender closed or the update relayed')
    expect(heard.has(big.clientId)).toBe(false)
    expect(await sender.closed).toEqual({ code: CLOSE_CODES.messageTooBig, reason: 'awareness update too large' })

    // Sent after the big one was refused: once the peer hears it, it would have heard the big one.
    const small = awarenessFrame({ user: { name: 'Ada' } })
    const next = rawClient(url)
    await next.opened
    next.send(small.frame)
    await waitFor(() => heard.has(small.clientId), 'the normal awareness update reaches the peer')
    expect(heard.has(big.clientId)).toBe(false)
    expect(server.server.rooms.get(room)?.awareness.getStates().has(big.clientId)).toBe(false)

    next.ws.close()
    peer.destroy()
  })
}
