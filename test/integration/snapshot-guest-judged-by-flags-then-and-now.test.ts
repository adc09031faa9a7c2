/**
 * `docs/security.md` [A17]–[A19]: a guest sees a board of a snapshot only if it was
 * customer-facing when the snapshot was taken and is now; a snapshot's participants shown to a
 * guest are only people who were on such boards; a diff needs the board customer-facing in both
 * snapshots and now. The story of issue 11: notes written on the internal SWOT, snapshotted,
 * deleted, then the SWOT shared: the older snapshot must not show them to the guest — not in the
 * plan, its Markdown, its board state, its diff, nor the list counts.
 * Real server, real tokens, real y-websocket clients, the real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PlanRecordSchema, PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import type { Role } from '../../shared/roles.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let swot: BoardClient
let actions: BoardClient
let guest: TestClient
/** Taken while the SWOT was internal and held Tom's note. */
let internalThen: PlanRecord
/** Taken after the note was deleted and the SWOT shared. */
let sharedNow: PlanRecord

function call(path: string, role: Role, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}/api/workshops/${workshop.id}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${workshop.tokens[role]}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })
}

async function setCustomerFacing(customerFacing: { swot: boolean; stakeholders: boolean; objectives: boolean; actions: boolean; whitespace: boolean }): Promise<void> {
  const response = await call('/settings', 'facilitator', { method: 'PUT', body: JSON.stringify({ customerFacing }) })
  expect(response.status).toBe(200)
}

async function takeSnapshot(): Promise<PlanRecord> {
  const response = await call('/snapshots', 'facilitator', { method: 'POST', body: '{}' })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

/** Waits until the server's room shows `name` in its awareness. */
async function present(board: string, name: string): Promise<void> {
  await waitFor(() => {
    const room = server.server.rooms.get(`${workshop.id}/${board}`)
    return [...(room?.awareness.getStates().values() ?? [])].some((state) => (state.presence as { userName?: string } | undefined)?.userName === name)
  }, `${name} present on ${board}`)
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  // Default flags: the SWOT is internal, the action plan customer-facing.
  swot = await openBoard(server, workshop.id, 'swot', 'Tom Weber')
  actions = await openBoard(server, workshop.id, 'actions', 'Ada')
  guest = await connectSynced(server.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens.guest } })
  guest.provider.awareness.setLocalStateField('presence', { userId: 'user:gina', userName: 'Gina' })
  await present('swot', 'Tom Weber')
  await present('actions', 'Gina')
  await swot.write([noteIn('strengths', 'shape:margin', 'Our margin on them is 41%')])
  internalThen = await takeSnapshot()
  await swot.remove(['shape:margin'])
  await setCustomerFacing({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
  sharedNow = await takeSnapshot()
})

afterAll(async () => {
  for (const client of [swot, actions, guest]) client?.destroy()
  await server?.close()
})

describe('a board internal when the snapshot was taken stays hidden from the guest after it is shared [A17]', () => {
  test('the team still sees the note in the older snapshot (the record is intact)', async () => {
    const plan = PlanRecordSchema.parse(await (await call(`/snapshots/${internalThen.id}`, 'team')).json())
    expect(plan.swot.strengths.map((n) => n.text)).toEqual(['Our margin on them is 41%'])
  })

  test('plan and Markdown leave the SWOT out', async () => {
    const view = PlanViewSchema.parse(await (await call(`/snapshots/${internalThen.id}`, 'guest')).json())
    expect(view.swot).toBeUndefined()
    expect(view.actions).toEqual([])
    const markdown = await (await call(`/snapshots/${internalThen.id}?format=md`, 'guest')).text()
    expect(markdown).not.toContain('41%')
  })

  test('the board state is refused', async () => {
    const response = await call(`/snapshots/${internalThen.id}/boards/swot`, 'guest')
    expect(response.status).toBe(403)
    expect(await response.text()).not.toContain('41%')
    expect((await call(`/snapshots/${internalThen.id}/boards/swot`, 'team')).status).toBe(200)
  })

  test('the list counts none of its notes', async () => {
    const list = SnapshotListSchema.parse(await (await call('/snapshots', 'guest')).json())
    expect(list.snapshots.find((s) => s.id === internalThen.id)?.counts.strengths).toBe(0)
  })

  test('the newer snapshot, shared then and now, shows the SWOT (empty now)', async () => {
    const view = PlanViewSchema.parse(await (await call(`/snapshots/${sharedNow.id}`, 'guest')).json())
    expect(view.swot?.strengths).toEqual([])
    expect((await call(`/snapshots/${sharedNow.id}/boards/swot`, 'guest')).status).toBe(200)
  })

  test('a diff shows a board only if it was shared in both snapshots and is now [A19]', async () => {
    for (const path of [`/snapshots/${sharedNow.id}/diff/${internalThen.id}`, `/snapshots/${internalThen.id}/diff/${sharedNow.id}`]) {
      const response = await call(path, 'guest')
      const text = await response.text()
      expect(text).not.toContain('41%')
      const diff = PlanDiffSchema.parse(JSON.parse(text))
      expect(diff.swot).toBeUndefined()
      expect(diff.actions).toBeDefined()
    }
    const full = PlanDiffSchema.parse(await (await call(`/snapshots/${sharedNow.id}/diff/${internalThen.id}`, 'team')).json())
    expect(JSON.stringify(full.swot)).toContain('41%')
  })
})

describe('participants [A18]', () => {
  test('a guest sees only people who were on boards it may see in that snapshot', async () => {
    const older = PlanViewSchema.parse(await (await call(`/snapshots/${internalThen.id}`, 'guest')).json())
    expect(older.participants.sort()).toEqual(['Ada', 'Gina (guest)'])
    const newer = PlanViewSchema.parse(await (await call(`/snapshots/${sharedNow.id}`, 'guest')).json())
    expect(newer.participants.sort()).toEqual(['Ada', 'Gina (guest)', 'Tom Weber'])
    const markdown = await (await call(`/snapshots/${internalThen.id}?format=md`, 'guest')).text()
    expect(markdown).not.toContain('Tom Weber')
  })

  test('team members see everyone', async () => {
    const plan = PlanRecordSchema.parse(await (await call(`/snapshots/${internalThen.id}`, 'team')).json())
    expect(plan.participants.sort()).toEqual(['Ada', 'Gina (guest)', 'Tom Weber'])
  })
})

describe('a board shared then but internal now is hidden [A17]', () => {
  test('the action plan of both snapshots disappears for the guest once it is internal', async () => {
    await setCustomerFacing({ swot: true, stakeholders: false, objectives: false, actions: false, whitespace: false })
    try {
      const view = PlanViewSchema.parse(await (await call(`/snapshots/${sharedNow.id}`, 'guest')).json())
      expect(view.actions).toBeUndefined()
      expect(view.swot).toBeDefined()
      expect(view.participants).toEqual(['Tom Weber'])
      expect((await call(`/snapshots/${sharedNow.id}/actions.csv`, 'guest')).status).toBe(403)
      expect((await call(`/snapshots/${sharedNow.id}/boards/actions`, 'guest')).status).toBe(403)
    } finally {
      await setCustomerFacing({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
    }
  })
})

test('a snapshot stored without an access record counts as all internal for guests [A17]', async () => {
  const old = samplePlan({ id: 'old-snapshot-1', workshopId: workshop.id, takenAt: '2026-01-01T00:00:00.000Z' })
  await server.store.insertSnapshot({ plan: old, boards: { actions: new Uint8Array([0, 0]) } })
  const view = PlanViewSchema.parse(await (await call(`/snapshots/${old.id}`, 'guest')).json())
  expect(view.swot).toBeUndefined()
  expect(view.stakeholders).toBeUndefined()
  expect(view.actions).toBeUndefined()
  expect(view.participants).toEqual([])
  expect((await call(`/snapshots/${old.id}/boards/actions`, 'guest')).status).toBe(403)
  const list = SnapshotListSchema.parse(await (await call('/snapshots', 'guest')).json())
  const { hidden, ...counts } = list.snapshots.find((s) => s.id === old.id)?.counts ?? { hidden: [] }
  expect(Object.values(counts).every((n) => n === 0)).toBe(true)
  // Every board hidden: the page counts none of them.
  expect(hidden).toEqual(['swot', 'stakeholders', 'objectives', 'actions', 'whitespace'])
  expect(PlanRecordSchema.parse(await (await call(`/snapshots/${old.id}`, 'viewer')).json())).toEqual(old)
})
