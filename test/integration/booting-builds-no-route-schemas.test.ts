// The route and storage schemas (plan, accounts, API bodies, snapshots, control, history) cost
// heap as soon as they are built, so the server builds them on first use (shared/lazySchema.ts,
// docs/sync-server-targets.md "Memory"). This file runs in its own module graph: nothing but the
// server's boot and the requests below can have built one.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { lazySchemaCounts } from '../../shared/lazySchema.ts'
import { TEST_ORG_KEY, startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
let afterBoot: ReturnType<typeof lazySchemaCounts>
beforeAll(async () => {
  server = await startServer()
  afterBoot = lazySchemaCounts()
})
afterAll(() => server.close())

test('a booted server has built none of its route schemas', () => {
  // The plan, account, API, snapshot, control and history modules all load at boot.
  expect(afterBoot.declared).toBeGreaterThan(80)
  expect(afterBoot.built).toBe(0)
})

test('a request builds the schemas it validates with, and they validate as before', async () => {
  const post = (body: unknown) =>
    fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ORG_KEY}` },
      body: JSON.stringify(body),
    })
  const refused = await post({ account: '  ', title: 'FY27' })
  expect(refused.status).toBe(400)
  expect(lazySchemaCounts().built).toBeGreaterThan(0)
  const created = await post({ account: 'Acme', title: 'FY27' })
  expect(created.status).toBe(201)
  // The plan's schemas are for snapshots, exports and diffs, not for making a workshop.
  expect(lazySchemaCounts().built).toBeLessThan(afterBoot.declared / 4)
})

test('the plan JSON Schema is built on its first request and served whole', async () => {
  const response = await fetch(`${server.url}/api/schema/plan.json`)
  expect(response.status).toBe(200)
  const schema = (await response.json()) as { properties: Record<string, { description?: string }> }
  expect(Object.keys(schema.properties)).toContain('stakeholders')
  expect(schema.properties.votes?.description).toBe('Revealed dot votes, oldest first, each with its items ranked by votes')
})
