/**
 * QA pass q27c: a workshop started from the account's last plan was created at the default field
 * sensitivities, so a field the team had made internal (an objective's owner, a stakeholder's job
 * title) reached the customer again in the next workshop, with no word. The new workshop now
 * starts with the sensitivities the carried plan was taken under ([A36]): a raw guest websocket on
 * the new workshop's shared board never hears the field's value, while it hears the visible ones.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { AccountSchema } from '../../shared/accounts.ts'
import { CreatedWorkshopSchema } from '../../shared/api.ts'
import { SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { rawClient, syncFrame, waitFor, type RawClient } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { registerWorkshop, startServer, TEST_ORG_KEY, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const CANARY = 'CANARY-title-9c1e'
const json = { 'content-type': 'application/json' }
const api = (path: string, token: string, init: RequestInit = {}) => fetch(`${server.url}/api/workshops${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? json : {}) } })
const heard = (client: RawClient) => Buffer.concat(client.received.map((frame) => Buffer.from(frame))).toString('latin1')

async function shareStakeholders(workshop: TestWorkshop): Promise<void> {
  const response = await api(`/${workshop.id}/settings`, workshop.tokens.facilitator, { method: 'PUT', body: JSON.stringify({ customerFacing: { stakeholders: true } }) })
  expect(response.status).toBe(200)
}

test('a workshop from the last plan keeps the fields the team made internal, internal for the guest', async () => {
  const created = await fetch(`${server.url}/api/accounts`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ORG_KEY}`, ...json }, body: JSON.stringify({ name: 'Keep Co', tier: 'key' }) })
  const account = AccountSchema.parse(await created.json())
  const first = await server.createWorkshop({ account: 'Keep Co', title: 'Q1' })
  const board = await openBoard(server, first.id, 'stakeholders', 'Tina')
  await board.write([stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna Visible', jobTitle: CANARY })])
  board.destroy()
  // Made internal afterwards: the server moves the value into the internal part.
  const made = await api(`/${first.id}/sensitivity`, first.tokens.facilitator, { method: 'PUT', body: JSON.stringify({ fields: { 'stakeholder.jobTitle': 'internal' } }) })
  expect(made.status).toBe(200)
  expect((await api(`/${first.id}/snapshots`, first.tokens.facilitator, { method: 'POST', body: '{}' })).status).toBe(201)

  const response = await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ORG_KEY}`, ...json }, body: JSON.stringify({ title: 'Q2', start: 'last_plan' }) })
  expect(response.status).toBe(201)
  const next = registerWorkshop(CreatedWorkshopSchema.parse(await response.json()))
  const sensitivity = (await (await api(`/${next.id}/sensitivity`, next.tokens.facilitator)).json()) as { fields: Record<string, string> }
  // Only the field chosen is stored as chosen: the others follow the defaults, later ones too (review).
  expect(sensitivity.fields).toEqual({ 'stakeholder.jobTitle': 'internal' })

  await shareStakeholders(next)
  const guest = rawClient(`${server.syncUrl}/${next.id}/stakeholders?token=${next.tokens.guest}&user=user:guest-raw`)
  await guest.opened
  guest.send(syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
  await waitFor(() => heard(guest).includes('Anna Visible'), 'the guest hears the visible name')
  expect(heard(guest)).not.toContain(CANARY)
  guest.ws.close()
})

test('a board the team had kept internal stays internal in the workshop from the last plan, even one customer-facing by default (review)', async () => {
  const created = await fetch(`${server.url}/api/accounts`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ORG_KEY}`, ...json }, body: JSON.stringify({ name: 'Quiet Co', tier: 'key' }) })
  const account = AccountSchema.parse(await created.json())
  const first = await server.createWorkshop({ account: 'Quiet Co', title: 'Q1' })
  const hidden = await api(`/${first.id}/settings`, first.tokens.facilitator, { method: 'PUT', body: JSON.stringify({ customerFacing: { actions: false } }) })
  expect(hidden.status).toBe(200)
  expect((await api(`/${first.id}/snapshots`, first.tokens.facilitator, { method: 'POST', body: '{}' })).status).toBe(201)
  const response = await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ORG_KEY}`, ...json }, body: JSON.stringify({ title: 'Q2', start: 'last_plan' }) })
  const next = registerWorkshop(CreatedWorkshopSchema.parse(await response.json()))
  const settings = (await (await api(`/${next.id}/settings`, next.tokens.facilitator)).json()) as { customerFacing: Record<string, boolean> }
  expect(settings.customerFacing.actions).toBe(false)
  // A blank start keeps the defaults.
  const blank = await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ORG_KEY}`, ...json }, body: JSON.stringify({ title: 'Q3' }) })
  const fresh = registerWorkshop(CreatedWorkshopSchema.parse(await blank.json()))
  expect(((await (await api(`/${fresh.id}/settings`, fresh.tokens.facilitator)).json()) as { customerFacing: Record<string, boolean> }).customerFacing.actions).toBe(true)
})
