/**
 * The whitespace board's currency (QA q33b 9: its amounts were bare numbers everywhere) through
 * the real server: the facilitator sets it on the board (its page's meta); the snapshot's plan
 * carries it, and the Markdown, both whitespace CSVs and a guest's view write the board's amounts
 * with it. Only the facilitator may set it: a team member's write of the page is refused ([R4])
 * and changes nothing. A code that is no ISO 4217 currency (a client that is not Keyplan's page)
 * leaves the amounts without one, with a warning.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readRecord, writeRecordChanges } from '../../shared/docLayout.ts'
import { CURRENCY_META_KEY } from '../../shared/currency.ts'
import { PlanRecordSchema, PlanViewSchema, type PlanRecord } from '../../shared/plan.ts'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { connectSynced, nextClose } from '../helpers/clients.ts'
import { SAMPLE_ACCOUNT_PLAN } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer, type TestWorkshop, workshopFetch as fetch } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

let server: TestServer
let workshop: TestWorkshop
let facilitator: BoardClient
/** The snapshots taken without a currency and with EUR. */
const taken: { none?: PlanRecord; eur?: PlanRecord } = {}

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)
const snapshot = async (): Promise<PlanRecord> => {
  const response = await api('/snapshots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}
const text = async (path: string, init: RequestInit = {}) => {
  const response = await api(path, init)
  expect(response.status).toBe(200)
  return response.text()
}

/** The board's page as `meta` would leave it, with the currency set to `value`. */
function pageWith(doc: Parameters<typeof readRecord>[0], value: unknown): JsonObject {
  const { record } = readRecord(doc, BOARD_PAGE_ID)
  if (!record) throw new Error('the board has no page')
  return { ...record, meta: { ...(record.meta as JsonObject), [CURRENCY_META_KEY]: value as JsonObject[string] } }
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  await onlyCustomerFacing(server, workshop, 'whitespace')
  facilitator = await openBoard(server, workshop.id, 'whitespace', 'Fran', { token: workshop.tokens.facilitator, user: 'user:fran' })
  await facilitator.write(SAMPLE_ACCOUNT_PLAN.whitespace)
})

afterAll(async () => {
  facilitator?.destroy()
  await server?.close()
})

describe("the whitespace board's currency", () => {
  test('is none until the facilitator sets one: amounts are bare, as before', async () => {
    const plan = await snapshot()
    taken.none = plan
    expect(plan.whitespace.currency).toBeNull()
    expect(await text(`/snapshots/${plan.id}?format=md`)).toMatch(/We supply 300,000 \|/)
  })

  test('set by the facilitator, is in the plan and with every amount of the board in Markdown, CSV and a guest’s view', async () => {
    await facilitator.write([pageWith(facilitator.doc, 'EUR')])
    const plan = await snapshot()
    taken.eur = plan
    expect(plan.whitespace.currency).toBe('EUR')
    expect(plan.warnings).toEqual([])

    const markdown = await text(`/snapshots/${plan.id}?format=md`)
    expect(markdown).toContain('We supply 300,000 EUR')
    expect(markdown).toContain('Opportunity 200,000 EUR (50 %)')
    expect(markdown).toContain('total 200,000 EUR, weighted 100,000 EUR')
    expect(markdown).toContain('| Logistics | 300,000 EUR | 300,000 EUR | 100 % |')

    const cells = await text(`/snapshots/${plan.id}/whitespace.csv`)
    expect(cells.split('\r\n')[0]).toBe('Id,Business unit,Offering,Kind,Competitor,Value (EUR),Probability (%),Notes')
    const units = await text(`/snapshots/${plan.id}/whitespace-units.csv`)
    expect(units.split('\r\n')[0]).toBe('Business unit,Open opportunities,Opportunity value (EUR),Weighted value (EUR),Our revenue (EUR),Their spend (EUR),Share of wallet (%)')

    // A guest reads the currency with the board (the amounts themselves are internal by default).
    const guest = await api(`/snapshots/${plan.id}`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
    expect(guest.status).toBe(200)
    expect(PlanViewSchema.parse(await guest.json()).whitespace?.currency).toBe('EUR')
  })

  test('set or changed, is a change in the diff of two snapshots, though no amount changed', async () => {
    const { none, eur } = taken
    if (!none || !eur) throw new Error('the snapshots of the tests before are missing')
    for (const token of [workshop.tokens.facilitator, workshop.tokens.guest]) {
      const diff = PlanDiffSchema.parse(JSON.parse(await text(`/snapshots/${eur.id}/diff/${none.id}`, { headers: { authorization: `Bearer ${token}` } })))
      expect(diff.whitespaceCurrency).toEqual({ before: null, after: 'EUR' })
      expect(diff.whitespace).toEqual({ added: [], removed: [], changed: [] })
    }
    // Two snapshots in the same currency: nothing said of it.
    const again = await snapshot()
    expect(PlanDiffSchema.parse(JSON.parse(await text(`/snapshots/${again.id}/diff/${eur.id}`))).whitespaceCurrency).toBeUndefined()
  })

  test("a team member's write of the board's currency is refused and changes nothing [R4]", async () => {
    const team = await connectSynced(server.syncUrl, `${workshop.id}/whitespace`, { params: { token: workshop.tokens.team, user: 'user:tom' } })
    try {
      const closed = nextClose(team.provider)
      writeRecordChanges(team.doc, { put: [pageWith(team.doc, 'USD')], remove: [] })
      expect((await closed).code).toBe(CLOSE_CODES.updateRefused)
    } finally {
      team.destroy()
    }
    expect((await snapshot()).whitespace.currency).toBe('EUR')
  })

  test('a code that is no ISO 4217 currency leaves the amounts without one, with a warning', async () => {
    await facilitator.write([pageWith(facilitator.doc, 'E$R')])
    const plan = await snapshot()
    expect(plan.whitespace.currency).toBeNull()
    expect(plan.warnings.map((w) => w.message)).toEqual(['The board\'s currency "E$R" is not an ISO 4217 code; its amounts are shown without a currency'])
    expect(await text(`/snapshots/${plan.id}?format=md`)).toMatch(/We supply 300,000 \|/)
  })
})
