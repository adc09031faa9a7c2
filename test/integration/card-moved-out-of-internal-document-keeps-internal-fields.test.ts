/**
 * docs/security.md [A35]: when the server moves a record out of a board's internal document (a
 * visible card a page caught mid-move, or a third-party client, wrote whole there), its internal
 * fields stay in the internal document as overlay entries, and nothing else of the record remains
 * there. The overlay entries are written in the transaction that clears the record's entries: written
 * before it, the clear deleted them, and the internal values were lost.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { anna, annaOverlay, annaProp, setSensitivity, stakeholderDocs } from '../helpers/boardPartsOnServer.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('a visible card written whole into the internal document is moved out by the next move with its internal fields kept as overlay entries [A35]', async () => {
  const workshop = await server.createWorkshop()
  const params = { token: workshop.tokens.team, user: 'user:tina', key: 'tina-browser-secret-0123456789' }
  const internal = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders/internal`, { params })
  // As a page caught mid-move writes it (or a third-party client): a visible card with a base in the internal document.
  writeRecordChanges(internal.doc, { put: [anna({ department: 'Sales', attitude: 'blocker', notes: 'keep me' })], remove: [] })
  // The server moves such a card out on its own too (since 2026-12-05): it may already have left.
  await waitFor(() => readRecords(stakeholderDocs(server, workshop).internal).has('shape:anna') || readRecords(stakeholderDocs(server, workshop).shared).has('shape:anna'), 'the card stored')

  await setSensitivity(server, workshop, { 'stakeholder.jobTitle': 'internal' })
  await waitFor(() => annaProp(stakeholderDocs(server, workshop).shared, 'department') === 'Sales', 'the card moved into the shared document')
  await waitFor(() => !readRecords(stakeholderDocs(server, workshop).internal).has('shape:anna'), 'no base left in the internal document')
  expect(annaProp(stakeholderDocs(server, workshop).shared, 'attitude')).toBe('neutral')
  expect(annaOverlay(stakeholderDocs(server, workshop).internal, 'attitude')).toBe('blocker')
  expect(annaOverlay(stakeholderDocs(server, workshop).internal, 'notes')).toBe('keep me')
  internal.destroy()
})
