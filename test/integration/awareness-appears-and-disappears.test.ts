import { afterAll, beforeAll, expect, test } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MESSAGE_TYPE } from '../../shared/protocol.ts'
import { connectSynced, rawClient, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('awareness reaches everyone, including a late joiner, and disappears when its connection closes [S13]', async () => {
  const workshop = await server.createWorkshop()
  const room = `${workshop.id}/stakeholders`
  const alice = await connectSynced(server.syncUrl, room)
  const bob = await connectSynced(server.syncUrl, room)
  alice.provider.awareness.setLocalStateField('user', { name: 'Alice' })
  const aliceId = alice.doc.clientID
  await waitFor(() => bob.provider.awareness.getStates().get(aliceId)?.user?.name === 'Alice', 'bob to see alice')

  const carol = await connectSynced(server.syncUrl, room)
  // A provider's initial empty state has clock 0, which y-protocols never propagates: set a field.
  carol.provider.awareness.setLocalStateField('user', { name: 'Carol' })
  await waitFor(() => bob.provider.awareness.getStates().get(carol.doc.clientID)?.user?.name === 'Carol', 'bob to see carol')
  await waitFor(() => carol.provider.awareness.getStates().get(aliceId)?.user?.name === 'Alice', 'carol to see alice')

  // Echo to the sender (the provider drops a connection that hears nothing for 30 s). A provider
  // ignores its own state coming back, so a raw socket checks the echo.
  const raw = rawClient(`${server.syncUrl}/${room}`)
  await raw.opened
  const rawAwareness = new Awareness(new Y.Doc())
  rawAwareness.setLocalState({ user: { name: 'Raw' } })
  raw.send(awarenessFrame(rawAwareness))
  await waitFor(() => raw.received.some((frame) => awarenessClients(frame).includes(rawAwareness.clientID)), 'the echo')
  await waitFor(() => bob.provider.awareness.getStates().has(rawAwareness.clientID), 'bob to see the raw client')
  raw.ws.close()
  await waitFor(() => !bob.provider.awareness.getStates().has(rawAwareness.clientID), 'the raw client to disappear')

  // Closing the socket (not a clean awareness goodbye) must still remove alice for everyone.
  alice.provider.ws?.close()
  alice.provider.shouldConnect = false
  await waitFor(
    () => !bob.provider.awareness.getStates().has(aliceId) && !carol.provider.awareness.getStates().has(aliceId),
    'alice to disappear for bob and carol',
  )
  expect(bob.provider.awareness.getStates().has(carol.doc.clientID)).toBe(true)
  for (const client of [alice, bob, carol]) client.destroy()
})

function awarenessFrame(awareness: Awareness): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]))
  return encoding.toUint8Array(encoder)
}

/** Client ids with a (non-null) state in an awareness frame; [] for other frames. */
function awarenessClients(frame: Uint8Array): number[] {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.awareness) return []
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
  const ids: number[] = []
  const count = decoding.readVarUint(update)
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(update)
    decoding.readVarUint(update)
    if (JSON.parse(decoding.readVarString(update)) !== null) ids.push(id)
  }
  return ids
}
