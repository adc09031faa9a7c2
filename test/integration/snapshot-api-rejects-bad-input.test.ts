/**
 * The snapshot API answers invalid bodies, params and queries with 400 (415 for a non-JSON body),
 * unknown workshops, snapshots and boards with 404, always as `{ error: { code, message } }`, and
 * a rejected request stores nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiErrorSchema, type Workshop } from '../../shared/api.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: Workshop
let other: Workshop
let snapshot: PlanRecord

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAA'

const request = (path: string, init?: RequestInit) => fetch(`${server.url}/api/workshops/${path}`, init)
const postJson = (path: string, body: string, type = 'application/json') =>
  request(path, { method: 'POST', headers: { 'content-type': type }, body })

/** A genuine token of the workshop that does not exist: without one the answer is 401 ([A1]). */
const unknownWorkshopAuth = async () => ({ authorization: `Bearer ${await server.mintToken(UNKNOWN_ID, 'facilitator')}` })

async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe(code)
}

async function snapshotCount(workshopId: string): Promise<number> {
  return SnapshotListSchema.parse(await (await request(`${workshopId}/snapshots`)).json()).snapshots.length
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  other = await server.createWorkshop()
  snapshot = PlanRecordSchema.parse(await (await postJson(`${workshop.id}/snapshots`, '{}')).json())
})

afterAll(() => server?.close())

describe('POST /snapshots', () => {
  test.each([
    ['a label that is not a string', '{"label":42}', 400, 'invalid_body'],
    ['a label over 200 characters', JSON.stringify({ label: 'x'.repeat(201) }), 400, 'invalid_body'],
    ['an unknown field', '{"lable":"typo"}', 400, 'invalid_body'],
    ['an array', '[]', 400, 'invalid_body'],
    ['malformed JSON', '{"label":', 400, 'invalid_json'],
  ])('%s → %i %s, nothing stored', async (_name, body, status, code) => {
    await expectError(await postJson(`${workshop.id}/snapshots`, body), status, code)
    expect(await snapshotCount(workshop.id)).toBe(1)
  })

  test('a body that is not JSON → 415', async () => {
    await expectError(await postJson(`${workshop.id}/snapshots`, 'label=x', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type')
    expect(await snapshotCount(workshop.id)).toBe(1)
  })

  test('an unknown workshop → 404, a malformed workshop id → 400', async () => {
    const post = { method: 'POST', headers: { 'content-type': 'application/json', ...(await unknownWorkshopAuth()) }, body: '{}' }
    await expectError(await request(`${UNKNOWN_ID}/snapshots`, post), 404, 'not_found')
    await expectError(await postJson('bad.id/snapshots', '{}'), 400, 'invalid_param')
  })

  test('an empty label means no label', async () => {
    const record = PlanRecordSchema.parse(await (await postJson(`${other.id}/snapshots`, '{"label":"   "}')).json())
    expect(record.label).toBeNull()
  })
})

describe('reading snapshots', () => {
  test('unknown snapshot → 404; one of another workshop → 404; malformed id → 400', async () => {
    await expectError(await request(`${workshop.id}/snapshots/${UNKNOWN_ID}`), 404, 'not_found')
    await expectError(await request(`${other.id}/snapshots/${snapshot.id}`), 404, 'not_found')
    await expectError(await request(`${workshop.id}/snapshots/no!`), 400, 'invalid_param')
    await expectError(await request(`${UNKNOWN_ID}/snapshots`, { headers: await unknownWorkshopAuth() }), 404, 'not_found')
  })

  test('an unknown format → 400', async () => {
    await expectError(await request(`${workshop.id}/snapshots/${snapshot.id}?format=docx`), 400, 'invalid_query')
  })

  test('exports and boards of unknown snapshots → 404; an unknown board → 400', async () => {
    await expectError(await request(`${workshop.id}/snapshots/${UNKNOWN_ID}/actions.csv`), 404, 'not_found')
    await expectError(await request(`${workshop.id}/snapshots/${UNKNOWN_ID}/stakeholders.csv`), 404, 'not_found')
    await expectError(await request(`${workshop.id}/snapshots/${UNKNOWN_ID}/boards/swot`), 404, 'not_found')
    await expectError(await request(`${workshop.id}/snapshots/${snapshot.id}/boards/kanban`), 400, 'invalid_param')
    await expectError(await request(`${workshop.id}/snapshots/${snapshot.id}/diff/${UNKNOWN_ID}`), 404, 'not_found')
  })
})

describe('POST /snapshots/:sid/restore', () => {
  test.each([
    ['no board', '{}'],
    ['an unknown board', '{"board":"kanban"}'],
    ['an extra field', '{"board":"swot","force":true}'],
  ])('%s → 400, nothing stored', async (_name, body) => {
    await expectError(await postJson(`${workshop.id}/snapshots/${snapshot.id}/restore`, body), 400, 'invalid_body')
    expect(await snapshotCount(workshop.id)).toBe(1)
  })

  test('an unknown snapshot, or one of another workshop → 404, and no before_restore snapshot', async () => {
    await expectError(await postJson(`${workshop.id}/snapshots/${UNKNOWN_ID}/restore`, '{"board":"swot"}'), 404, 'not_found')
    await expectError(await postJson(`${other.id}/snapshots/${snapshot.id}/restore`, '{"board":"swot"}'), 404, 'not_found')
    expect(await snapshotCount(workshop.id)).toBe(1)
  })
})
