/**
 * QA pass q26b (twenty-sixth session): an account named in another script lost its name in every
 * export's file name ("account-workshop-2026-12-03.pdf"), and a CSV opened in Excel read "Zürich"
 * as "ZÃ¼rich" for want of a byte order mark. The name now travels in `filename*` (UTF-8) beside an
 * ASCII `filename`, the page takes the UTF-8 one, and every CSV starts with a BOM.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { dispositionFileName } from '../../shared/exportName.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let plan: PlanRecord

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Москва Zürich Ltd', title: 'План FY27', timeZone: 'UTC' })
  const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  plan = PlanRecordSchema.parse(await response.json())
})

afterAll(async () => {
  await server?.close()
})

const exportOf = (suffix: string) => workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${plan.id}${suffix}`)

test('every export names the account and workshop in their own script, with an ASCII name beside it', async () => {
  const date = plan.takenAt.slice(0, 10)
  for (const [suffix, extension] of [['?format=pdf', 'pdf'], ['?format=md', 'md'], ['/actions.csv', 'actions.csv']] as const) {
    const header = (await exportOf(suffix)).headers.get('content-disposition')
    expect(header).toBe(`attachment; filename="zurich-ltd-fy27-${date}.${extension}"; filename*=UTF-8''${encodeURIComponent(`москва-zurich-ltd-план-fy27-${date}.${extension}`)}`)
    expect(dispositionFileName(header)).toBe(`москва-zurich-ltd-план-fy27-${date}.${extension}`)
  }
})

test('a CSV download starts with a UTF-8 byte order mark; Markdown and JSON do not', async () => {
  for (const suffix of ['/actions.csv', '/votes.csv', '/stakeholders.csv']) {
    const bytes = Buffer.from(await (await exportOf(suffix)).arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  }
  const markdown = Buffer.from(await (await exportOf('?format=md')).arrayBuffer())
  expect(markdown.subarray(0, 2).toString()).toBe('# ')
  const json = Buffer.from(await (await exportOf('?format=json')).arrayBuffer())
  expect(json.subarray(0, 1).toString()).toBe('{')
})

test('the plain filename is read when there is no UTF-8 one, and a malformed one falls back to it', () => {
  expect(dispositionFileName('attachment; filename="acme-fy27-2026-12-03.pdf"')).toBe('acme-fy27-2026-12-03.pdf')
  expect(dispositionFileName(`attachment; filename="a.pdf"; filename*=UTF-8''%E0%A4%A.pdf`)).toBe('a.pdf')
  expect(dispositionFileName(null)).toBe(null)
})
