/**
 * [R9] A relationship line on the stakeholder map is drawn as its kind says (issue 12: a Conflict
 * arrow recoloured green read as Ally in the legend). The page always restyles a line to its kind;
 * a raw `y-websocket` client writing another look is refused with 4422 and nothing is stored.
 * Lines of internal kinds (influences, conflict, ally by default) live in the board's internal
 * document ([A31]), "reports to" lines in the shared one: the rule holds in both.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { RELATIONSHIP_STYLES } from '../../shared/shapes.ts'
import { INTERNAL_ROOM_SUFFIX } from '../../shared/sensitivity.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { arrow } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
let workshopId: string
beforeAll(async () => {
  server = await startServer()
  workshopId = (await server.createWorkshop()).id
})
afterAll(() => server.close())

/** The stakeholder map's internal document, where lines of internal kinds go. */
const INTERNAL = `stakeholders/${INTERNAL_ROOM_SUFFIX}`

/** An arrow record with `kind` in `meta.relationship` (none when undefined), drawn `color` and `dash`. */
function line(id: string, kind: string | undefined, look: { color: string; dash: string }): JsonObject {
  const shape = arrow(id, { x: 0, y: 0, parentId: BOARD_PAGE_ID, meta: kind === undefined ? {} : { relationship: kind } })
  return { ...shape, props: { ...shape.props, ...look } } as unknown as JsonObject // tldraw records are JSON
}

/** What the server's room holds of record `id` in `part` (a board, or its internal document). */
function stored(part: string, id: string): JsonObject | undefined {
  const room = server.server.rooms.get(`${workshopId}/${part}`)
  return room ? readRecords(room.doc).get(id) : undefined
}

/**
 * Writes `record` from a fresh raw client of the team into `part` and says what the server did: the
 * writer closed with 4422 and the record as before, or the record stored as written.
 */
async function write(part: string, record: JsonObject): Promise<'refused' | 'stored'> {
  const client: TestClient = await connectSynced(server.syncUrl, `${workshopId}/${part}`)
  let closedWith: number | null = null
  void nextClose(client.provider).then(({ code }) => (closedWith = code))
  writeRecordChanges(client.doc, { put: [record], remove: [] })
  const id = String(record.id)
  const isStored = () => JSON.stringify(stored(part, id)) === JSON.stringify(readRecords(client.doc).get(id))
  await waitFor(() => closedWith !== null || isStored(), 'the line to be stored or refused')
  client.destroy()
  if (closedWith === null) return 'stored'
  expect(closedWith).toBe(CLOSE_CODES.updateRefused)
  return 'refused'
}

describe('[R9] on the stakeholder map', () => {
  test('a Conflict line coloured green is refused and not stored', async () => {
    expect(await write(INTERNAL, line('shape:green-conflict', 'conflict', { color: 'green', dash: 'solid' }))).toBe('refused')
    expect(stored(INTERNAL, 'shape:green-conflict')).toBeUndefined()
  })

  test('a Conflict line drawn red is stored, and recolouring it green later is refused', async () => {
    const red = line('shape:conflict', 'conflict', RELATIONSHIP_STYLES.conflict)
    expect(await write(INTERNAL, red)).toBe('stored')
    expect(await write(INTERNAL, { ...red, props: { ...(red.props as JsonObject), color: 'green' } })).toBe('refused')
    expect((stored(INTERNAL, 'shape:conflict')?.props as JsonObject | undefined)?.color).toBe('red')
  })

  test('changing the kind without the look is refused; kind and look together are stored', async () => {
    const ally = line('shape:ally', 'ally', RELATIONSHIP_STYLES.ally)
    expect(await write(INTERNAL, ally)).toBe('stored')
    expect(await write(INTERNAL, { ...ally, meta: { relationship: 'conflict' } })).toBe('refused')
    expect(await write(INTERNAL, line('shape:ally', 'conflict', RELATIONSHIP_STYLES.conflict))).toBe('stored')
  })

  test('a "reports to" line in the shared document is held to its look too', async () => {
    expect(await write('stakeholders', line('shape:reports-dashed', 'reports_to', { color: 'black', dash: 'dashed' }))).toBe('refused')
    expect(await write('stakeholders', line('shape:reports', 'reports_to', RELATIONSHIP_STYLES.reports_to))).toBe('stored')
  })

  test('a line without a kind, or with an unknown one, is drawn as the influence the plan reads it as', async () => {
    expect(await write('stakeholders', line('shape:unset-black', undefined, { color: 'black', dash: 'draw' }))).toBe('refused')
    expect(await write('stakeholders', line('shape:enemy', 'enemy', { color: 'red', dash: 'solid' }))).toBe('refused')
    expect(await write('stakeholders', line('shape:unset', undefined, RELATIONSHIP_STYLES.influences))).toBe('stored')
  })
})

test('[R9] arrows on other boards are drawings, drawn as anyone likes', async () => {
  expect(await write('swot', line('shape:drawing', 'reports_to', { color: 'green', dash: 'dotted' }))).toBe('stored')
})
