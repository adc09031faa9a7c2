/**
 * [S17] Automatic snapshots: `session_end` once the last participant has left every board of a
 * workshop that changed since its last snapshot (and none when nothing changed), `periodic` while
 * a workshop is edited (and none while it is not).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { PlanSummary } from '../../shared/plan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { waitFor } from '../helpers/clients.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { action, note } from '../helpers/planBoards.ts'
import { teamPage } from '../helpers/teamAndGuest.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import type { JsonObject } from '@tldraw/utils'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

async function listSnapshots(server: TestServer, workshopId: string): Promise<PlanSummary[]> {
  const response = await fetch(`${server.url}/api/workshops/${workshopId}/snapshots`)
  return SnapshotListSchema.parse(await response.json()).snapshots
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls the list until it has `count` snapshots (a safety-net timeout, not a timing assertion). */
async function untilSnapshots(server: TestServer, workshopId: string, count: number): Promise<PlanSummary[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const list = await listSnapshots(server, workshopId)
    if (list.length >= count || Date.now() > deadline) return list
    await sleep(25)
  }
}

const allUnloaded = (server: TestServer) => () => server.server.rooms.names().length === 0

/** A sticky note the team marked internal: written to the board's internal document only. */
const internalNote = (text: string, y: number) => note('shape:internal-1', { x: 900, y, meta: { [INTERNAL_META_KEY]: true } }, text) as unknown as JsonObject // test records are JSON

describe('session_end', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ roomUnloadGraceMs: 20 })
  })
  afterAll(() => server.close())

  test('is taken when the last participant leaves the workshop, not when one board empties', async () => {
    const workshop = await server.createWorkshop()
    const ada = await openBoard(server, workshop.id, 'swot', 'Ada')
    const grace = await openBoard(server, workshop.id, 'actions', 'Grace')
    await ada.write([noteIn('strengths', 'shape:n1', 'Strong brand')])
    await grace.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' })])

    ada.destroy()
    await waitFor(() => !server.server.rooms.names().includes(`${workshop.id}/swot`), 'the SWOT room to unload')
    expect(await listSnapshots(server, workshop.id)).toEqual([])

    grace.destroy()
    await waitFor(allUnloaded(server), 'every room to unload')
    const [summary, ...rest] = await listSnapshots(server, workshop.id)
    expect(rest).toEqual([])
    expect(summary).toMatchObject({ trigger: 'session_end', label: null, counts: { strengths: 1, actions: 1 } })
    const record = PlanRecordSchema.parse(await (await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${summary?.id}`)).json())
    // Nobody is present at the end of a session: the record names who took part in it.
    expect([...record.participants].sort()).toEqual(['Ada', 'Grace'])
  })

  test('is not taken when nothing changed since the last snapshot', async () => {
    const workshop = await server.createWorkshop()
    const first = await openBoard(server, workshop.id, 'swot', 'Ada')
    await first.write([noteIn('threats', 'shape:n1', 'Competitor discount')])
    first.destroy()
    await waitFor(allUnloaded(server), 'every room to unload')
    expect(await listSnapshots(server, workshop.id)).toHaveLength(1)

    // A second session that only looks.
    const second = await openBoard(server, workshop.id, 'swot', 'Grace')
    const third = await openBoard(server, workshop.id, 'stakeholders', 'Grace')
    second.destroy()
    third.destroy()
    await waitFor(allUnloaded(server), 'every room to unload')
    expect(await listSnapshots(server, workshop.id)).toHaveLength(1)
  })

  test('is taken when a session changed only internal items, which live in the boards\' internal documents [A30]', async () => {
    const workshop = await server.createWorkshop()
    const first = await teamPage(server, workshop, 'swot', 'Ada')
    await first.change([internalNote('Our margin target', 0)])
    first.destroy()
    await waitFor(allUnloaded(server), 'every room to unload')
    const [summary, ...rest] = await untilSnapshots(server, workshop.id, 1)
    expect(rest).toEqual([])
    expect(summary).toMatchObject({ trigger: 'session_end' })

    // A second session that edits that internal note and nothing else.
    const second = await teamPage(server, workshop, 'swot', 'Grace')
    await second.change([internalNote('Our margin target: 18 %', 40)])
    second.destroy()
    await waitFor(allUnloaded(server), 'every room to unload')
    expect(await untilSnapshots(server, workshop.id, 2)).toHaveLength(2)
  })

  test('is not taken for a new workshop whose boards hold only their templates', async () => {
    const workshop = await server.createWorkshop()
    const visitor = await openBoard(server, workshop.id, 'swot', 'Ada')
    visitor.destroy()
    await waitFor(allUnloaded(server), 'every room to unload')
    expect(await listSnapshots(server, workshop.id)).toEqual([])
  })
})

test('a graceful shutdown ends the sessions still open with a session_end snapshot', async () => {
  const server = await startServer()
  const workshop = await server.createWorkshop()
  const ada = await openBoard(server, workshop.id, 'actions', 'Ada')
  await ada.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' })])
  const untouched = await server.createWorkshop()
  const viewer = await openBoard(server, untouched.id, 'swot', 'Grace')
  await server.stop()
  ada.destroy()
  viewer.destroy()

  const reopened = await startServer({ dataDir: server.dataDir })
  try {
    const [summary, ...rest] = await listSnapshots(reopened, workshop.id)
    expect(rest).toEqual([])
    expect(summary).toMatchObject({ trigger: 'session_end', counts: { actions: 1 } })
    expect(await listSnapshots(reopened, untouched.id)).toEqual([])
  } finally {
    await reopened.close()
  }
})

describe('periodic', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ snapshotIntervalMs: 100 })
  })
  afterAll(() => server.close())

  test('is taken while a workshop is edited, and not while it is idle', async () => {
    const workshop = await server.createWorkshop()
    const ada = await openBoard(server, workshop.id, 'swot', 'Ada')
    await ada.write([noteIn('strengths', 'shape:n1', 'Strong brand')])
    const first = await untilSnapshots(server, workshop.id, 1)
    expect(first.map((s) => [s.trigger, s.counts.strengths])).toEqual([['periodic', 1]])

    // Five intervals without edits: no new snapshot.
    await sleep(500)
    expect(await listSnapshots(server, workshop.id)).toHaveLength(1)

    await ada.write([noteIn('weaknesses', 'shape:n2', 'Slow delivery')])
    const second = await untilSnapshots(server, workshop.id, 2)
    expect(second.map((s) => [s.trigger, s.counts.weaknesses])).toEqual([
      ['periodic', 1],
      ['periodic', 0],
    ])
    ada.destroy()
  })
})
