/**
 * The living account plan (issue 16, docs/accounts.md [K6]–[K9]): a workshop started from the
 * account's last plan has boards whose plan equals the source plan (less done actions when the
 * facilitator drops them) and a blank start stays possible ([K7]); any two snapshots of an
 * account compare across its workshops, and "since the last workshop" is one call ([K6]);
 * unchanged automatic snapshots collapse in the account's timeline ([K8]); snapshots are named,
 * and only unnamed automatic ones can be deleted ([K9]).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AccountSchema, AccountTimelineSchema, SinceLastWorkshopSchema, WorkshopTimelineSchema, type Account } from '../../shared/accounts.ts'
import { CreatedWorkshopSchema } from '../../shared/api.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema, type PlanDiff } from '../../shared/planDiff.ts'
import { action, arrow, arrowBinding, stakeholder } from '../helpers/planBoards.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { withProps, openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { registerWorkshop, startServer, TEST_ORG_KEY, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let account: Account
let first: TestWorkshop
let source: PlanRecord
const clients: BoardClient[] = []

const orgKey = { authorization: `Bearer ${TEST_ORG_KEY}` }
const json = { 'content-type': 'application/json' }

async function snapshot(workshopId: string, label = ''): Promise<PlanRecord> {
  const response = await workshopFetch(`${server.url}/api/workshops/${workshopId}/snapshots`, { method: 'POST', headers: json, body: JSON.stringify({ label }) })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

async function newWorkshop(body: Record<string, unknown>): Promise<TestWorkshop & { carriedFrom: string | null }> {
  const response = await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { method: 'POST', headers: { ...orgKey, ...json }, body: JSON.stringify(body) })
  expect(response.status).toBe(201)
  const raw = (await response.json()) as { carriedFrom: string | null }
  return { ...registerWorkshop(CreatedWorkshopSchema.parse(raw)), carriedFrom: raw.carriedFrom }
}

/** The plan's content: what the boards say, without what describes the snapshot. */
function content(plan: PlanRecord) {
  return { swot: plan.swot, stakeholders: plan.stakeholders, relationships: plan.relationships, actions: plan.actions, warnings: plan.warnings }
}

function isEmpty(diff: PlanDiff): boolean {
  return [diff.swot, diff.stakeholders, diff.relationships, diff.actions].every((s) => s && s.added.length + s.removed.length + s.changed.length === 0)
}

beforeAll(async () => {
  server = await startServer()
  const created = await fetch(`${server.url}/api/accounts`, { method: 'POST', headers: { ...orgKey, ...json }, body: JSON.stringify({ name: 'Carry Co', tier: 'key' }) })
  account = AccountSchema.parse(await created.json())
  first = await server.createWorkshop({ account: 'Carry Co', title: 'Q1 planning' })
  const boards = await openSampleBoards(server, first.id)
  clients.push(...Object.values(boards))
  await boards.actions.write([action('shape:a-done', { x: 1700, y: 100 }, { title: 'Signed NDA', owner: 'Ada', status: 'done' })])
  source = await snapshot(first.id, 'Q1 close')
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

describe('[K7] carry forward', () => {
  test('a workshop from the last plan starts with boards whose plan equals the source plan', async () => {
    const next = await newWorkshop({ title: 'Q2 review', start: 'last_plan' })
    expect(next.carriedFrom).toBe(source.id)
    expect(next.account).toBe('Carry Co')
    const plan = await snapshot(next.id)
    expect(content(plan)).toEqual(content(source))
    expect(plan.actions.map((a) => a.title)).toContain('Signed NDA')
  })

  test('dropping done actions leaves exactly those out', async () => {
    const next = await newWorkshop({ title: 'Q2 lean', start: 'last_plan', dropDoneActions: true })
    const plan = await snapshot(next.id)
    expect(plan.actions).toEqual(source.actions.filter((a) => a.status !== 'done'))
    expect(content({ ...plan, actions: [] })).toEqual(content({ ...source, actions: [] }))
  })

  test('a fresh start stays possible: blank boards', async () => {
    const next = await newWorkshop({ title: 'Fresh start' })
    expect(next.carriedFrom).toBeNull()
    const plan = await snapshot(next.id)
    expect(plan.swot.strengths).toEqual([])
    expect(plan.actions).toEqual([])
  })

  test("the next workshop keeps the account's last time zone unless one is given", async () => {
    const earlier = await server.createWorkshop({ account: 'Zone Co', title: 'Q1', timeZone: 'Asia/Tokyo' })
    const accountId = (await server.store.getWorkshop(earlier.id))?.accountId
    const create = async (body: Record<string, unknown>) => {
      const response = await fetch(`${server.url}/api/accounts/${accountId}/workshops`, { method: 'POST', headers: { ...orgKey, ...json }, body: JSON.stringify(body) })
      expect(response.status).toBe(201)
      return CreatedWorkshopSchema.parse(await response.json())
    }
    expect((await create({ title: 'Q2' })).timeZone).toBe('Asia/Tokyo')
    expect((await create({ title: 'Q3', timeZone: 'Europe/Lisbon' })).timeZone).toBe('Europe/Lisbon')
    expect((await create({ title: 'Q4' })).timeZone).toBe('Europe/Lisbon')
  })

  test('bad bodies are 400 and create nothing', async () => {
    const before = ((await (await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { headers: orgKey })).json()) as { workshops: unknown[] }).workshops.length
    for (const body of [{}, { title: '' }, { title: 'x', start: 'copy' }, { title: 'x', dropDoneActions: 'yes' }]) {
      const response = await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { method: 'POST', headers: { ...orgKey, ...json }, body: JSON.stringify(body) })
      expect(response.status, JSON.stringify(body)).toBe(400)
    }
    const after = ((await (await fetch(`${server.url}/api/accounts/${account.id}/workshops`, { headers: orgKey })).json()) as { workshops: unknown[] }).workshops.length
    expect(after).toBe(before)
  })
})

describe('[K6] compare across workshops', () => {
  test('two snapshots of different workshops of the account diff field by field; since the last workshop is one call', async () => {
    // The first workshop's plan is the account's latest again (the blank workshop above came later).
    await snapshot(first.id, 'Q1 again')
    const next = await newWorkshop({ title: 'Q3 review', start: 'last_plan' })
    const unchanged = await snapshot(next.id)
    const same = await fetch(`${server.url}/api/accounts/${account.id}/diff?newer=${unchanged.id}&older=${source.id}`, { headers: orgKey })
    expect(same.status).toBe(200)
    expect(isEmpty(PlanDiffSchema.parse(await same.json()))).toBe(true)

    const stakeholders = await openBoard(server, next.id, 'stakeholders', 'Ada')
    clients.push(stakeholders)
    await stakeholders.write([withProps(stakeholders, 'shape:ceo', { attitude: 'champion' })])
    const changed = await snapshot(next.id, 'After Q3')
    const diff = PlanDiffSchema.parse(await (await fetch(`${server.url}/api/accounts/${account.id}/diff?newer=${changed.id}&older=${source.id}`, { headers: orgKey })).json())
    expect(diff.stakeholders?.changed.map((c) => c.changes)).toEqual([[{ field: 'attitude', before: 'neutral', after: 'champion' }]])

    const since = await workshopFetch(`${server.url}/api/workshops/${next.id}/snapshots/${changed.id}/since-last-workshop`)
    expect(since.status).toBe(200)
    const body = SinceLastWorkshopSchema.parse(await since.json())
    // The newest earlier workshop with a snapshot: the blank one of the test before, or the source's.
    expect(body.previous.workshopId).not.toBe(next.id)
    expect(body.diff.newer).toBe(changed.id)
    // [K6] a guest's link is to this workshop alone: the other workshop is not the guest's to read,
    // not even its title (QA q28c).
    const asGuest = await fetch(`${server.url}/api/workshops/${next.id}/snapshots/${changed.id}/since-last-workshop`, { headers: { authorization: `Bearer ${next.tokens.guest}` } })
    expect(asGuest.status).toBe(403)
    const refusal = await asGuest.text()
    expect(refusal).not.toContain(body.previous.workshopId)
    expect(refusal).not.toContain(body.previous.workshopTitle)

    const firstSince = await workshopFetch(`${server.url}/api/workshops/${first.id}/snapshots/${source.id}/since-last-workshop`)
    expect(firstSince.status).toBe(404)
    expect(((await firstSince.json()) as { error: { code: string } }).error.code).toBe('no_previous_workshop')
  })

  test('since the last workshop compares with a snapshot taken before the one viewed, never a later one', async () => {
    // (QA pass of 2026-12-06: a snapshot saved in the earlier workshop afterwards became the
    // comparison, and what the viewed snapshot "changed" changed after the fact.)
    const earlier = await server.createWorkshop({ account: 'Order Co', title: 'Q1' })
    const before = await snapshot(earlier.id, 'Q1 close')
    const later = await server.createWorkshop({ account: 'Order Co', title: 'Q2' })
    const viewed = await snapshot(later.id, 'Q2 start')
    const afterwards = await snapshot(earlier.id, 'Q1 final, saved later')
    const since = await workshopFetch(`${server.url}/api/workshops/${later.id}/snapshots/${viewed.id}/since-last-workshop`)
    expect(since.status).toBe(200)
    const body = SinceLastWorkshopSchema.parse(await since.json())
    expect(body.previous.snapshotId).toBe(before.id)
    expect(body.previous.snapshotId).not.toBe(afterwards.id)
    // A snapshot of the later workshop taken after both compares with the latest of the earlier one.
    const next = await snapshot(later.id, 'Q2 close')
    const sinceNext = SinceLastWorkshopSchema.parse(await (await workshopFetch(`${server.url}/api/workshops/${later.id}/snapshots/${next.id}/since-last-workshop`)).json())
    expect(sinceNext.previous.snapshotId).toBe(afterwards.id)
  })

  test('the account comparison names the items it refers to by id: a new line reads by the people at its ends', async () => {
    // (QA pass of 2026-12-06: the portfolio's comparison showed "Addresses — → shape:LTR1k…".)
    const workshop = await server.createWorkshop({ account: 'Names Co', title: 'Q1' })
    const map = await openBoard(server, workshop.id, 'stakeholders', 'Ada')
    clients.push(map)
    await map.write([stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva' }), stakeholder('shape:ben', { x: 400, y: 0 }, { name: 'Ben Okafor' })])
    const before = await snapshot(workshop.id, 'Before')
    await map.write([arrow('shape:line', { x: 0, y: 200, meta: { relationship: 'reports_to' } }), arrowBinding('shape:line', 'shape:ben', 'start'), arrowBinding('shape:line', 'shape:ana', 'end')])
    const after = await snapshot(workshop.id, 'After')
    const accountId = (await server.store.getWorkshop(workshop.id))?.accountId
    const diff = PlanDiffSchema.parse(await (await fetch(`${server.url}/api/accounts/${accountId}/diff?newer=${after.id}&older=${before.id}`, { headers: orgKey })).json())
    expect(diff.relationships?.added.map((line) => [line.from, line.to])).toEqual([['shape:ben', 'shape:ana']])
    expect(diff.names).toEqual({ 'shape:ben': 'Ben Okafor', 'shape:ana': 'Ana Silva' })
  })

  test('a snapshot of another account is 404; a bad query 400', async () => {
    const other = await server.createWorkshop({ account: 'Other Inc', title: 'X' })
    const foreign = await snapshot(other.id)
    expect((await fetch(`${server.url}/api/accounts/${account.id}/diff?newer=${foreign.id}&older=${source.id}`, { headers: orgKey })).status).toBe(404)
    expect((await fetch(`${server.url}/api/accounts/${account.id}/diff?newer=${source.id}`, { headers: orgKey })).status).toBe(400)
  })
})

describe('[K8] [K9] timeline', () => {
  test('unchanged automatic snapshots collapse into one entry; a manual one stands alone', async () => {
    const workshop = await server.createWorkshop({ account: 'Timeline Ltd', title: 'T' })
    const take = (trigger: 'periodic' | 'session_end' | 'manual') => server.server.snapshots.take(workshop.id, trigger, null)
    const a = await take('session_end')
    const b = await take('periodic')
    const c = await take('session_end')
    const manual = await take('manual')
    const d = await take('periodic')
    const accountId = (await server.store.getWorkshop(workshop.id))?.accountId
    const timeline = AccountTimelineSchema.parse(await (await fetch(`${server.url}/api/accounts/${accountId}/snapshots`, { headers: orgKey })).json())
    expect(timeline.entries.map((e) => [e.summary.id, e.collapsed])).toEqual([
      [d.id, []],
      [manual.id, []],
      [c.id, [b.id, a.id]],
    ])
    expect(timeline.entries[0]?.workshopTitle).toBe('T')
    // The workshop's own timeline groups them the same way, for its review page.
    const own = WorkshopTimelineSchema.parse(await (await workshopFetch(`${server.url}/api/workshops/${workshop.id}/timeline`)).json())
    expect(own.entries).toEqual([
      { id: d.id, collapsed: [] },
      { id: manual.id, collapsed: [] },
      { id: c.id, collapsed: [b.id, a.id] },
    ])
  })

  test('a snapshot is named and renamed; unnamed automatic ones can be deleted, manual and named ones are kept; other roles 403', async () => {
    const workshop = await server.createWorkshop({ account: 'Curate GmbH', title: 'C' })
    const auto = await server.server.snapshots.take(workshop.id, 'session_end', null)
    const other = await server.server.snapshots.take(workshop.id, 'periodic', null)
    const manual = await snapshot(workshop.id, 'Kept')
    const url = (id: string) => `${server.url}/api/workshops/${workshop.id}/snapshots/${id}`

    const renamed = await workshopFetch(url(other.id), { method: 'PATCH', headers: json, body: JSON.stringify({ label: '  Before the sponsor call ' }) })
    expect(renamed.status).toBe(200)
    expect(PlanRecordSchema.parse(await (await workshopFetch(url(other.id))).json()).label).toBe('Before the sponsor call')
    expect((await workshopFetch(url(other.id), { method: 'DELETE' })).status).toBe(409)
    expect((await workshopFetch(url(manual.id), { method: 'DELETE' })).status).toBe(409)

    const asTeam = { authorization: `Bearer ${workshop.tokens.team}` }
    expect((await fetch(url(auto.id), { method: 'DELETE', headers: asTeam })).status).toBe(403)
    expect((await fetch(url(auto.id), { method: 'PATCH', headers: { ...asTeam, ...json }, body: '{"label":"x"}' })).status).toBe(403)
    expect((await workshopFetch(url(auto.id), { method: 'PATCH', headers: json, body: '{"label":5}' })).status).toBe(400)

    expect((await workshopFetch(url(auto.id), { method: 'DELETE' })).status).toBe(204)
    expect((await workshopFetch(url(auto.id))).status).toBe(404)
    expect((await workshopFetch(url(auto.id), { method: 'DELETE' })).status).toBe(404)
    const left = ((await (await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`)).json()) as { snapshots: { id: string }[] }).snapshots
    expect(left.map((s) => s.id)).toEqual([manual.id, other.id])
  })
})
