/**
 * Connection caps ([A13] in docs/security.md): over `MAX_CONNECTIONS_PER_ROOM` or
 * `MAX_CONNECTIONS_PER_ADDRESS`, a socket is accepted, then closed with `tooManyConnections`
 * before any document data; a freed slot lets the next one in, and the counts go back to zero.
 */
import { afterEach, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, rawClient, waitFor, type RawClient, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'
import { setEntry } from '../helpers/testEntries.ts'

let server: TestServer | undefined
const providers: TestClient[] = []
const raws: RawClient[] = []
afterEach(async () => {
  for (const client of providers.splice(0)) client.destroy()
  for (const client of raws.splice(0)) client.ws.close()
  await server?.close()
  server = undefined
})

function raw(url: string): RawClient {
  const client = rawClient(url)
  raws.push(client)
  return client
}

/** The close of a socket the server should refuse, or a failure as soon as it receives data instead. */
async function refusal(client: RawClient): Promise<{ code: number; reason: string }> {
  let isClosed = false
  void client.closed.then(() => (isClosed = true))
  await waitFor(() => isClosed || client.received.length > 0, 'close or data')
  // Frames arrive before the close that follows them, so nothing more can come.
  expect(client.received).toHaveLength(0)
  return client.closed
}

test('the connection after MAX_CONNECTIONS_PER_ROOM is closed with 4503 and receives nothing; a freed slot lets one in [A13]', async () => {
  server = await startServer({ maxConnectionsPerRoom: 3 })
  const running = server
  const workshop = await running.createWorkshop()
  const room = `${workshop.id}/swot`
  for (let i = 0; i < 3; i++) providers.push(await connectSynced(running.syncUrl, room))
  if (providers[0]) setEntry(providers[0].doc, 'secret', 'content')
  expect(running.server.connections.roomCount(room)).toBe(3)

  const extra = raw(`${running.syncUrl}/${room}`)
  expect(await refusal(extra)).toEqual({ code: CLOSE_CODES.tooManyConnections, reason: 'board is full, try later' })
  // Another board of the workshop is another room: not full.
  const otherBoard = raw(`${running.syncUrl}/${workshop.id}/actions`)
  await waitFor(() => otherBoard.received.length > 0, 'step 1 on another board')
  otherBoard.ws.close()
  await otherBoard.closed

  providers.shift()?.destroy()
  await waitFor(() => running.server.connections.roomCount(room) === 2, 'slot freed')
  const next = raw(`${running.syncUrl}/${room}`)
  await waitFor(() => next.received.length > 0, 'sync data for the connection after one left')
  expect(running.server.connections.roomCount(room)).toBe(3)

  for (const client of providers.splice(0)) client.destroy()
  next.ws.close()
  await waitFor(() => running.server.connections.total === 0, 'every slot released')
  expect(running.server.connections.addressCount('127.0.0.1')).toBe(0)
})

test('the connection after MAX_CONNECTIONS_PER_ADDRESS is closed with 4503 across boards; a freed slot lets one in [A13]', async () => {
  server = await startServer({ maxConnectionsPerAddress: 2 })
  const running = server
  const workshop = await running.createWorkshop()
  providers.push(await connectSynced(running.syncUrl, `${workshop.id}/swot`))
  providers.push(await connectSynced(running.syncUrl, `${workshop.id}/stakeholders`))
  expect(running.server.connections.addressCount('127.0.0.1')).toBe(2)

  const extra = raw(`${running.syncUrl}/${workshop.id}/actions`)
  expect(await refusal(extra)).toEqual({ code: CLOSE_CODES.tooManyConnections, reason: 'too many connections from this address' })
  // The refused socket held no slot.
  expect(running.server.connections.addressCount('127.0.0.1')).toBe(2)

  providers.shift()?.destroy()
  await waitFor(() => running.server.connections.addressCount('127.0.0.1') === 1, 'slot freed')
  const next = raw(`${running.syncUrl}/${workshop.id}/actions`)
  await waitFor(() => next.received.length > 0, 'sync data for the connection after one left')

  for (const client of providers.splice(0)) client.destroy()
  next.ws.close()
  await waitFor(() => running.server.connections.total === 0, 'every slot released')
})

test('guests take at most half of a board\'s slots: the team and the facilitator still get in [A13]', async () => {
  server = await startServer({ maxConnectionsPerRoom: 4, trustProxyHops: 1 })
  const running = server
  const workshop = await running.createWorkshop()
  await onlyCustomerFacing(running, workshop, 'actions')
  const room = `${workshop.id}/actions`
  // Each socket from an address of its own (QA q33a: a guest with four addresses held every slot).
  const as = (role: 'guest' | 'team' | 'facilitator', address: string) => {
    const client = rawClient(`${running.syncUrl}/${room}?token=${workshop.tokens[role]}&user=user:${role}`, { headers: { 'x-forwarded-for': address } })
    raws.push(client)
    return client
  }
  const first = as('guest', '203.0.113.1')
  await waitFor(() => first.received.length > 0, 'the first guest admitted')
  const second = as('guest', '203.0.113.2')
  await waitFor(() => second.received.length > 0, 'the second guest admitted')
  expect(await refusal(as('guest', '203.0.113.3'))).toEqual({ code: CLOSE_CODES.tooManyConnections, reason: 'board is full, try later' })
  expect(running.server.connections.guestCount(room)).toBe(2)

  const team = as('team', '198.51.100.1')
  await waitFor(() => team.received.length > 0, 'the team member admitted')
  const facilitator = as('facilitator', '198.51.100.2')
  await waitFor(() => facilitator.received.length > 0, 'the facilitator admitted')
  expect(running.server.connections.roomCount(room)).toBe(4)

  // A guest that leaves gives its slot back to the guests; the team's slots stay the team's.
  first.ws.close()
  await waitFor(() => running.server.connections.guestCount(room) === 1, 'the guest slot freed')
  const next = as('guest', '203.0.113.4')
  await waitFor(() => next.received.length > 0, 'a guest admitted again')
  expect(running.server.connections.roomCount(room)).toBe(4)
})

test('refused and server-closed connections release their slots [A13]', async () => {
  server = await startServer({ maxConnectionsPerAddress: 1 })
  const running = server
  const workshop = await running.createWorkshop()
  const room = `${workshop.id}/swot`
  // A bad token is refused before a slot is taken.
  const forged = rawClient(`${running.syncUrl}/${room}?token=forged`, { defaultToken: false })
  expect((await forged.closed).code).toBe(CLOSE_CODES.unauthorized)
  expect(running.server.connections.total).toBe(0)

  // A connection the server closes (here: a text frame, 1003) gives its slot back.
  const bad = raw(`${running.syncUrl}/${room}`)
  await waitFor(() => bad.received.length > 0, 'admitted')
  expect(running.server.connections.total).toBe(1)
  bad.send('not binary')
  expect((await bad.closed).code).toBe(CLOSE_CODES.unsupportedData)
  await waitFor(() => running.server.connections.total === 0, 'slot released after a server close')

  const next = raw(`${running.syncUrl}/${room}`)
  await waitFor(() => next.received.length > 0, 'the address gets in again')
})

test('behind a trusted proxy the per-address cap counts the forwarded client address, not the proxy [A13] [A16]', async () => {
  server = await startServer({ maxConnectionsPerAddress: 1, trustProxyHops: 1 })
  const running = server
  const workshop = await running.createWorkshop()
  const url = `${running.syncUrl}/${workshop.id}/swot`
  const from = (address: string) => {
    const client = rawClient(url, { headers: { 'x-forwarded-for': `198.51.100.1, ${address}` } })
    raws.push(client)
    return client
  }
  // Every socket comes from 127.0.0.1 (the "proxy"); the clients behind it are counted apart.
  const first = from('203.0.113.7')
  await waitFor(() => first.received.length > 0, 'the first client of 203.0.113.7')
  const other = from('203.0.113.8')
  await waitFor(() => other.received.length > 0, 'a client of another address')
  expect(running.server.connections.addressCount('203.0.113.7')).toBe(1)
  expect(running.server.connections.addressCount('127.0.0.1')).toBe(0)
  // The entry the client wrote itself (198.51.100.1) is not what counts.
  expect(await refusal(from('203.0.113.7'))).toEqual({ code: CLOSE_CODES.tooManyConnections, reason: 'too many connections from this address' })
})

test('without TRUST_PROXY_HOPS a forged X-Forwarded-For changes nothing [A16]', async () => {
  server = await startServer({ maxConnectionsPerAddress: 1 })
  const running = server
  const workshop = await running.createWorkshop()
  const url = `${running.syncUrl}/${workshop.id}/swot`
  const first = raw(url)
  await waitFor(() => first.received.length > 0, 'admitted')
  const forged = rawClient(url, { headers: { 'x-forwarded-for': '203.0.113.99' } })
  raws.push(forged)
  expect(await refusal(forged)).toEqual({ code: CLOSE_CODES.tooManyConnections, reason: 'too many connections from this address' })
  expect(running.server.connections.addressCount('203.0.113.99')).toBe(0)
})
