/**
 * docs/security.md [A35]: when the server moves a record out of a board's internal document (a
 * visible card a page caught mid-move, or a third-party client, wrote whole there), its internal
 * fields stay in the internal document as overlay entries, and nothing else of the record remains
 * there. The overlay entries are written in the transaction that clears the record's entries: written
 * before it, the clear deleted them, and the internal values were lost.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readOverlays, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

function serverDocs(workshop: TestWorkshop) {
  const room = `${workshop.id}/stakeholders`
  return { shared: server.server.rooms.get(room)?.doc ?? new Y.Doc(), internal: server.server.rooms.get(`${room}/internal`)?.doc ?? new Y.Doc() }
}

const propOf = (doc: Y.Doc, prop: string) => (readRecords(doc).get('shape:anna')?.props as JsonObject | undefined)?.[prop]
const overlayOf = (doc: Y.Doc, prop: string) => readOverlays(doc).get('shape:anna')?.get(`props.${prop}`)
const card = (props: Record<string, string>) => stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', ...props }) as unknown as JsonObject // test records are JSON

const setSensitivity = async (workshop: TestWorkshop, fields: Record<string, string>) => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })
  expect(response.status).toBe(200)
}

test('a visible card written whole into the internal document is moved out by the next move with its internal fields kept as overlay entries [A35]', async () => {
  const workshop = await server.createWorkshop()
  const params = { token: workshop.tokens.team, user: 'user:tina', key: 'tina-browser-secret-0123456789' }
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`, { params })
  // As a page caught mid-move writes it (or a third-party client): a visible card with a base in the internal document.
  writeRecordChanges(internal.doc, { put: [card({ department: 'Sales', attitude: 'blocker', notes: 'keep me' })], remove: [] })
  await waitFor(() => readRecords(serverDocs(workshop).internal).has('shape:anna'), 'the card in the internal document')

  await setSensitivity(workshop, { 'stakeholder.jobTitle': 'internal' })
  await waitFor(() => propOf(serverDocs(workshop).shared, 'department') === 'Sales', 'the card moved into the shared document')
  await waitFor(() => !readRecords(serverDocs(workshop).internal).has('shape:anna'), 'no base left in the internal document')
  expect(propOf(serverDocs(workshop).shared, 'attitude')).toBe('neutral')
  expect(overlayOf(serverDocs(workshop).internal, 'attitude')).toBe('blocker')
  expect(overlayOf(serverDocs(workshop).internal, 'notes')).toBe('keep me')
  internal.destroy()
})
