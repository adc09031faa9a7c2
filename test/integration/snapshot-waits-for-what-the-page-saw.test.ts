/**
 * [S42] A snapshot saved from a page holds what the page held: `POST /snapshots` names the board
 * documents the page wrote to (`seen`, from the page's own `client/board/seenVersions.ts`), and the
 * server waits until it holds them, so the page's last edit, still on its way, is not left out: an
 * internal field changed, a record deleted. An edit that never arrives is answered 409 with
 * nothing stored, and a save without `seen` then still works. Bad `seen` is refused with 400.
 *
 * The page's edit is held back by disconnecting its providers; the request is sent, and the edit
 * is let through only after the request has been pending a while.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { toBase64 } from 'lib0/buffer'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { seenVersions } from '../../client/board/seenVersions.ts'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPage, stillPending } from '../helpers/savingPage.ts'
import { SAMPLE, openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { startServer, workshopFetch as fetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

const HELD_MS = 300

describe('a snapshot saved from a page', () => {
  let server: TestServer
  let workshop: TestWorkshop
  let boards: Record<'swot' | 'stakeholders' | 'actions', BoardClient>
  const post = (body: unknown) =>
    fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  beforeAll(async () => {
    server = await startServer({ snapshotSeenWaitMs: 20_000 })
    workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27 planning' })
    boards = await openSampleBoards(server, workshop.id, { stakeholders: 'Grace' })
  })

  afterAll(async () => {
    for (const client of Object.values(boards ?? {})) client.destroy()
    await server?.close()
  })

  test('waits for an internal field the page changed a moment ago', async () => {
    const page = await openPage(server.syncUrl, workshop.id, 'stakeholders')
    try {
      await expect.poll(() => page.records().has('shape:cfo')).toBe(true)
      page.offline(true)
      const cfo = page.records().get('shape:cfo') as JsonObject
      page.write([{ ...cfo, props: { ...(cfo.props as JsonObject), attitude: 'supporter' } }])
      const response = post({ label: 'Attitude', seen: seenVersions(workshop.id) })
      expect(await stillPending(response, HELD_MS)).toBe(true)
      page.offline(false)
      const answer = await response
      expect(answer.status).toBe(201)
      const record = PlanRecordSchema.parse(await answer.json())
      expect(record.stakeholders.find((s) => s.name === 'Lee Chen')?.attitude).toBe('supporter')
    } finally {
      page.close()
    }
  })

  test('waits for a record the page deleted a moment ago (a delete writes no new struct)', async () => {
    const page = await openPage(server.syncUrl, workshop.id, 'actions')
    try {
      await expect.poll(() => page.records().has('shape:a2')).toBe(true)
      page.offline(true)
      page.write([], ['shape:a2'])
      const response = post({ seen: seenVersions(workshop.id) })
      expect(await stillPending(response, HELD_MS)).toBe(true)
      page.offline(false)
      const answer = await response
      expect(answer.status).toBe(201)
      const record = PlanRecordSchema.parse(await answer.json())
      expect(record.actions.map((a) => a.title)).toEqual(['Send proposal'])
    } finally {
      page.close()
    }
  })

  test('refuses versions that are not Yjs snapshots, twice the same part, or an unknown board, with 400', async () => {
    const before = SnapshotListSchema.parse(await (await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`)).json()).snapshots.length
    const version = toBase64(Y.encodeSnapshot(Y.snapshot(new Y.Doc())))
    for (const seen of [
      [{ board: 'swot', part: 'shared', version: toBase64(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 7])) }],
      [{ board: 'swot', part: 'shared', version: 'not base64!' }],
      [{ board: 'swot', part: 'shared', version }, { board: 'swot', part: 'shared', version }],
      [{ board: 'kanban', part: 'shared', version }],
      [{ board: 'swot', part: 'secret', version }],
    ]) {
      const answer = await post({ seen })
      expect(answer.status, JSON.stringify(seen)).toBe(400)
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('invalid_body')
    }
    const after = SnapshotListSchema.parse(await (await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`)).json()).snapshots.length
    expect(after).toBe(before)
  })
})

describe('an edit that does not arrive', () => {
  let server: TestServer
  let workshop: TestWorkshop

  beforeAll(async () => {
    server = await startServer({ snapshotSeenWaitMs: 200 })
    workshop = await server.createWorkshop({ account: 'Acme Corp', title: 'FY27 planning' })
  })

  afterAll(async () => {
    await server?.close()
  })

  test('is answered 409 naming the board, nothing stored; saving without it still works', async () => {
    const swot = await openBoard(server, workshop.id, 'swot', 'Ada')
    const page = await openPage(server.syncUrl, workshop.id, 'swot')
    try {
      await swot.write(SAMPLE.swot)
      await expect.poll(() => page.records().has('shape:n-strong')).toBe(true)
      page.offline(true)
      const strong = page.records().get('shape:n-strong') as JsonObject
      page.write([{ ...strong, x: (strong.x as number) + 40 }])
      const list = () => fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`).then(async (r) => SnapshotListSchema.parse(await r.json()).snapshots)
      const post = (body: unknown) =>
        fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

      const refused = await post({ seen: seenVersions(workshop.id) })
      expect(refused.status).toBe(409)
      const { error } = (await refused.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('edits_not_arrived')
      expect(error.message).toContain('SWOT')
      expect(await list()).toHaveLength(0)

      const saved = await post({})
      expect(saved.status).toBe(201)
      expect(await list()).toHaveLength(1)
    } finally {
      page.close()
      swot.destroy()
    }
  })
})
