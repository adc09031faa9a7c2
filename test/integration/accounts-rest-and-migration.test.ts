/**
 * Accounts (issue 16, docs/accounts.md [K1]–[K5]): created, listed, read, changed and archived with
 * the organisation key only; bad bodies 400, unknown ids 404, taken names 409, and nothing changes
 * then. Workshops stored before accounts existed are filed under accounts by their account name,
 * without losing a row ([K2]), from a database made with the migrations of the code before.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AccountListSchema, AccountOverviewSchema, AccountSchema, AccountWorkshopListSchema } from '../../shared/accounts.ts'
import { ApiErrorSchema } from '../../shared/api.ts'
import { DATABASE_FILE, MIGRATIONS, SqliteStore } from '../../server/store/SqliteStore.ts'
import { startServer, tempDataDir, TEST_ORG_KEY, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

function api(pathname: string, init: { method?: string; body?: unknown; key?: string | null; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {}
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? TEST_ORG_KEY}`
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json'
  return fetch(`${server.url}/api/accounts${pathname.replace(/^\/(?=$|\?)/, "")}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  })
}

async function errorCode(response: Response): Promise<string> {
  return ApiErrorSchema.parse(await response.json()).error.code
}

describe('accounts REST [K1]-[K5]', () => {
  test('create, get, list and update an account with its profile and criteria', async () => {
    const created = await api('/', {
      method: 'POST',
      body: { name: ' Initech ', tier: 'strategic', keyAccountManager: 'Dana', executiveSponsor: 'Lee', segment: 'Banking', criteria: { annualRevenue: 5, growthPotential: 4 } },
    })
    expect(created.status).toBe(201)
    const account = AccountSchema.parse(await created.json())
    expect(account).toMatchObject({ name: 'Initech', tier: 'strategic', keyAccountManager: 'Dana', segment: 'Banking' })
    expect(account.criteria).toEqual({ annualRevenue: 5, profitability: null, growthPotential: 4, strategicImportance: null, relativeStrength: null })

    const patched = await api(`/${account.id}`, { method: 'PATCH', body: { criteria: { relativeStrength: 2 }, tier: 'key' } })
    expect(patched.status).toBe(200)
    const overview = AccountOverviewSchema.parse(await patched.json())
    // [K3] criteria merge: the ones not sent keep their score.
    expect(overview.criteria).toMatchObject({ annualRevenue: 5, growthPotential: 4, relativeStrength: 2 })
    expect(overview.selection).toMatchObject({ attractiveness: 4.5, strength: 2, quadrant: 'develop', mismatch: null })

    const list = AccountListSchema.parse(await (await api('/')).json())
    expect(list.accounts.map((a) => a.name)).toContain('Initech')
  })

  test('[K4] only the organisation key: none 401, a workshop token 401', async () => {
    const workshop = await server.createWorkshop({ account: 'Token Corp', title: 'T' })
    expect((await api('/', { key: null })).status).toBe(401)
    expect((await api('/', { key: workshop.tokens.facilitator })).status).toBe(401)
    expect((await api('/', { method: 'POST', key: workshop.tokens.facilitator, body: { name: 'X' } })).status).toBe(401)
  })

  test('bad bodies 400/415, taken names 409, unknown ids 404, and nothing changes', async () => {
    const before = AccountListSchema.parse(await (await api('/')).json()).accounts.length
    for (const body of [{}, { name: '' }, { name: 'A', tier: 'gold' }, { name: 'A', criteria: { growthPotential: 6 } }, { name: 'A', extra: 1 }]) {
      const response = await api('/', { method: 'POST', body })
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(await errorCode(response)).toBe('invalid_body')
    }
    expect((await api('/', { method: 'POST', body: '{nope' })).status).toBe(400)
    expect((await api('/', { method: 'POST', body: 'name=A', contentType: 'text/plain' })).status).toBe(415)
    await api('/', { method: 'POST', body: { name: 'Umbrella' } })
    const taken = await api('/', { method: 'POST', body: { name: 'UMBRELLA' } })
    expect(taken.status).toBe(409)
    const takenError = ApiErrorSchema.parse(await taken.json()).error
    expect(takenError.code).toBe('account_exists')
    // The message names the account as it is stored, not as the request spelled it.
    expect(takenError.message).toBe('an account named "Umbrella" exists')
    expect(AccountListSchema.parse(await (await api('/')).json()).accounts.length).toBe(before + 1)

    expect((await api('/unknown-account-id')).status).toBe(404)
    expect((await api('/unknown-account-id', { method: 'PATCH', body: { tier: 'key' } })).status).toBe(404)
    expect((await api('/bad!id')).status).toBe(400)
    const umbrella = AccountListSchema.parse(await (await api('/')).json()).accounts.find((a) => a.name === 'Umbrella')
    expect((await api(`/${umbrella?.id}`, { method: 'PATCH', body: {} })).status).toBe(400)
  })

  test('[K2] a workshop created by account name joins that account; renaming the account renames it in its workshops', async () => {
    const first = await server.createWorkshop({ account: 'Hooli', title: 'FY27' })
    const second = await server.createWorkshop({ account: 'hooli ', title: 'FY28' })
    const hooli = AccountListSchema.parse(await (await api('/')).json()).accounts.find((a) => a.name === 'Hooli')
    expect(hooli?.workshops).toBe(2)
    const workshops = AccountWorkshopListSchema.parse(await (await api(`/${hooli?.id}/workshops`)).json()).workshops
    expect(workshops.map((w) => w.id)).toEqual([second.id, first.id])

    expect((await api(`/${hooli?.id}`, { method: 'PATCH', body: { name: 'Hooli XYZ' } })).status).toBe(200)
    const workshop = await fetch(`${server.url}/api/workshops/${first.id}`, { headers: { authorization: `Bearer ${TEST_ORG_KEY}` } })
    expect(((await workshop.json()) as { account: string }).account).toBe('Hooli XYZ')
  })

  test('[K2] runs of spaces in an account name are one space: a workshop moved to "INITECH   corp" stays in "Initech Corp", spelled so, no look-alike account made', async () => {
    const workshop = await server.createWorkshop({ account: 'Initech Corp', title: 'FY27' })
    const other = await server.createWorkshop({ account: 'initech\u00a0 corp', title: 'FY28' })
    // It carries the account's own spelling (QA q27c: the typed one showed in its header and exports).
    expect(other.account).toBe('Initech Corp')
    const moved = await fetch(`${server.url}/api/workshops/${workshop.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'INITECH   corp' }),
    })
    expect(moved.status).toBe(200)
    expect(((await moved.json()) as { account: string }).account).toBe('Initech Corp')
    const named = AccountListSchema.parse(await (await api('/')).json()).accounts.filter((a) => a.name.toLowerCase().replace(/\s+/gu, ' ') === 'initech corp')
    expect(named.map((a) => [a.name, a.workshops])).toEqual([['Initech Corp', 2]])
    // An account created or renamed with runs of spaces is stored with one.
    const created = await api('/', { method: 'POST', body: { name: 'Umbrella    Health' } })
    expect(AccountSchema.parse(await created.json()).name).toBe('Umbrella Health')
    expect((await api('/', { method: 'POST', body: { name: 'umbrella health' } })).status).toBe(409)
  })

  test('[K1] names match ignoring case in every script, not only A–Z: "électricité test" files under "Électricité Test" (QA q28c)', async () => {
    const first = await server.createWorkshop({ account: 'Électricité Test', title: 'FY27' })
    const second = await server.createWorkshop({ account: 'électricité test', title: 'FY28' })
    const third = await server.createWorkshop({ account: 'ÉLECTRICITÉ  TEST', title: 'FY29' })
    expect([second.account, third.account]).toEqual(['Électricité Test', 'Électricité Test'])
    const named = AccountListSchema.parse(await (await api('/')).json()).accounts.filter((a) => a.name.toLowerCase() === 'électricité test')
    expect(named.map((a) => [a.name, a.workshops])).toEqual([['Électricité Test', 3]])
    expect(first.account).toBe('Électricité Test')
    // Creating or renaming onto such a name is taken (409), not a look-alike account.
    expect((await api('/', { method: 'POST', body: { name: 'Österreich Bahn' } })).status).toBe(201)
    expect((await api('/', { method: 'POST', body: { name: 'österreich bahn' } })).status).toBe(409)
  })

  test('[K1] archive hides an account from the portfolio and lists it with ?archived=true; it takes no new workshop', async () => {
    const account = AccountSchema.parse(await (await api('/', { method: 'POST', body: { name: 'Soylent' } })).json())
    expect((await api(`/${account.id}`, { method: 'PATCH', body: { archived: true } })).status).toBe(200)
    expect(AccountListSchema.parse(await (await api('/')).json()).accounts.map((a) => a.id)).not.toContain(account.id)
    expect(AccountListSchema.parse(await (await api('/?archived=true')).json()).accounts.map((a) => a.id)).toContain(account.id)
    const refused = await api(`/${account.id}/workshops`, { method: 'POST', body: { title: 'Q1' } })
    expect(refused.status).toBe(409)
    expect(await errorCode(refused)).toBe('account_archived')
    // Nor through the lobby's form (a workshop created under its name), nor by moving a workshop to it.
    const orgKey = { authorization: `Bearer ${TEST_ORG_KEY}`, 'content-type': 'application/json' }
    const created = await fetch(`${server.url}/api/workshops`, { method: 'POST', headers: orgKey, body: JSON.stringify({ account: 'soylent', title: 'Q2' }) })
    expect(created.status).toBe(409)
    expect(await errorCode(created)).toBe('account_archived')
    const other = await server.createWorkshop({ account: 'Tyrell', title: 'Q2' })
    const moveTo = (workshopId: string, token: string, body: object) =>
      fetch(`${server.url}/api/workshops/${workshopId}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const moved = await moveTo(other.id, other.tokens.facilitator, { account: 'SOYLENT', title: 'Q3' })
    expect(moved.status).toBe(409)
    expect(await errorCode(moved)).toBe('account_archived')
    expect(((await (await fetch(`${server.url}/api/workshops/${other.id}`, { headers: orgKey })).json()) as { account: string; title: string })).toMatchObject({ account: 'Tyrell', title: 'Q2' })
    expect(AccountListSchema.parse(await (await api('/?archived=true')).json()).accounts.find((a) => a.id === account.id)?.workshops).toBe(0)
    expect((await api(`/${account.id}`, { method: 'PATCH', body: { archived: false } })).status).toBe(200)
    expect(AccountListSchema.parse(await (await api('/')).json()).accounts.map((a) => a.id)).toContain(account.id)
    expect((await moveTo(other.id, other.tokens.facilitator, { account: 'Soylent' })).status).toBe(200)
  })

  test('[K1] a workshop of an archived account can still be renamed and keep its account', async () => {
    const workshop = await server.createWorkshop({ account: 'Wonka Industries', title: 'FY27' })
    const [account] = AccountListSchema.parse(await (await api('/')).json()).accounts.filter((a) => a.name === 'Wonka Industries')
    if (!account) throw new Error('no account')
    expect((await api(`/${account.id}`, { method: 'PATCH', body: { archived: true } })).status).toBe(200)
    const renamed = await fetch(`${server.url}/api/workshops/${workshop.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'wonka industries', title: 'FY27 (final)' }),
    })
    expect(renamed.status).toBe(200)
  })
})

describe('[K2] migration of workshops stored before accounts', () => {
  test('workshops are filed under one account per name (ignoring case and spaces), every row kept', async () => {
    const dataDir = tempDataDir()
    // The database as the code before issue 16 left it: its seven migrations, then rows.
    const db = new Database(path.join(dataDir, DATABASE_FILE))
    for (const sql of MIGRATIONS.slice(0, 7)) db.exec(sql)
    db.pragma('user_version = 7')
    const insert = db.prepare('INSERT INTO workshops (id, account, title, created_at) VALUES (?, ?, ?, ?)')
    insert.run('w-acme-one', 'Acme Corp', 'FY26', '2026-01-01T00:00:00.000Z')
    insert.run('w-acme-two', ' acme corp', 'FY27', '2026-06-01T00:00:00.000Z')
    insert.run('w-globex', 'Globex', 'Kick-off', '2026-03-01T00:00:00.000Z')
    db.exec(`INSERT INTO doc_updates (doc, data) VALUES ('w-acme-one/swot', x'00')`)
    db.close()

    const store = new SqliteStore(dataDir)
    try {
      const accounts = await store.listAccounts()
      expect(accounts.map((a) => a.name)).toEqual(['Acme Corp', 'Globex'])
      const acme = accounts[0]
      expect(acme?.tier).toBe('key')
      expect(acme?.createdAt).toBe('2026-01-01T00:00:00.000Z')
      expect((await store.listAccountWorkshops(acme?.id ?? '')).map((w) => w.id)).toEqual(['w-acme-two', 'w-acme-one'])
      // The workshops' own texts and their boards are as they were.
      expect((await store.getWorkshop('w-acme-two'))?.account).toBe(' acme corp')
      expect((await store.listWorkshops()).length).toBe(3)
      expect((await store.loadDocument('w-acme-one/swot')).updates.length).toBe(1)
    } finally {
      await store.close()
    }
  })
})
