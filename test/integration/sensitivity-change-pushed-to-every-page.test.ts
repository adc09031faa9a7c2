/**
 * docs/server-rules.md [C11]: once the facilitator's change of field sensitivities is stored and
 * the values have moved, the room-control sockets of every page get the new overrides at once:
 * the team's pages route writes by them, a guest's page shows or leaves out those fields in its
 * side panel. The push names fields, never a value (docs/security.md [A35]).
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

test('a sensitivity change reaches every page’s control socket, the guest’s too, with field names only [C11][A35]', async () => {
  const workshop = await server.createWorkshop()
  const facilitator = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fiona')
  const team = await openControl(server, workshop.id, workshop.tokens.team, 'Tina')
  const viewer = await openControl(server, workshop.id, workshop.tokens.viewer, 'Vic')
  const guest = await openControl(server, workshop.id, workshop.tokens.guest, 'Carla')

  const fields = { 'stakeholder.attitude': 'visible', 'stakeholder.department': 'internal' }
  expect((await put(`/${workshop.id}/sensitivity`, workshop.tokens.facilitator, { fields })).status).toBe(200)
  for (const client of [facilitator, team, viewer, guest]) {
    const pushed = await client.next('sensitivity')
    expect(pushed.fields).toMatchObject(fields)
    // Field names and their sensitivity, nothing else: no value travels with it.
    expect(Object.keys(pushed)).toEqual(['type', 'fields'])
    expect(new Set(Object.values(pushed.fields as Record<string, unknown>))).toEqual(new Set(['visible', 'internal']))
  }

  for (const client of [facilitator, team, viewer, guest]) client.close()
})
