import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiErrorSchema, WorkshopListSchema, WorkshopSchema } from '../../shared/api.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import { TEST_ORG_KEY, startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const orgKey = { authorization: `Bearer ${TEST_ORG_KEY}` }
const post = (body: string, contentType = 'application/json') =>
  fetch(`${server.url}/api/workshops`, { method: 'POST', headers: { 'content-type': contentType, ...orgKey }, body })

test('health answers 200 JSON', async () => {
  const response = await fetch(`${server.url}/api/health`)
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ status: 'ok' })
})

test('create, get and list workshops (newest first)', async () => {
  const first = await post(JSON.stringify({ account: '  Acme Corp ', title: 'FY27 planning' }))
  expect(first.status).toBe(201)
  const created = WorkshopSchema.parse(await first.json())
  expect(created.account).toBe('Acme Corp')
  expect(created.id).toMatch(/^[A-Za-z0-9_-]{12,}$/)
  expect(created.boards.map((b) => b.id)).toEqual([...BOARD_IDS])
  const second = WorkshopSchema.parse(await (await post(JSON.stringify({ account: 'Globex', title: 'QBR' }))).json())

  const got = await fetch(`${server.url}/api/workshops/${created.id}`, { headers: orgKey })
  expect(got.status).toBe(200)
  expect(WorkshopSchema.parse(await got.json())).toEqual(created)

  const list = WorkshopListSchema.parse(await (await fetch(`${server.url}/api/workshops`, { headers: orgKey })).json())
  expect(list.workshops.map((w) => w.id).slice(0, 2)).toEqual([second.id, created.id])
})

test('a workshop keeps the time zone it was created with, in its canonical spelling; UTC without one [P9]', async () => {
  const berlin = WorkshopSchema.parse(await (await post(JSON.stringify({ account: 'a', title: 't', timeZone: ' europe/berlin ' }))).json())
  expect(berlin.timeZone).toBe('Europe/Berlin')
  const got = WorkshopSchema.parse(await (await fetch(`${server.url}/api/workshops/${berlin.id}`, { headers: orgKey })).json())
  expect(got.timeZone).toBe('Europe/Berlin')
  const plain = WorkshopSchema.parse(await (await post(JSON.stringify({ account: 'a', title: 't' }))).json())
  expect(plain.timeZone).toBe('UTC')
})

test.each([
  ['missing fields', '{}', 400, 'invalid_body'],
  ['empty account after trimming', JSON.stringify({ account: '   ', title: 'x' }), 400, 'invalid_body'],
  ['wrong types', JSON.stringify({ account: 1, title: ['x'] }), 400, 'invalid_body'],
  ['a too long title', JSON.stringify({ account: 'a', title: 'x'.repeat(201) }), 400, 'invalid_body'],
  ['not an object', '[]', 400, 'invalid_body'],
  ['an unknown time zone', JSON.stringify({ account: 'a', title: 't', timeZone: 'Mars/Olympus_Mons' }), 400, 'invalid_body'],
  ['an empty time zone', JSON.stringify({ account: 'a', title: 't', timeZone: '  ' }), 400, 'invalid_body'],
  ['a time zone that is not a string', JSON.stringify({ account: 'a', title: 't', timeZone: 60 }), 400, 'invalid_body'],
  ['malformed JSON', '{"account": ', 400, 'invalid_json'],
])('POST with %s answers %i %s and stores nothing', async (_name, body, status, code) => {
  const before = await server.store.listWorkshops()
  const response = await post(body)
  expect(response.status).toBe(status)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe(code)
  expect(await server.store.listWorkshops()).toEqual(before)
})

test('POST with a misspelt field answers 400 naming it, and stores nothing (QA q28c: it was ignored)', async () => {
  const before = await server.store.listWorkshops()
  const response = await post(JSON.stringify({ account: 'a', title: 't', timezone: 'Europe/Berlin' }))
  expect(response.status).toBe(400)
  const { error } = ApiErrorSchema.parse(await response.json())
  expect(error.code).toBe('invalid_body')
  expect(error.message).toContain('timezone')
  expect(await server.store.listWorkshops()).toEqual(before)
})

test('POST with a non-JSON content type answers 415', async () => {
  const response = await post('account=a&title=b', 'application/x-www-form-urlencoded')
  expect(response.status).toBe(415)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('unsupported_media_type')
})

test.each(['nosuchworkshop1', 'bad%20id'])('GET an unknown workshop id (%s) answers 404', async (id) => {
  const response = await fetch(`${server.url}/api/workshops/${id}`, { headers: orgKey })
  expect(response.status).toBe(404)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('not_found')
})

test('an unknown API route answers a JSON 404', async () => {
  const response = await fetch(`${server.url}/api/nope`)
  expect(response.status).toBe(404)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('not_found')
})
