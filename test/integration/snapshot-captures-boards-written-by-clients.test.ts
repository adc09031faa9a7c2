/**
 * [S16] A manual snapshot holds the plan extracted from what real y-websocket clients wrote on the
 * three boards, the participants present, and each board's full state; it is listed, served as
 * JSON, Markdown and CSV, and each board's records can be read back as they were.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Workshop } from '../../shared/api.ts'
import { PlanRecordSchema, PlanSummarySchema, type PlanRecord } from '../../shared/plan.ts'
import { SnapshotBoardSchema, SnapshotListSchema } from '../../shared/snapshotApi.ts'
import type { BoardClient } from '../helpers/boardClients.ts'
import { openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, workshopFetch as fetch } from '../helpers/startServer.ts'

let server: TestServer
let workshop: Workshop
let boards: Record<'swot' | 'stakeholders' | 'actions', BoardClient>
let record: PlanRecord

const api = (path: string, init?: RequestInit) => fetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)
const post = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27 planning' })
  boards = await openSampleBoards(server, workshop.id, { stakeholders: 'Grace' })
  const response = await post('/snapshots', { label: '  After the kick-off  ' })
  expect(response.status).toBe(201)
  record = PlanRecordSchema.parse(await response.json())
})

afterAll(async () => {
  for (const client of Object.values(boards ?? {})) client.destroy()
  await server?.close()
})

describe('a manual snapshot', () => {
  test('holds notes by quadrant, stakeholders, relationships and actions', () => {
    expect(record).toMatchObject({ workshopId: workshop.id, account: 'Acme Corp', trigger: 'manual', label: 'After the kick-off' })
    expect(record.swot.strengths).toEqual([{ id: 'shape:n-strong', text: 'Strong brand in DACH', author: 'Ada' }])
    expect(record.swot.weaknesses.map((n) => n.text)).toEqual(['Slow delivery in Q3'])
    expect(record.swot.opportunities.map((n) => n.text)).toEqual(['Cloud migration budget'])
    expect(record.swot.threats.map((n) => n.text)).toEqual(['Competitor discount'])
    expect(record.swot.unsorted.map((n) => n.text)).toEqual(['Ask about budget'])
    expect(record.stakeholders.map((s) => [s.name, s.attitude])).toEqual([
      ['Dana Ortiz', 'neutral'],
      ['Lee Chen', 'skeptic'],
    ])
    expect(record.relationships).toEqual([{ id: 'shape:r1', from: 'shape:cfo', to: 'shape:ceo', kind: 'reports_to' }])
    expect(record.actions.map((a) => [a.title, a.status, a.due])).toEqual([
      ['Send proposal', 'open', '2099-12-01'],
      ['Book exec meeting', 'in_progress', null],
    ])
    expect(record.warnings).toEqual([])
  })

  test('names the participants present, from their presence in awareness', () => {
    expect([...record.participants].sort()).toEqual(['Ada', 'Grace'])
  })

  test('is listed with counts per section', async () => {
    const list = SnapshotListSchema.parse(await (await api('/snapshots')).json())
    expect(list.snapshots).toHaveLength(1)
    expect(PlanSummarySchema.parse(list.snapshots[0])).toMatchObject({
      id: record.id,
      trigger: 'manual',
      label: 'After the kick-off',
      counts: { strengths: 1, weaknesses: 1, opportunities: 1, threats: 1, unsorted: 1, stakeholders: 2, relationships: 1, actions: 2 },
    })
  })

  test('is served as JSON, validated on the way back [S18]', async () => {
    const response = await api(`/snapshots/${record.id}`)
    expect(response.status).toBe(200)
    expect(PlanRecordSchema.parse(await response.json())).toEqual(record)
  })

  test('is served as Markdown with a file name', async () => {
    const response = await api(`/snapshots/${record.id}?format=md`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="acme-corp-fy27-planning-\d{4}-\d{2}-\d{2}\.md"$/)
    const markdown = await response.text()
    expect(markdown).toContain('# FY27 planning')
    expect(markdown).toContain('Strong brand in DACH')
    expect(markdown).toContain('Dana Ortiz')
    expect(markdown).toContain('Send proposal')
  })

  test('exports actions and stakeholders as CSV', async () => {
    const actions = await api(`/snapshots/${record.id}/actions.csv`)
    expect(actions.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(actions.headers.get('content-disposition')).toMatch(/filename="acme-corp-fy27-planning-\d{4}-\d{2}-\d{2}\.actions\.csv"/)
    expect((await actions.text()).split('\r\n')).toEqual([
      'Id,Action,Owner,Due,Status,Overdue',
      'shape:a1,Send proposal,Ada,2099-12-01,Open,',
      'shape:a2,Book exec meeting,Grace,,In progress,',
      '',
    ])
    const stakeholders = await (await api(`/snapshots/${record.id}/stakeholders.csv`)).text()
    expect(stakeholders.split('\r\n')[1]).toMatch(/^shape:ceo,Dana Ortiz,CEO,/)
  })

  test("serves each board's records as they were, with their schema", async () => {
    const board = SnapshotBoardSchema.parse(await (await api(`/snapshots/${record.id}/boards/stakeholders`)).json())
    expect(board.schema.schemaVersion).toBe(2)
    const ids = board.records.map((r) => r.id)
    expect(ids).toEqual(expect.arrayContaining(['shape:ceo', 'shape:cfo', 'shape:r1', 'page:page', 'document:document']))
    // Later edits do not change what the snapshot serves.
    await boards.stakeholders.remove(['shape:cfo'])
    const again = SnapshotBoardSchema.parse(await (await api(`/snapshots/${record.id}/boards/stakeholders`)).json())
    expect(again.records.map((r) => r.id)).toContain('shape:cfo')
  })

  test('GET /api/schema/plan.json is the JSON Schema of the plan record', async () => {
    const response = await fetch(`${server.url}/api/schema/plan.json`)
    expect(response.status).toBe(200)
    const schema = (await response.json()) as { $schema: string; properties: Record<string, unknown> }
    expect(schema.$schema).toContain('2020-12')
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['swot', 'stakeholders', 'actions', 'warnings']))
  })
})
