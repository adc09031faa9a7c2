/**
 * [P9] A snapshot judges overdue actions by the calendar date in the workshop's time zone. Two
 * workshops on either side of the date line (Kiritimati UTC+14, Pago Pago UTC−11: 25 hours apart,
 * so their dates always differ) hold the same action, due today in Pago Pago: overdue in
 * Kiritimati only. By the UTC date, both would get the same answer at any time of day.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { PlanRecord } from '../../shared/plan.ts'
import { dateInTimeZone } from '../../shared/timeZone.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { action } from '../helpers/planBoards.ts'
import { startServer, takeSnapshot, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

async function snapshotWithActionDue(timeZone: string, due: string): Promise<PlanRecord> {
  const workshop = await server.createWorkshop({ account: 'Acme Corp', title: `Plan in ${timeZone}`, timeZone })
  expect(workshop.timeZone).toBe(timeZone)
  const board = await openBoard(server, workshop.id, 'actions', 'Ada')
  try {
    await board.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal', owner: 'Ada', due, status: 'open' })])
    return await takeSnapshot(server, workshop.id)
  } finally {
    board.destroy()
  }
}

test('an action due today in Pago Pago is overdue in a Kiritimati workshop and not in a Pago Pago one', async () => {
  const due = dateInTimeZone(new Date(), 'Pacific/Pago_Pago')
  const east = await snapshotWithActionDue('Pacific/Kiritimati', due)
  const west = await snapshotWithActionDue('Pacific/Pago_Pago', due)
  expect(east.actions.map((a) => [a.due, a.overdue])).toEqual([[due, true]])
  expect(west.actions.map((a) => [a.due, a.overdue])).toEqual([[due, false]])
})
