/**
 * [S21] Board templates are seeded server-side, in the same transaction as the workshop: every
 * client sees them, exactly once, however many people open the empty board at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOARD_IDS } from '../../shared/boards.ts'
import { readRecords } from '../../shared/docLayout.ts'
import { ACTION_COLUMNS, BOARD_PAGE_ID, SWOT_FRAMES } from '../../shared/templates.ts'
import { connectSynced, type TestClient } from '../helpers/clients.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

function frameIds(client: TestClient): string[] {
  return [...readRecords(client.doc).values()]
    .filter((record) => record.typeName === 'shape' && record.type === 'frame')
    .map((record) => String(record.id))
    .sort()
}

describe('[S21] templates are seeded once, server-side', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('two clients opening a new SWOT board at the same moment both see the four quadrants once', async () => {
    const workshop = await server.createWorkshop()
    const [a, b] = await Promise.all([
      connectSynced(server.syncUrl, `${workshop.id}/swot`),
      connectSynced(server.syncUrl, `${workshop.id}/swot`),
    ])
    const expected = Object.values(SWOT_FRAMES).map((frame) => String(frame.id)).sort()
    expect(frameIds(a)).toEqual(expected)
    expect(frameIds(b)).toEqual(expected)
    const labels = [...readRecords(a.doc).values()]
      .filter((record) => record.type === 'frame')
      .map((record) => (record.props as { name: string }).name)
      .sort()
    expect(labels).toEqual(['Opportunities', 'Strengths', 'Threats', 'Weaknesses'])
    a.destroy()
    b.destroy()
  })

  it('every board has its page, and the action plan one column per status', async () => {
    const workshop = await server.createWorkshop()
    for (const board of BOARD_IDS) {
      const client = await connectSynced(server.syncUrl, `${workshop.id}/${board}`)
      expect(readRecords(client.doc).has(BOARD_PAGE_ID)).toBe(true)
      if (board === 'actions') {
        expect(frameIds(client)).toEqual(Object.values(ACTION_COLUMNS).map((column) => String(column.id)).sort())
      }
      if (board === 'stakeholders') expect(frameIds(client)).toEqual([])
      client.destroy()
    }
  })

  it('templates survive a restart and are not added again', async () => {
    const workshop = await server.createWorkshop()
    await server.stop()
    server = await startServer({ dataDir: server.dataDir })
    const client = await connectSynced(server.syncUrl, `${workshop.id}/swot`)
    expect(frameIds(client)).toHaveLength(4)
    client.destroy()
  })
})
