/**
 * [R10] A shape's parent chain never comes back to it, and no binding binds a shape to itself (QA
 * q33a: a guest's note that was its own parent, two notes each other's parent, or an arrow bound to
 * itself froze or crashed every page that opened the board, the facilitator's included). Each such
 * update from a raw `y-websocket` client, a guest's or the team's, is refused with 4422 and
 * nothing of it is stored; an honest peer stays connected and sees none of it. A parent the board
 * does not have is not refused: it may be in the board's other document or arrive later.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { creatorStamp } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY, INTERNAL_ROOM_SUFFIX } from '../../shared/sensitivity.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { connectSynced, nextClose, waitFor, type TestClient } from '../helpers/clients.ts'
import { arrow, arrowBinding, frame, note, stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let peer: TestClient
beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  peer = await connectSynced(server.syncUrl, `${workshop.id}/actions`, { params: { token: workshop.tokens.team, user: 'user:honest-peer' } })
})
afterAll(async () => {
  peer.destroy()
  await server.close()
})

const GUEST_KEY = 'guest-key-of-eve-000000001'
const guestStamp = { keyplanCreator: creatorStamp({ role: 'guest', userId: 'user:eve', keyId: participantKeyId(GUEST_KEY) }) } as unknown as JsonObject // a stamp is JSON

/** Records are JSON. */
const json = (record: unknown) => record as JsonObject

/** What the server's room `part` holds of record `id`. */
function stored(part: string, id: string): JsonObject | undefined {
  const room = server.server.rooms.get(`${workshop.id}/${part}`)
  return room ? readRecords(room.doc).get(id) : undefined
}

/**
 * Writes `put` from a fresh raw client (the team's, or a guest's with `guest`) into `part` and says
 * what the server did: the writer closed with 4422 (its reason returned), or everything stored.
 */
async function write(part: string, put: JsonObject[], guest = false): Promise<{ refused: string } | 'stored'> {
  const params: Record<string, string> = guest ? { token: workshop.tokens.guest, user: 'user:eve', key: GUEST_KEY } : { token: workshop.tokens.team, user: 'user:tina' }
  const client = await connectSynced(server.syncUrl, `${workshop.id}/${part}`, { params, shouldReconnect: () => false })
  let closed: { code: number; reason: string } | null = null
  void nextClose(client.provider).then((close) => (closed = close))
  writeRecordChanges(client.doc, { put, remove: [] })
  const isStored = () => put.every((record) => JSON.stringify(stored(part, String(record.id))) === JSON.stringify(readRecords(client.doc).get(String(record.id))))
  await waitFor(() => closed !== null || isStored(), 'the records to be stored or refused')
  client.destroy()
  if (closed === null) return 'stored'
  const { code, reason } = closed as { code: number; reason: string } // set by the close above
  expect(code).toBe(CLOSE_CODES.updateRefused)
  return { refused: reason }
}

/** Nothing of `ids` is stored, and the honest peer is still connected without any of them. */
async function nothingOf(part: string, ...ids: string[]): Promise<void> {
  for (const id of ids) expect(stored(part, id)).toBeUndefined()
  expect(peer.provider.wsconnected).toBe(true)
  for (const id of ids) expect(readRecords(peer.doc).has(id)).toBe(false)
}

test("[R10] a guest's note that is its own parent is refused, nothing stored, the peer unaffected", async () => {
  const self = json(note('shape:self', { x: 100, y: 300, parentId: 'shape:self', meta: guestStamp }, 'self'))
  expect(await write('actions', [self], true)).toEqual({ refused: 'shape:self is its own parent' })
  await nothingOf('actions', 'shape:self')
})

test('[R10] two notes each the parent of the other are refused, in one update', async () => {
  const a = json(note('shape:cycA', { x: 100, y: 300, parentId: 'shape:cycB', meta: guestStamp }, 'A'))
  const b = json(note('shape:cycB', { x: 100, y: 300, parentId: 'shape:cycA', meta: guestStamp }, 'B'))
  expect(await write('actions', [a, b], true)).toEqual({ refused: expect.stringMatching(/^shape:cyc[AB] is in a parent cycle$/) })
  await nothingOf('actions', 'shape:cycA', 'shape:cycB')
})

test('[R10] a re-parent that closes a cycle through stored frames is refused; an honest re-parent is stored', async () => {
  const outer = json(frame('shape:outer', { x: 0, y: 0, parentId: BOARD_PAGE_ID }, 400, 400, 'Outer'))
  const inner = json(frame('shape:inner', { x: 10, y: 10, parentId: 'shape:outer' }, 200, 200, 'Inner'))
  const card = json(note('shape:in-inner', { x: 10, y: 10, parentId: 'shape:inner' }, 'inside'))
  expect(await write('actions', [outer, inner, card])).toBe('stored')
  // The outer frame into the note that sits in its own inner frame: three links round.
  expect(await write('actions', [{ ...outer, parentId: 'shape:in-inner' }])).toEqual({ refused: 'shape:outer is in a parent cycle' })
  expect(stored('actions', 'shape:outer')?.parentId).toBe(BOARD_PAGE_ID)
  // A shape put under it anew is fine: the chain reaches the page.
  expect(await write('actions', [json(note('shape:deep', { x: 0, y: 0, parentId: 'shape:in-inner' }, 'deep'))])).toBe('stored')
  await waitFor(() => readRecords(peer.doc).has('shape:deep'), 'the peer to get the honest note')
  expect(peer.provider.wsconnected).toBe(true)
})

test("[R10] an arrow bound to itself is refused; bound to another shape it is stored", async () => {
  const line = json({ ...arrow('shape:arr', { x: 100, y: 300, meta: guestStamp }) })
  const self = json({ ...arrowBinding('shape:arr', 'shape:arr', 'end'), meta: guestStamp })
  expect(await write('actions', [line, self], true)).toEqual({ refused: 'binding:arr-end binds a shape to itself' })
  await nothingOf('actions', 'shape:arr', 'binding:arr-end')
  const target = json(note('shape:target', { x: 400, y: 300, meta: guestStamp }, 'target'))
  const bound = json({ ...arrowBinding('shape:arr', 'shape:target', 'end'), meta: guestStamp })
  expect(await write('actions', [line, target, bound], true)).toBe('stored')
})

test('[R10] a parent the board does not have is not refused (it may be elsewhere, or come later)', async () => {
  const orphan = json(note('shape:orphan', { x: 0, y: 0, parentId: 'shape:nowhere', meta: guestStamp }, 'orphan'))
  expect(await write('actions', [orphan], true)).toBe('stored')
})

test("[R10] a cycle through the board's two documents is refused", async () => {
  const INTERNAL = `stakeholders/${INTERNAL_ROOM_SUFFIX}`
  const visible = json(frame('shape:visible', { x: 0, y: 0, parentId: BOARD_PAGE_ID }, 600, 600, 'Visible'))
  const hidden = json(frame('shape:hidden', { x: 10, y: 10, parentId: 'shape:visible', meta: { [INTERNAL_META_KEY]: true } }, 300, 300, 'Hidden'))
  expect(await write('stakeholders', [visible])).toBe('stored')
  expect(await write(INTERNAL, [hidden])).toBe('stored')
  // A card in the internal frame, in the shared document (a page from before [A39]): accepted.
  expect(await write('stakeholders', [json(stakeholder('shape:anna', { x: 5, y: 5, parentId: 'shape:hidden' }, { name: 'Anna' }))])).toBe('stored')
  // The visible frame into the internal one, which sits in it.
  expect(await write('stakeholders', [{ ...visible, parentId: 'shape:hidden' }])).toEqual({ refused: 'shape:visible is in a parent cycle' })
  expect(stored('stakeholders', 'shape:visible')?.parentId).toBe(BOARD_PAGE_ID)
})
