/**
 * [S6] An update that decodes but throws while Yjs applies it closes its sender with 1007, and
 * nothing of it is stored or relayed: Yjs emits the changes of a transaction that threw half-way,
 * and the room holds them back. The in-memory doc may be half-changed, so the room is reset: every
 * peer is closed with 1013 and resyncs from storage. No input we know of makes Yjs throw after
 * decoding (a Yjs bug or a throwing observer would), so an observer on the room's doc injects it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/docLayout.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, mapContent, nextClose, rawClient, updateFrame, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** What storage holds for `room`, as the next load will see it. */
async function storedContent(room: string): Promise<Record<string, unknown>> {
  const doc = new Y.Doc()
  for (const update of (await server.store.loadDocument(room)).updates) Y.applyUpdate(doc, update)
  return mapContent(doc)
}

test('an update that throws while applied closes its sender with 1007, is never stored or relayed, and resets the room', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/swot`
  const peer = await connectSynced(server.syncUrl, room)
  try {
    setEntry(peer.doc, 'kept', 'written before the failure')
    await waitFor(() => (getEntry(server.server.rooms.get(room)?.doc, 'kept') !== undefined) === true, 'the first edit at the server')
    const broken = server.server.rooms.get(room)
    if (!broken) throw new Error('the room is not loaded')
    await broken.whenDurable()
    expect(await storedContent(room)).toEqual({ kept: 'written before the failure' })
    broken.doc.getArray(DOC_KEYS.records).observe((event) => {
      for (const item of event.changes.added) {
        if (JSON.stringify(item.content.getContent()).includes('poison')) throw new Error('injected: Yjs threw while applying')
      }
    })
    const relayed: unknown[] = []
    peer.doc.getArray(DOC_KEYS.records).observe(() => relayed.push(getEntry(peer.doc, 'poison')))
    const peerClosed = nextClose(peer.provider)

    const sender = rawClient(`${server.syncUrl}/${room}`)
    await sender.opened
    const poison = new Y.Doc()
    setEntry(poison, 'poison', 'must never be stored')
    sender.send(updateFrame(Y.encodeStateAsUpdate(poison)))

    expect(await sender.closed).toEqual({ code: CLOSE_CODES.invalidPayload, reason: 'update could not be applied' })
    expect(await peerClosed).toEqual({ code: CLOSE_CODES.tryAgainLater, reason: 'room reset, reconnect' })
    expect(await storedContent(room)).toEqual({ kept: 'written before the failure' })
    // The peer reconnects to the room loaded afresh from storage, and never hears of the update.
    await waitFor(() => {
      const reloaded = server.server.rooms.get(room)
      return reloaded !== undefined && reloaded !== broken && reloaded.connections.size === 1 && peer.provider.synced
    }, 'the peer back in a reloaded room')
    expect(mapContent(server.server.rooms.get(room)?.doc ?? new Y.Doc())).toEqual({ kept: 'written before the failure' })
    expect(mapContent(peer.doc)).toEqual({ kept: 'written before the failure' })
    expect(relayed.filter((value) => value !== undefined)).toEqual([])
  } finally {
    peer.destroy()
  }
})
