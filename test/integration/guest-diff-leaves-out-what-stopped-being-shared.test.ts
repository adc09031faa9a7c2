/**
 * A guest's comparison of two snapshots does not tell as the team's edits what only stopped being
 * shared with the guest (QA q36b, finding 4): an objective the team marked internal read "Removed"
 * to the customer, as if the team had dropped it, and the action linked to it "Changed" with
 * nothing to see. A real deletion still reads as removed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { action, objective } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server?.close()
})

test('an objective made internal is neither removed nor a change of its action for the guest; one deleted is removed', async () => {
  const workshop = await server.createWorkshop({ account: 'Northwind', title: 'Joint plan' })
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/workshops/${workshop.id}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })
  const customerFacing = { swot: false, stakeholders: false, objectives: true, actions: true, whitespace: false }
  expect((await api('/settings', workshop.tokens.facilitator, { method: 'PUT', body: JSON.stringify({ customerFacing }) })).status).toBe(200)
  const objectives = await openBoard(server, workshop.id, 'objectives', 'Tina')
  const actions = await openBoard(server, workshop.id, 'actions', 'Tina')
  const renew = objective('shape:renew', { x: 40, y: 80 }, { objective: 'Renew the master agreement' })
  await objectives.write([renew, objective('shape:grow', { x: 400, y: 80 }, { objective: 'Grow share of wallet' })])
  await actions.write([action('shape:visit', { x: 20, y: 100 }, { title: 'Reference visit', objectives: ['shape:renew'] })])
  const take = async () => ((await (await api('/snapshots', workshop.tokens.facilitator, { method: 'POST', body: '{}' })).json()) as { id: string }).id
  const diff = async (newer: string, older: string, token: string) => PlanDiffSchema.parse(await (await api(`/snapshots/${newer}/diff/${older}`, token)).json())

  const first = await take()
  await objectives.write([{ ...renew, meta: { ...renew.meta, [INTERNAL_META_KEY]: true } }])
  const second = await take()
  const guest = await diff(second, first, workshop.tokens.guest)
  expect(guest.objectives).toEqual({ added: [], removed: [], changed: [] })
  expect(guest.actions).toEqual({ added: [], removed: [], changed: [] })
  expect(JSON.stringify(guest)).not.toContain('Renew the master agreement')

  await objectives.remove(['shape:grow'])
  const third = await take()
  expect((await diff(third, second, workshop.tokens.guest)).objectives?.removed.map((item) => item.id)).toEqual(['shape:grow'])
  objectives.destroy()
  actions.destroy()
})
