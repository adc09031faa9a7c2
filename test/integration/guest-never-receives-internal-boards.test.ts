import { afterAll, beforeAll, expect, test } from 'vitest'
import { WorkshopAccessViewSchema } from '../../shared/access.ts'
import { WorkshopSchema } from '../../shared/api.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, mapContent, rawClient, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { setEntry, entries } from '../helpers/testEntries.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })

test('a guest opening an internal board is closed with 4403 and receives nothing [A6]', async () => {
  const workshop = await server.createWorkshop()
  const team = await connectSynced(server.syncUrl, `${workshop.id}/swot`)
  setEntry(team.doc, 'our read on them', 'blocker')
  await waitFor(() => Object.keys(entries(server.server.rooms.get(`${workshop.id}/swot`)?.doc)).length === 1, 'internal note stored')

  for (const board of ['swot', 'stakeholders']) {
    const guest = rawClient(`${server.syncUrl}/${workshop.id}/${board}?token=${workshop.tokens.guest}`)
    expect(await guest.closed).toEqual({ code: CLOSE_CODES.forbidden, reason: 'board not visible for this role' })
    expect(guest.received).toEqual([])
  }
  // The guest's own views list only the action plan.
  const got = WorkshopSchema.parse(await (await api(`/${workshop.id}`, workshop.tokens.guest)).json())
  expect(got.boards.map((b) => b.id)).toEqual(['actions'])
  const access = WorkshopAccessViewSchema.parse(await (await api(`/${workshop.id}/access`, workshop.tokens.guest)).json())
  expect(access).toEqual({ role: 'guest', boards: [{ id: 'actions', readOnly: false }] })
  team.destroy()
})

test('a guest edits the customer-facing action plan with the team [A5]', async () => {
  const workshop = await server.createWorkshop()
  const team = await connectSynced(server.syncUrl, `${workshop.id}/actions`)
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens.guest, user: 'user:carla' } })
  setEntry(guest.doc, 'customer action', 'send the security questionnaire', { role: 'guest', userId: 'user:carla' })
  await waitFor(() => mapContent(team.doc)['customer action'] !== undefined, 'guest edit reaches the team')
  team.destroy()
  guest.destroy()
})

test('a board switched to internal disconnects its guests at once, and only them [A6]', async () => {
  const workshop = await server.createWorkshop()
  const facilitator = workshop.tokens.facilitator
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens.guest } })
  const team = await connectSynced(server.syncUrl, `${workshop.id}/actions`)
  const guestClosed = new Promise<{ code: number; reason: string }>((resolve) =>
    guest.provider.on('connection-close', (event) => resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' })),
  )

  // Only the facilitator may change it.
  const refused = await api(`/${workshop.id}/settings`, workshop.tokens.team, {
    method: 'PUT',
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, actions: false } }),
  })
  expect(refused.status).toBe(403)
  expect(guest.provider.wsconnected).toBe(true)

  const changed = await api(`/${workshop.id}/settings`, facilitator, {
    method: 'PUT',
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, actions: false } }),
  })
  expect(changed.status).toBe(200)
  expect(await guestClosed).toEqual({ code: CLOSE_CODES.forbidden, reason: 'board is no longer customer-facing' })
  expect(guest.provider.shouldConnect).toBe(false)
  expect(team.provider.wsconnected).toBe(true)

  // Coming back is refused too, until the facilitator opens the board again.
  const again = rawClient(`${server.syncUrl}/${workshop.id}/actions?token=${workshop.tokens.guest}`)
  expect((await again.closed).code).toBe(CLOSE_CODES.forbidden)
  expect(again.received).toEqual([])
  await api(`/${workshop.id}/settings`, facilitator, {
    method: 'PUT',
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, actions: true } }),
  })
  const back = await connectSynced(server.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens.guest } })
  back.destroy()
  guest.destroy()
  team.destroy()
})
