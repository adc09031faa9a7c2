/**
 * `GET /api/workshops/:id/account-name?name=` (QA q35b 3): before a facilitator files a workshop
 * under another account, the Share panel asks which account that name is. An existing account
 * answers with its own spelling ([K2]: case and runs of spaces ignored), an archived one says so,
 * and any other name is a new account. Facilitators only; a name that is no account name is a 400.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { AccountSchema } from '../../shared/accounts.ts'
import { AccountNameMatchSchema } from '../../shared/api.ts'
import { startServer, TEST_ORG_KEY, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 plan' })
  const orgKey = { authorization: `Bearer ${TEST_ORG_KEY}`, 'content-type': 'application/json' }
  const soylent = AccountSchema.parse(await (await fetch(`${server.url}/api/accounts`, { method: 'POST', headers: orgKey, body: JSON.stringify({ name: 'Soylent' }) })).json())
  expect((await fetch(`${server.url}/api/accounts/${soylent.id}`, { method: 'PATCH', headers: orgKey, body: JSON.stringify({ archived: true }) })).status).toBe(200)
})
afterAll(() => server?.close())

const ask = (name: string, token = workshop.tokens.facilitator) =>
  fetch(`${server.url}/api/workshops/${workshop.id}/account-name?${new URLSearchParams({ name })}`, { headers: { authorization: `Bearer ${token}` } })

test('an existing account, in its own spelling; an archived one; a new one', async () => {
  expect(AccountNameMatchSchema.parse(await (await ask('northwind   LOGISTICS')).json())).toEqual({ name: 'Northwind Logistics', exists: true, archived: false })
  expect(AccountNameMatchSchema.parse(await (await ask('soylent')).json())).toEqual({ name: 'Soylent', exists: true, archived: true })
  expect(AccountNameMatchSchema.parse(await (await ask('Nortwind Logistics')).json())).toEqual({ name: 'Nortwind Logistics', exists: false, archived: false })
})

test('team and guest tokens get 403; an empty or control-character name gets 400', async () => {
  expect((await ask('Northwind', workshop.tokens.team)).status).toBe(403)
  expect((await ask('Northwind', workshop.tokens.guest)).status).toBe(403)
  for (const name of ['   ', 'North\u0007wind']) {
    const response = await ask(name)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_query' } })
  }
})
