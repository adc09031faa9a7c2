/**
 * `docs/security.md` [A20]: every REST body is capped (`MAX_REQUEST_BODY_BYTES`). A larger body,
 * even with a valid token, is answered 413 with the JSON error shape, whether it announces its
 * length or is sent in chunks, and nothing changes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiErrorSchema, WorkshopSchema } from '../../shared/api.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

const LIMIT = 4096
let server: TestServer
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer({ maxRequestBodyBytes: LIMIT })
  workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27 planning', timeZone: 'Europe/Berlin' })
})

afterAll(async () => {
  await server?.close()
})

const facilitator = () => ({ authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' })

async function expect413(response: Response): Promise<void> {
  expect(response.status).toBe(413)
  // The unread rest of the body makes the connection unusable: the client must not reuse it.
  expect(response.headers.get('connection')).toBe('close')
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('payload_too_large')
}

test('a body over the limit with a valid facilitator token → 413, and the workshop is unchanged', async () => {
  const body = JSON.stringify({ timeZone: 'America/New_York', padding: 'x'.repeat(LIMIT) })
  await expect413(await fetch(`${server.url}/api/workshops/${workshop.id}`, { method: 'PATCH', headers: facilitator(), body }))
  const stored = await server.store.getWorkshop(workshop.id)
  expect(stored?.timeZone).toBe('Europe/Berlin')
})

test('a chunked body without a length is cut off at the limit → 413, no snapshot stored', async () => {
  const chunk = new TextEncoder().encode(`{"label":"${'y'.repeat(1024)}`)
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      // 64 KiB in all, far over the limit; the server stops reading at the limit.
      if (sent++ < 64) controller.enqueue(chunk)
      else controller.close()
    },
  })
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: facilitator(),
    body: stream,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' }) // Node's fetch needs duplex for a stream body
  await expect413(response)
  const list = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { headers: facilitator() })
  expect(SnapshotListSchema.parse(await list.json()).snapshots).toEqual([])
})

test('the organisation-key routes are capped too', async () => {
  const response = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { authorization: 'Bearer keyplan-test-organisation-key', 'content-type': 'application/json' },
    body: JSON.stringify({ account: 'A'.repeat(LIMIT), title: 'T' }),
  })
  await expect413(response)
})

test('a body under the limit is accepted', async () => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: facilitator(),
    body: JSON.stringify({ timeZone: 'America/New_York' }),
  })
  expect(response.status).toBe(200)
  expect(WorkshopSchema.parse(await response.json()).timeZone).toBe('America/New_York')
})
