/**
 * [S20] / `docs/security.md` [A1], [A5], [A6]: the snapshot routes behind the real token guards
 * (`server/auth/middleware.ts`). Every route needs a token of the workshop; only the facilitator
 * takes snapshots and restores; a guest's plan, list counts, diff, exports and boards hold only
 * customer-facing sections (absent, not blanked). The workshop's boards are written by real
 * y-websocket clients on the real server; the routes are mounted with the guards on an app of
 * their own until `createServer` wires tokens in.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiErrorSchema, type Workshop } from '../../shared/api.ts'
import { DEFAULT_CUSTOMER_FACING } from '../../shared/boards.ts'
import { PlanRecordSchema, PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import type { Role } from '../../shared/roles.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { HttpError, errorResponse } from '../../server/api/errors.ts'
import { snapshotRoutes } from '../../server/api/snapshots.ts'
import { authGuards } from '../../server/auth/middleware.ts'
import { RateLimiter, addressKey } from '../../server/auth/rateLimit.ts'
import { newClaims, signToken, singleKey } from '../../server/auth/tokens.ts'
import type { BoardClient } from '../helpers/boardClients.ts'
import { MemoryAccessStore } from '../helpers/memoryAccessStore.ts'
import { withProps, openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
let workshop: Workshop
let other: Workshop
let boards: Record<'swot' | 'stakeholders' | 'actions', BoardClient>
let older: PlanRecord
let newer: PlanRecord
const access = new MemoryAccessStore()
const tokenKeys = singleKey(randomBytes(32))
let app: Hono

const token = (role: Role, workshopId = workshop.id) => signToken(tokenKeys, newClaims({ workshopId, role, gen: 0, ttlSeconds: 3600 }))

async function call(path: string, role: Role | null, init: RequestInit = {}, workshopId = workshop.id): Promise<Response> {
  return app.request(`http://keyplan.test/api/workshops/${workshopId}${path}`, {
    ...init,
    headers: {
      ...(role ? { authorization: `Bearer ${await token(role, workshopId)}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  })
}

async function errorCode(response: Response): Promise<string> {
  return ApiErrorSchema.parse(await response.json()).error.code
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  other = await server.createWorkshop()
  access.add(workshop.id)
  access.add(other.id)
  app = new Hono()
  app.onError((error, c) => (error instanceof HttpError ? errorResponse(c, error.status, error.code, error.message) : errorResponse(c, 500, 'internal', String(error))))
  const guards = authGuards({ orgKey: 'org-key-for-tests-0123456789', tokenKeys, access, failures: new RateLimiter({ limit: 1000, windowMs: 60_000, maxKeys: 100 }) })
  app.route('/api/workshops', snapshotRoutes({ store: server.store, snapshots: server.server.snapshots, guards }))

  boards = await openSampleBoards(server, workshop.id)
  older = PlanRecordSchema.parse(await (await call('/snapshots', 'facilitator', { method: 'POST', body: '{}' })).json())
  await boards.stakeholders.write([withProps(boards.stakeholders, 'shape:ceo', { attitude: 'blocker' })])
  await boards.actions.write([withProps(boards.actions, 'shape:a1', { status: 'done' })])
  newer = PlanRecordSchema.parse(await (await call('/snapshots', 'facilitator', { method: 'POST', body: '{}' })).json())
})

afterAll(async () => {
  for (const client of Object.values(boards ?? {})) client.destroy()
  await server?.close()
})

describe('tokens and roles', () => {
  test('no token, or a token of another workshop → 401', async () => {
    expect((await call('/snapshots', null)).status).toBe(401)
    const response = await app.request(`http://keyplan.test/api/workshops/${workshop.id}/snapshots`, {
      headers: { authorization: `Bearer ${await token('facilitator', other.id)}` },
    })
    expect(response.status).toBe(401)
  })

  test('a failed token check counts once towards the rate limit ([A10])', async () => {
    const failures = new RateLimiter({ limit: 2, windowMs: 60_000, maxKeys: 10 })
    const guarded = new Hono()
    guarded.onError((error, c) => (error instanceof HttpError ? errorResponse(c, error.status, error.code, error.message) : errorResponse(c, 500, 'internal', String(error))))
    guarded.route('/api/workshops', snapshotRoutes({ store: server.store, snapshots: server.server.snapshots, guards: authGuards({ orgKey: 'org-key-for-tests-0123456789', tokenKeys, access, failures }) }))
    expect((await guarded.request(`http://keyplan.test/api/workshops/${workshop.id}/snapshots`)).status).toBe(401)
    expect(await failures.isLimited(addressKey(undefined))).toBe(false)
    expect((await guarded.request(`http://keyplan.test/api/workshops/${workshop.id}/snapshots`)).status).toBe(401)
    expect((await guarded.request(`http://keyplan.test/api/workshops/${workshop.id}/snapshots`)).status).toBe(429)
  })

  test.each(['team', 'viewer', 'guest'] as const)('%s may not take snapshots or restore (403), and nothing is stored', async (role) => {
    const before = SnapshotListSchema.parse(await (await call('/snapshots', 'facilitator')).json()).snapshots.length
    const take = await call('/snapshots', role, { method: 'POST', body: '{}' })
    expect(take.status).toBe(403)
    expect(await errorCode(take)).toBe('forbidden')
    const restore = await call(`/snapshots/${older.id}/restore`, role, { method: 'POST', body: '{"board":"actions"}' })
    expect(restore.status).toBe(403)
    expect(SnapshotListSchema.parse(await (await call('/snapshots', 'facilitator')).json()).snapshots).toHaveLength(before)
  })

  test('team and viewer read the whole plan', async () => {
    for (const role of ['team', 'viewer'] as const) {
      expect(PlanRecordSchema.parse(await (await call(`/snapshots/${newer.id}`, role)).json())).toEqual(newer)
    }
  })
})

describe('a customer guest', () => {
  test('gets the plan without the internal sections (absent, not empty)', async () => {
    expect(DEFAULT_CUSTOMER_FACING).toEqual({ swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false })
    const view = PlanViewSchema.parse(await (await call(`/snapshots/${newer.id}`, 'guest')).json())
    expect(Object.keys(view)).not.toContain('swot')
    expect(Object.keys(view)).not.toContain('stakeholders')
    expect(Object.keys(view)).not.toContain('relationships')
    expect(view.actions?.map((a) => a.title)).toEqual(['Send proposal', 'Book exec meeting'])
  })

  test('sees list counts of customer-facing sections only', async () => {
    const list = SnapshotListSchema.parse(await (await call('/snapshots', 'guest')).json())
    const entry = list.snapshots.find((s) => s.id === newer.id)
    expect(entry?.counts).toMatchObject({ strengths: 0, threats: 0, unsorted: 0, stakeholders: 0, relationships: 0, actions: 2 })
  })

  test('gets a diff without internal sections', async () => {
    const diff = PlanDiffSchema.parse(await (await call(`/snapshots/${newer.id}/diff/${older.id}`, 'guest')).json())
    expect(diff.swot).toBeUndefined()
    expect(diff.stakeholders).toBeUndefined()
    expect(diff.actions?.changed.map((c) => c.changes)).toEqual([[{ field: 'status', before: 'open', after: 'done' }]])
    const full = PlanDiffSchema.parse(await (await call(`/snapshots/${newer.id}/diff/${older.id}`, 'team')).json())
    expect(full.stakeholders?.changed.map((c) => c.changes)).toEqual([[{ field: 'attitude', before: 'neutral', after: 'blocker' }]])
  })

  test('gets exports without internal content', async () => {
    const markdown = await (await call(`/snapshots/${newer.id}?format=md`, 'guest')).text()
    expect(markdown).toContain('Send proposal')
    for (const internal of ['Strong brand', 'Dana Ortiz', 'blocker', 'Blocker']) expect(markdown).not.toContain(internal)
    expect((await call(`/snapshots/${newer.id}/actions.csv`, 'guest')).status).toBe(200)
    const stakeholders = await call(`/snapshots/${newer.id}/stakeholders.csv`, 'guest')
    expect(stakeholders.status).toBe(403)
    expect(await stakeholders.text()).not.toContain('Dana')
  })

  test('may open customer-facing boards of a snapshot only', async () => {
    expect((await call(`/snapshots/${newer.id}/boards/actions`, 'guest')).status).toBe(200)
    const swot = await call(`/snapshots/${newer.id}/boards/swot`, 'guest')
    expect(swot.status).toBe(403)
    expect(await swot.text()).not.toContain('Strong brand')
  })

  test('does not see a board of a snapshot taken while it was internal, even once it is customer-facing ([A17])', async () => {
    await access.setCustomerFacing(workshop.id, { swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
    const view = PlanViewSchema.parse(await (await call(`/snapshots/${newer.id}`, 'guest')).json())
    expect(view.swot).toBeUndefined()
    expect(view.stakeholders).toBeUndefined()
    await access.setCustomerFacing(workshop.id, { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false })
  })
})

test('the facilitator restores through the guarded route', async () => {
  const response = await call(`/snapshots/${older.id}/restore`, 'facilitator', { method: 'POST', body: '{"board":"actions"}' })
  expect(response.status).toBe(200)
  expect(await errorCode(await call(`/snapshots/${older.id}/restore`, 'team', { method: 'POST', body: '{"board":"actions"}' }))).toBe('forbidden')
})
