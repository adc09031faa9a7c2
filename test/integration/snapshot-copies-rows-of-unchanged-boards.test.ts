/**
 * [S16] A snapshot does not encode again the boards that did not change since the workshop's last
 * snapshot: the store copies their rows (state and internal document) from it. A board changed in
 * its shared document, in its internal document only, by a restore ([S19]) or by a revert ([H4])
 * is stored as it is now; when the snapshot to copy from was deleted meanwhile, every board is
 * encoded; after another instance stored one ([I3]), an automatic snapshot compares with and
 * copies from that one. Which boards were copied is in the `snapshot.taken` log line.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { readRecords } from '../../shared/docLayout.ts'
import { RevertResultSchema } from '../../shared/historyApi.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import type { LogFields, Logger } from '../../server/log.ts'
import { waitFor } from '../helpers/clients.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { readHistory, teamPage } from '../helpers/teamAndGuest.ts'

const json = (value: unknown) => value as JsonObject // test records are JSON

// The server's `snapshot.taken` and `snapshot.copy_refused` lines, in order.
const taken: LogFields[] = []
const refused: LogFields[] = []
const capture = (event: string, fields?: LogFields) => {
  if (event === 'snapshot.taken') taken.push(fields ?? {})
  if (event === 'snapshot.copy_refused') refused.push(fields ?? {})
}
const log: Logger = { debug: capture, info: capture, warn: capture, error: capture }

let server: TestServer
let workshop: TestWorkshop
const pages: Array<Awaited<ReturnType<typeof teamPage>>> = []

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api/workshops/${workshop.id}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })

/** Takes a manual snapshot; its id and the boards the log says were copied. */
async function snapshot(): Promise<{ id: string; copied: string[] }> {
  const response = await api('/snapshots', { method: 'POST', body: '{}' })
  expect(response.status).toBe(201)
  const id = PlanRecordSchema.parse(await response.json()).id
  return { id, copied: copiedBy(id) }
}

function copiedBy(id: string): string[] {
  const line = taken.find((fields) => fields.snapshot === id)
  if (!line) throw new Error(`no snapshot.taken line for ${id}`)
  return typeof line.copied === 'string' ? line.copied.split(',').sort() : []
}

/** A board's row at a snapshot: its state and internal document, as stored. */
async function row(id: string, board: BoardId): Promise<{ state: number[]; internal: number[] | undefined }> {
  const state = await server.store.getSnapshotBoard(workshop.id, id, board)
  if (!state) throw new Error(`no row of ${board} at ${id}`)
  const internal = await server.store.getSnapshotInternalBoard(workshop.id, id, board)
  return { state: [...state], internal: internal && [...internal] }
}

/** The records of a stored state or internal document. */
function records(bytes: readonly number[] | undefined): Map<string, JsonObject> {
  const doc = new Y.Doc()
  if (bytes) Y.applyUpdate(doc, new Uint8Array(bytes))
  const read = readRecords(doc)
  doc.destroy()
  return read
}

/** What the live board holds now, both documents, for comparison with a row. */
function live(board: BoardId): { shared: Map<string, JsonObject>; internal: Map<string, JsonObject> } {
  const room = server.server.rooms.get(`${workshop.id}/${board}`)
  if (!room?.internal) throw new Error(`${board} is not loaded`)
  return { shared: readRecords(room.doc), internal: readRecords(room.internal.doc) }
}

const others = (board: BoardId) => BOARD_IDS.filter((b) => b !== board).sort()

beforeAll(async () => {
  // Changes close when the history is read ([H5]), never by timing.
  server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 }, { log })
  workshop = await server.createWorkshop()
})

afterAll(async () => {
  for (const page of pages) page.destroy()
  await server?.close()
})

test('an edit to one board, then a snapshot: the other boards\' rows are copied, the edited board stored as it is now', async () => {
  const tom = await teamPage(server, workshop, 'stakeholders', 'Tom')
  const ada = await teamPage(server, workshop, 'swot', 'Ada')
  pages.push(tom, ada)
  await tom.change([
    json(stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva', jobTitle: 'CFO' })),
    json(note('shape:secret', { x: 400, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 'Internal first')),
  ])
  await ada.change([json(note('shape:s1', { x: 100, y: 100 }, 'Strong brand'))])
  const first = await snapshot()
  // The first snapshot this server takes has nothing it knows to copy from.
  expect(first.copied).toEqual([])

  const ana = tom.records().get('shape:ana') as JsonObject
  await tom.change([{ ...ana, props: { ...(ana.props as JsonObject), jobTitle: 'CEO' } }])
  const second = await snapshot()
  expect(second.copied).toEqual(others('stakeholders'))
  for (const board of others('stakeholders')) expect(await row(second.id, board)).toEqual(await row(first.id, board))
  const edited = await row(second.id, 'stakeholders')
  expect(edited.state).not.toEqual((await row(first.id, 'stakeholders')).state)
  expect(records(edited.state)).toEqual(live('stakeholders').shared)
  expect((records(edited.state).get('shape:ana')?.props as JsonObject).jobTitle).toBe('CEO')
  expect(records(edited.internal)).toEqual(live('stakeholders').internal)

  // Nothing changed since: a snapshot copies every board.
  const third = await snapshot()
  expect(third.copied).toEqual([...BOARD_IDS].sort())
  for (const board of BOARD_IDS) expect(await row(third.id, board)).toEqual(await row(second.id, board))
})

test('a change to a board\'s internal document only is not copied over', async () => {
  const [tom] = pages
  if (!tom) throw new Error('no page')
  const before = await snapshot()
  const secret = tom.records().get('shape:secret') as JsonObject
  await tom.change([json(note('shape:secret', { x: 400, y: 0, meta: { [INTERNAL_META_KEY]: true } }, 'Internal second'))])
  expect(live('stakeholders').internal.get('shape:secret')).not.toEqual(secret)
  const after = await snapshot()
  expect(after.copied).toEqual(others('stakeholders'))
  const stored = await row(after.id, 'stakeholders')
  expect(stored.state).toEqual((await row(before.id, 'stakeholders')).state)
  expect(records(stored.internal)).toEqual(live('stakeholders').internal)
  expect(JSON.stringify([...records(stored.internal).values()])).toContain('Internal second')
})

test('a restore and a revert change their board: the next snapshot stores it again', async () => {
  const [, ada] = pages
  if (!ada) throw new Error('no page')
  const [oldest] = (await server.store.listSnapshots(workshop.id)).slice(-1)
  if (!oldest) throw new Error('no snapshot')
  const restored = await api(`/snapshots/${oldest.id}/restore`, { method: 'POST', body: JSON.stringify({ board: 'stakeholders' }) })
  expect(restored.status).toBe(200)
  const afterRestore = await snapshot()
  expect(afterRestore.copied).toEqual(others('stakeholders'))
  const stakeholders = await row(afterRestore.id, 'stakeholders')
  expect(records(stakeholders.state)).toEqual(live('stakeholders').shared)
  expect((records(stakeholders.state).get('shape:ana')?.props as JsonObject).jobTitle).toBe('CFO')
  expect(records(stakeholders.internal)).toEqual(live('stakeholders').internal)

  const { list } = await readHistory(server, workshop, 'swot', 'facilitator')
  const creation = list.changes.find((change) => change.records.some((r) => r.id === 'shape:s1'))
  if (!creation) throw new Error('no change of the swot note')
  const reverted = await api(`/boards/swot/changes/${creation.id}/revert`, { method: 'POST' })
  expect(reverted.status).toBe(200)
  expect(RevertResultSchema.parse(await reverted.json()).reverted).toBe(1)
  const afterRevert = await snapshot()
  expect(afterRevert.copied).toEqual(others('swot'))
  const swot = await row(afterRevert.id, 'swot')
  expect(records(swot.state)).toEqual(live('swot').shared)
  expect(records(swot.state).has('shape:s1')).toBe(false)
})

test('when the snapshot to copy from was deleted meanwhile, every board is encoded and stored', async () => {
  const [latest] = await server.store.listSnapshots(workshop.id)
  if (!latest) throw new Error('no snapshot')
  // As a facilitator's deletion through another instance would: this server is not told.
  expect(await server.store.deleteSnapshot(workshop.id, latest.id)).toBe(true)
  const after = await snapshot()
  expect(refused).toHaveLength(1)
  expect(after.copied).toEqual([])
  for (const board of ['stakeholders', 'swot'] as const) {
    const stored = await row(after.id, board)
    expect(records(stored.state)).toEqual(live(board).shared)
    expect(records(stored.internal)).toEqual(live(board).internal)
  }
  expect(records((await row(after.id, 'actions')).state).size).toBeGreaterThan(0)
  // And the next one copies from it again.
  expect((await snapshot()).copied).toEqual([...BOARD_IDS].sort())
})

test('[I3] after another instance stored a snapshot, an automatic one copies from that one what equals its rows, and encodes the rest', async () => {
  const [latest] = await server.store.listSnapshots(workshop.id)
  const [oldest] = (await server.store.listSnapshots(workshop.id)).slice(-1)
  if (!latest || !oldest) throw new Error('no snapshot')
  // As another instance would store it: every board as now but swot, whose row is an older one.
  const boards: Partial<Record<BoardId, Uint8Array>> = {}
  const internalBoards: Partial<Record<BoardId, Uint8Array>> = {}
  for (const board of BOARD_IDS) {
    const from = board === 'swot' ? oldest.id : latest.id
    const { state, internal } = await row(from, board)
    boards[board] = new Uint8Array(state)
    if (internal) internalBoards[board] = new Uint8Array(internal)
  }
  const foreign = samplePlan({ id: 'foreign-snapshot-1', workshopId: workshop.id, takenAt: new Date(Date.now() + 1000).toISOString() })
  await server.store.insertSnapshot({ plan: foreign, boards, internalBoards })

  // [S17] session end: everyone leaves, the boards unload.
  for (const page of pages.splice(0)) page.destroy()
  await waitFor(() => taken.some((fields) => fields.trigger === 'session_end'), 'a session_end snapshot')
  const ended = taken.find((fields) => fields.trigger === 'session_end')
  if (typeof ended?.snapshot !== 'string') throw new Error('no snapshot id')
  expect(copiedBy(ended.snapshot)).toEqual(others('swot'))
  for (const board of others('swot')) expect(await row(ended.snapshot, board)).toEqual(await row(foreign.id, board))
  const swot = await row(ended.snapshot, 'swot')
  expect(records(swot.state)).toEqual(records((await row(latest.id, 'swot')).state))
  expect(swot.state).not.toEqual((await row(foreign.id, 'swot')).state)
})
