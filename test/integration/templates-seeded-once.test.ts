/**
 * [S21] Board templates are seeded server-side, in the same transaction as the workshop: every
 * client sees them, exactly once, however many people open the empty board at the same moment.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOARD_IDS } from '../../shared/boards.ts'
import { readRecords } from '../../shared/docLayout.ts'
import { DATABASE_FILE } from '../../server/store/SqliteStore.ts'
import { ACTION_COLUMNS, BOARD_PAGE_ID, OBJECTIVES_FRAME, SWOT_FRAMES, WHITESPACE_FRAMES } from '../../shared/templates.ts'
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

  it('a board added after the workshop was created gets its template when its room first loads, once', async () => {
    const workshop = await server.createWorkshop()
    await server.stop()
    // The workshop as a server before the objectives and whitespace boards stored it.
    const db = new Database(path.join(server.dataDir, DATABASE_FILE))
    db.prepare('DELETE FROM doc_updates WHERE doc IN (?, ?)').run(`${workshop.id}/objectives`, `${workshop.id}/whitespace`)
    db.close()
    server = await startServer({ dataDir: server.dataDir })
    expect((await server.store.loadDocument(`${workshop.id}/objectives`)).updates).toEqual([])
    const [a, b] = await Promise.all([
      connectSynced(server.syncUrl, `${workshop.id}/objectives`),
      connectSynced(server.syncUrl, `${workshop.id}/objectives`),
    ])
    expect(frameIds(a)).toEqual([String(OBJECTIVES_FRAME.id)])
    expect(frameIds(b)).toEqual([String(OBJECTIVES_FRAME.id)])
    const whitespace = await connectSynced(server.syncUrl, `${workshop.id}/whitespace`)
    expect(frameIds(whitespace)).toEqual(Object.values(WHITESPACE_FRAMES).map((frame) => String(frame.id)).sort())
    for (const client of [a, b, whitespace]) client.destroy()
    await server.stop()
    server = await startServer({ dataDir: server.dataDir })
    expect((await server.store.loadDocument(`${workshop.id}/objectives`)).updates.length).toBeGreaterThan(0)
    const again = await connectSynced(server.syncUrl, `${workshop.id}/objectives`)
    expect(frameIds(again)).toEqual([String(OBJECTIVES_FRAME.id)])
    again.destroy()
  })
})
