/**
 * [A18] A snapshot's participants are everyone who took part in the workshop up to it, not only
 * those seen since the snapshot before (QA q36b, finding 9: the facilitator's named snapshot after
 * a break, with an automatic snapshot between, listed only her, though the team had built the plan
 * minutes before). A guest still reads only those seen on a board the guest may see.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server?.close()
})

test('people who left before the last two snapshots are still its participants; a guest reads those of boards it sees', async () => {
  const workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/workshops/${workshop.id}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })
  const take = async () => PlanRecordSchema.parse(await (await api('/snapshots', workshop.tokens.facilitator, { method: 'POST', body: '{}' })).json())
  const tina = await openBoard(server, workshop.id, 'swot', 'Tina Team')
  // Someone else in the room hears when Tina's presence goes with her connection.
  const watcher = await connectSynced(server.syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.team } })
  const tinaHere = () => [...watcher.provider.awareness.getStates().values()].some((state) => JSON.stringify(state).includes('Tina Team'))
  await waitFor(tinaHere, 'Tina in the room')
  await tina.write([noteIn('strengths', 'shape:brand', 'Strong brand')])
  expect((await take()).participants).toEqual(['Tina Team'])
  tina.destroy()
  await waitFor(() => !tinaHere(), 'Tina gone from the room')
  watcher.destroy()
  // A break: a snapshot with nobody there, then another.
  await take()
  const after = await take()
  expect(after.participants).toEqual(['Tina Team'])
  // The SWOT is internal: a guest reads nobody.
  const guest = await (await api(`/snapshots/${after.id}`, workshop.tokens.guest)).json()
  expect(guest.participants).toEqual([])
})
