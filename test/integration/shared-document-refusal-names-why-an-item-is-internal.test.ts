/**
 * [A31] The shared document refuses an internal item, and its close reason says which kind of
 * internal it is, so the page's notice can say what happened (QA qa-depth guestline.mjs: a guest's
 * "Influences" line was explained as "The team marked an item internal as you changed it"): a
 * relationship line of an internal kind, or an item marked internal.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { CREATOR_META_KEY } from '../../shared/recordRights.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { connectSynced } from '../helpers/clients.ts'
import { arrow, note } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const json = (value: unknown) => value as JsonObject // test records are JSON
const guestMeta = { [CREATOR_META_KEY]: { role: 'guest', userId: 'user:carla' } }

test.each([
  ['a line of an internal kind', (doc: Y.Doc) => doc.getArray('keyplan.records').push([['shape:line', '', json(arrow('shape:line', { x: 0, y: 0, meta: { ...guestMeta, relationship: 'influences' } }))]]), /^shape:line is a relationship line of internal kind influences: /],
  ['an item marked internal', (doc: Y.Doc) => doc.getArray('keyplan.records').push([['shape:note', '', json(note('shape:note', { x: 0, y: 0, meta: { ...guestMeta, [INTERNAL_META_KEY]: true } }, 'x'))]]), /^shape:note is marked internal: /],
])('a guest writing %s is refused with a reason naming it [A31]', async (_what, write, reason) => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:carla' }, shouldReconnect: () => false })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => guest.provider.on('connection-close', (event) => resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' })))
  write(guest.doc)
  const { code, reason: said } = await closed
  expect(code).toBe(CLOSE_CODES.updateRefused)
  expect(said).toMatch(reason)
  guest.destroy()
})
