/**
 * A renamed workshop reaches its open pages (docs/server-rules.md [C13]): once the rename is
 * stored, every control socket of the workshop, whatever its role, is told to read the workshop
 * again, and what it reads is the new name; pages of other workshops hear nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openControl } from '../helpers/controlClient.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let other: TestWorkshop

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'Plan' })
  other = await server.createWorkshop({ account: 'Contoso', title: 'Other plan' })
})
afterAll(() => server.close())

it('[C13] tells every page of the workshop to read it again once a rename is stored', async () => {
  const fran = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fran')
  const tom = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
  const gina = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
  const elsewhere = await openControl(server, other.id, other.tokens.team, 'Olga')

  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'FY27 plan', account: 'Northwind Logistics' }),
  })
  expect(response.status).toBe(200)
  for (const page of [fran, tom, gina]) await page.next('workshop')

  // What a page reads then, with its own token, is the new name.
  const read = await fetch(`${server.url}/api/workshops/${workshop.id}`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
  expect(await read.json()).toMatchObject({ title: 'FY27 plan', account: 'Northwind Logistics' })

  // The other workshop's page was told nothing (its welcome and state came before the rename).
  elsewhere.send({ type: 'presence', board: 'swot' })
  await elsewhere.next('participants', (m) => m.participants.some((p) => p.where === 'swot'))
  expect(elsewhere.messages.some((m) => m.type === 'workshop')).toBe(false)
  for (const page of [fran, tom, gina, elsewhere]) page.close()
})
