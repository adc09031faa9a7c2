/**
 * Accounts on `DATABASE_URL` (issue 16, docs/accounts.md [K1], [K2], [K7], [K9]): the server on a
 * PostgresStore files workshops under accounts by name, renames an account into its workshops,
 * refuses a taken name, carries a plan forward, and names and deletes snapshots, as on SQLite.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { AccountListSchema, AccountSchema, AccountWorkshopListSchema } from '../../shared/accounts.ts'
import { ApiErrorSchema, CreatedWorkshopSchema } from '../../shared/api.ts'
import { PlanRecordSchema, PlanSummarySchema } from '../../shared/plan.ts'
import { createServer, type KeyplanServer } from '../../server/app.ts'
import { createLogger } from '../../server/log.ts'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { expectControlCharactersRefused } from '../helpers/controlCharacters.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { createWorkshop, facilitatorToken, registerWorkshop, TEST_ORG_KEY, testConfig, workshopFetch } from '../helpers/startServer.ts'

let postgres: PostgresCluster
let store: PostgresStore
let server: KeyplanServer
let dataDir: string
beforeAll(async () => {
  postgres = await startPostgres()
  store = await PostgresStore.open(await postgres.createDatabase())
  const config = testConfig()
  dataDir = config.dataDir
  server = await createServer(config, store, { log: createLogger(config.logLevel) })
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  await server?.close()
  await store?.close()
  await postgres?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const orgKey = { authorization: `Bearer ${TEST_ORG_KEY}` }
const json = { 'content-type': 'application/json' }

function accounts(pathname: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${server.url}/api/accounts${pathname}`, {
    method: init.method ?? 'GET',
    headers: { ...orgKey, ...json },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
}

test('[K1][K2] workshops join the account of their name; a rename reaches them; a taken name is 409', async () => {
  const first = await createWorkshop(server.url, { account: 'Hooli', title: 'FY27' })
  const second = await createWorkshop(server.url, { account: ' hooli ', title: 'FY28' })
  const hooli = AccountListSchema.parse(await (await accounts('')).json()).accounts.find((a) => a.name === 'Hooli')
  expect(hooli?.workshops).toBe(2)
  const listed = AccountWorkshopListSchema.parse(await (await accounts(`/${hooli?.id}/workshops`)).json()).workshops
  expect(listed.map((w) => w.id)).toEqual([second.id, first.id])

  expect((await accounts(`/${hooli?.id}`, { method: 'PATCH', body: { name: 'Hooli XYZ' } })).status).toBe(200)
  const workshop = await fetch(`${server.url}/api/workshops/${first.id}`, { headers: orgKey })
  expect(((await workshop.json()) as { account: string }).account).toBe('Hooli XYZ')

  const taken = await accounts('', { method: 'POST', body: { name: 'HOOLI xyz' } })
  expect(taken.status).toBe(409)
  const takenError = ApiErrorSchema.parse(await taken.json()).error
  expect(takenError.code).toBe('account_exists')
  expect(takenError.message).toBe('an account named "Hooli XYZ" exists')
  expect(AccountListSchema.parse(await (await accounts('')).json()).accounts.filter((a) => /hooli/i.test(a.name))).toHaveLength(1)
})

test('[K7][K9] a plan is carried forward from PostgreSQL; a snapshot is named in record and list, and a manual one is kept', async () => {
  const account = AccountSchema.parse(await (await accounts('', { method: 'POST', body: { name: 'Carry Co' } })).json())
  const first = await createWorkshop(server.url, { account: 'carry co', title: 'Q1' })
  const taken = await workshopFetch(`${server.url}/api/workshops/${first.id}/snapshots`, { method: 'POST', headers: json, body: JSON.stringify({ label: '' }) })
  expect(taken.status).toBe(201)
  const source = PlanRecordSchema.parse(await taken.json())

  const carried = await accounts(`/${account.id}/workshops`, { method: 'POST', body: { title: 'Q2', start: 'last_plan' } })
  expect(carried.status).toBe(201)
  const raw = (await carried.json()) as { carriedFrom: string | null }
  expect(raw.carriedFrom).toBe(source.id)
  registerWorkshop(CreatedWorkshopSchema.parse(raw))

  const snapshotUrl = `${server.url}/api/workshops/${first.id}/snapshots/${source.id}`
  const facilitator = { authorization: `Bearer ${facilitatorToken(first.id)}`, ...json }
  const named = await fetch(snapshotUrl, { method: 'PATCH', headers: facilitator, body: JSON.stringify({ label: 'Signed off' }) })
  expect(named.status).toBe(200)
  expect(PlanRecordSchema.parse(await (await workshopFetch(snapshotUrl)).json()).label).toBe('Signed off')
  const list = await workshopFetch(`${server.url}/api/workshops/${first.id}/snapshots`)
  const summaries = PlanSummarySchema.array().parse(((await list.json()) as { snapshots: unknown }).snapshots)
  expect(summaries.map((s) => s.label)).toEqual(['Signed off'])
  // A manual snapshot is kept ([K9]); nothing is deleted.
  const refused = await fetch(snapshotUrl, { method: 'DELETE', headers: facilitator })
  expect(refused.status).toBe(409)
  expect((await store.listAccountSnapshots(account.id)).map((s) => s.summary.id)).toEqual([source.id])
})

test('[K11] a NUL or other control character in a name, title or label answers 400, not 500, and stores nothing', async () => {
  for (const bad of ['\u0000', '\u001b']) await expectControlCharactersRefused(server.url, store, bad)
})
