/**
 * docs/security.md [A37]: a sensitivity change reaches a team page on its control socket, the
 * moved values on its two sync sockets (shared and internal document). A page that writes a field
 * in between still routes it by the sensitivity before the change. For a bounded grace the server
 * keeps such a write and moves it where the new sensitivity says, so an honest page never meets
 * 4422 and no value is left in the wrong document: a field made internal ends in the internal
 * document's overlay (the shared document back at its default), a field made visible ends in the
 * shared document and its overlay entries in the internal document are cleared.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/**
 * One team member's page: both documents on two sockets, writing through the page's own routing
 * by the sensitivity it last heard (here: the defaults, as before the push arrives).
 */
async function stalePage(workshop: TestWorkshop) {
  const params = { token: workshop.tokens.team, user: 'user:tina', key: 'tina-browser-secret-0123456789' }
  const room = `${workshop.id}/stakeholders`
  const shared = await connectSynced(server.syncUrl, room, { params })
  const internal = await connectSynced(server.syncUrl, `${room}/internal`, { params })
  const closes: number[] = []
  for (const client of [shared, internal]) client.provider.on('connection-close', (event) => closes.push(event?.code ?? -1))
  const source = mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined))
  return {
    closes,
    write: (record: JsonObject) => source.write({ put: [record], remove: [] }, undefined),
    destroy() {
      internal.destroy()
      shared.destroy()
    },
  }
}

function serverDocs(workshop: TestWorkshop) {
  const room = `${workshop.id}/stakeholders`
  return { shared: server.server.rooms.get(room)?.doc ?? new Y.Doc(), internal: server.server.rooms.get(`${room}/internal`)?.doc ?? new Y.Doc() }
}

const propOf = (doc: Y.Doc, prop: string) => (readRecords(doc).get('shape:anna')?.props as JsonObject | undefined)?.[prop]
const overlayOf = (doc: Y.Doc, prop: string) => readOverlays(doc).get('shape:anna')?.get(`props.${prop}`)

const setSensitivity = async (workshop: TestWorkshop, fields: Record<string, string>) => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })
  expect(response.status).toBe(200)
}

const card = (props: Record<string, string>) => stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', ...props }) as unknown as JsonObject // test records are JSON

test('a field just made internal, written into the shared document by a page that has not heard yet, is kept and moved into the internal document [A37]', async () => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const page = await stalePage(workshop)
  page.write(card({ department: 'Sales' }))
  await waitFor(() => propOf(serverDocs(workshop).shared, 'department') === 'Sales', 'the card on the server')

  await setSensitivity(workshop, { 'stakeholder.department': 'internal' })
  await waitFor(() => overlayOf(serverDocs(workshop).internal, 'department') === 'Sales', 'the value moved by the change')
  // The page still routes department to the shared document.
  page.write(card({ department: 'Procurement EMEA' }))

  await waitFor(() => overlayOf(serverDocs(workshop).internal, 'department') === 'Procurement EMEA', 'the write moved into the internal document')
  await waitFor(() => propOf(serverDocs(workshop).shared, 'department') === '', 'the shared document back at the default')
  expect(page.closes).toEqual([])
  page.destroy()
})

test('a field just made visible, written into the internal overlay by a page that has not heard yet, ends in the shared document with no overlay entry left [A37][A35]', async () => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const page = await stalePage(workshop)
  page.write(card({ attitude: 'blocker' }))
  await waitFor(() => overlayOf(serverDocs(workshop).internal, 'attitude') === 'blocker', 'the internal value on the server')

  await setSensitivity(workshop, { 'stakeholder.attitude': 'visible' })
  await waitFor(() => propOf(serverDocs(workshop).shared, 'attitude') === 'blocker', 'the value moved by the change')
  expect(overlayOf(serverDocs(workshop).internal, 'attitude')).toBeUndefined()
  // The page still routes attitude to the internal overlay.
  page.write(card({ attitude: 'champion' }))

  await waitFor(() => propOf(serverDocs(workshop).shared, 'attitude') === 'champion', 'the write moved into the shared document')
  await waitFor(() => overlayOf(serverDocs(workshop).internal, 'attitude') === undefined, 'no overlay entry of the visible field left')
  expect(page.closes).toEqual([])
  page.destroy()
})
