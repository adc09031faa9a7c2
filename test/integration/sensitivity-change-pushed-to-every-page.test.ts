/**
 * docs/server-rules.md [C11]: once the facilitator's change of field sensitivities is stored and
 * the values have moved, the room-control sockets of the facilitator, team and viewer get the new
 * overrides at once; a guest's socket gets nothing (which fields are internal is itself internal,
 * docs/security.md [A35]).
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openControl } from '../helpers/controlClient.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const put = (path: string, token: string, body: unknown) =>
  fetch(`${server.url}/api/workshops${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

test('a sensitivity change reaches the team roles’ control sockets and never a guest’s [C11][A35]', async () => {
  const workshop = await server.createWorkshop()
  const facilitator = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fiona')
  const team = await openControl(server, workshop.id, workshop.tokens.team, 'Tina')
  const viewer = await openControl(server, workshop.id, workshop.tokens.viewer, 'Vic')
  const guest = await openControl(server, workshop.id, workshop.tokens.guest, 'Carla')

  const fields = { 'stakeholder.attitude': 'visible', 'stakeholder.department': 'internal' }
  expect((await put(`/${workshop.id}/sensitivity`, workshop.tokens.facilitator, { fields })).status).toBe(200)
  for (const client of [facilitator, team, viewer]) {
    const pushed = await client.next('sensitivity')
    expect(pushed.fields).toMatchObject(fields)
  }

  // Messages on one socket arrive in order: once the guest has the next push, it would have had this one.
  const customerFacing = { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false }
  expect((await put(`/${workshop.id}/settings`, workshop.tokens.facilitator, { customerFacing })).status).toBe(200)
  await guest.next('access')
  expect(guest.messages.some((message) => message.type === 'sensitivity')).toBe(false)
  expect(JSON.stringify(guest.messages)).not.toContain('stakeholder.')

  for (const client of [facilitator, team, viewer, guest]) client.close()
})
