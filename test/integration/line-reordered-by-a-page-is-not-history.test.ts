/**
 * [H1] A line whose only change is its place in the drawing order is no change of anybody's
 * (QA q36b, finding 6): tldraw keeps a line above the cards it joins, so the facilitator merely
 * opening the stakeholder map after a guest raised a card under an internal line moved the line,
 * and the history said "Fiona moved 1 arrow" again and again, each with a Revert. Such a change is
 * stored but not listed; a line's other changes still are.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openSampleBoards, SAMPLE } from '../helpers/sampleWorkshop.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { readHistory } from '../helpers/teamAndGuest.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ historyIdleMs: 50 })
})
afterAll(async () => {
  await server?.close()
})

test('an arrow moved up in the drawing order is not listed; moved on the board, it is', async () => {
  const workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const boards = await openSampleBoards(server, workshop.id)
  const entries = async () => (await readHistory(server, workshop, 'stakeholders', 'facilitator')).list.changes.length
  const settled = async (count: number) => {
    for (let tries = 0; tries < 100 && (await entries()) < count; tries++) await new Promise((resolve) => setTimeout(resolve, 20))
    return entries()
  }
  const first = await settled(1)
  expect(first).toBeGreaterThan(0)
  const line = SAMPLE.stakeholders.find((record) => record.id === 'shape:r1')
  if (!line || line.typeName !== 'shape') throw new Error('the sample has no line')
  await boards.stakeholders.write([{ ...line, index: 'a9z' as typeof line.index }])
  // Well past the pause that closes a change (50 ms here): nothing listed.
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect(await entries()).toBe(first)
  // Moved afterwards: listed, and the only one.
  await boards.stakeholders.write([{ ...line, index: 'a9z' as typeof line.index, x: line.x + 40 }])
  expect(await settled(first + 1)).toBe(first + 1)
  const { list } = await readHistory(server, workshop, 'stakeholders', 'facilitator')
  expect(list.changes[0]?.records.map((record) => record.id)).toEqual(['shape:r1'])
  expect(list.changes[0]?.records[0]?.after?.index).toBe('a9z')
  for (const board of Object.values(boards)) board.destroy()
})
