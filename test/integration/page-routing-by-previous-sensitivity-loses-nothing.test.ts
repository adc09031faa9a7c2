/**
 * docs/security.md [A37]: a sensitivity change reaches a team page on its control socket, the
 * moved values on its two sync sockets (shared and internal document). A page that writes a field
 * in between still routes it by the sensitivity before the change. For a bounded grace the server
 * keeps such a write and moves it where the new sensitivity says, so an honest page never meets
 * 4422 and no value is left in the wrong document: a field made internal ends in the internal
 * document's overlay (the shared document back at its default), a field made visible ends in the
 * shared document and its overlay entries in the internal document are cleared.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { balanceMarker, readBalanceMarker } from '../../server/sync/rebalanceParts.ts'
import { connectSynced, nextClose, waitFor } from '../helpers/clients.ts'
import { anna, annaOverlay, annaProp, setSensitivity, stakeholderDocs, stalePage } from '../helpers/boardPartsOnServer.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { onlyCustomerFacing, storedBoard } from '../helpers/teamAndGuest.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('a field just made internal, written into the shared document by a page that has not heard yet, is kept and moved into the internal document [A37]', async () => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const page = await stalePage(server.syncUrl, workshop)
  page.write(anna({ department: 'Sales' }))
  await waitFor(() => annaProp(stakeholderDocs(server, workshop).shared, 'department') === 'Sales', 'the card on the server')

  await setSensitivity(server, workshop, { 'stakeholder.department': 'internal' })
  await waitFor(() => annaOverlay(stakeholderDocs(server, workshop).internal, 'department') === 'Sales', 'the value moved by the change')
  // The page still routes department to the shared document.
  page.write(anna({ department: 'Procurement EMEA' }))

  await waitFor(() => annaOverlay(stakeholderDocs(server, workshop).internal, 'department') === 'Procurement EMEA', 'the write moved into the internal document')
  await waitFor(() => annaProp(stakeholderDocs(server, workshop).shared, 'department') === '', 'the shared document back at the default')
  // [S37] the write invalidated the board's marker; the move marks it balanced again.
  const marker = balanceMarker(resolveSensitivity({ 'stakeholder.department': 'internal' }))
  await waitFor(() => readBalanceMarker(stakeholderDocs(server, workshop).internal) === marker, 'the board marked balanced again')
  expect(page.closes).toEqual([])
  page.destroy()
})

test('a field just made visible, written into the internal overlay by a page that has not heard yet, ends in the shared document with no overlay entry left [A37][A35]', async () => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const page = await stalePage(server.syncUrl, workshop)
  page.write(anna({ attitude: 'blocker' }))
  await waitFor(() => annaOverlay(stakeholderDocs(server, workshop).internal, 'attitude') === 'blocker', 'the internal value on the server')

  await setSensitivity(server, workshop, { 'stakeholder.attitude': 'visible' })
  await waitFor(() => annaProp(stakeholderDocs(server, workshop).shared, 'attitude') === 'blocker', 'the value moved by the change')
  expect(annaOverlay(stakeholderDocs(server, workshop).internal, 'attitude')).toBeUndefined()
  // The page still routes attitude to the internal overlay.
  page.write(anna({ attitude: 'champion' }))

  await waitFor(() => annaProp(stakeholderDocs(server, workshop).shared, 'attitude') === 'champion', 'the write moved into the shared document')
  await waitFor(() => annaOverlay(stakeholderDocs(server, workshop).internal, 'attitude') === undefined, 'no overlay entry of the visible field left')
  expect(page.closes).toEqual([])
  page.destroy()
})

test('a guest gets no grace: its write of a field just made internal is refused, and the internal value stays the team\'s [A37][A31]', async () => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const page = await stalePage(server.syncUrl, workshop)
  page.write(anna({ department: 'Sales' }))
  const room = `${workshop.id}/stakeholders`
  const guest = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:gil' } })
  await waitFor(() => annaProp(guest.doc, 'department') === 'Sales', 'the card at the guest')

  await setSensitivity(server, workshop, { 'stakeholder.department': 'internal' })
  await waitFor(() => annaOverlay(stakeholderDocs(server, workshop).internal, 'department') === 'Sales', 'the value moved by the change')
  // Within the grace, the guest writes the field it could edit a moment ago.
  const closed = nextClose(guest.provider)
  writeRecordChanges(guest.doc, { put: [anna({ department: 'Guest value' })], remove: [] })
  expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
  guest.destroy()

  // The team's value is where it was; nothing of the guest's write is stored.
  await server.server.rooms.get(room)?.whenDurable()
  expect(annaOverlay(stakeholderDocs(server, workshop).internal, 'department')).toBe('Sales')
  expect(annaProp(stakeholderDocs(server, workshop).shared, 'department')).toBe('')
  expect(JSON.stringify((await storedBoard(server, workshop, 'stakeholders')).get('shape:anna'))).not.toContain('Guest value')
  page.destroy()
})
