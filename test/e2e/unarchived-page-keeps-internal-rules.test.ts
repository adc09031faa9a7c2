/**
 * Review of session 28: a team page opened while its workshop was archived (read-only) and then
 * unarchived became editable without a reload, but the rules that keep what is written inside an
 * internal frame internal ([A39]) were started only on pages editable when opened: a note written
 * into the internal frame there went to the shared document, which the guest syncs.
 */
import { expect, it } from 'vitest'
import type { TLShapeId } from 'tldraw'
import { readRecords } from '../../shared/docLayout.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { frame } from '../helpers/planBoards.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('a note written into an internal frame on a page unarchived while open is internal', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  const teamOnly = frame('shape:teamonly', { x: 2000, y: 0 }, 600, 400, 'Team only')
  await board.write([{ ...teamOnly, meta: { ...teamOnly.meta, keyplanInternal: true } }])
  board.destroy()
  const archive = (archived: boolean) =>
    workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ archived }) })
  expect((await archive(true)).status).toBe(200)

  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  await waitForBoard(tom.page)
  await exposeEditor(tom.page)
  await tom.page.waitForFunction(() => window.testEditor.getInstanceState().isReadonly, undefined, { timeout: WAIT_MS })
  expect((await archive(false)).status).toBe(200)
  await tom.page.waitForFunction(() => !window.testEditor.getInstanceState().isReadonly, undefined, { timeout: WAIT_MS })

  await tom.page.evaluate(() => {
    window.testEditor.createShape({ id: 'shape:written' as TLShapeId, type: 'geo', parentId: 'shape:teamonly' as TLShapeId, x: 40, y: 40, props: { w: 120, h: 60 } })
  })
  await tom.page.waitForFunction(() => window.testEditor.getShape('shape:written' as TLShapeId)?.meta['keyplanInternal'] === true, undefined, { timeout: WAIT_MS })
  // On the server: in the internal document, never in the shared one.
  const room = (part: string) => e2e.server.server.rooms.get(`${workshop.id}/stakeholders${part}`)
  await waitUntil(async () => {
    const internal = room('/internal')
    return internal !== undefined && readRecords(internal.doc).has('shape:written')
  }, 'the shape in the internal document')
  const shared = room('')
  expect(shared && readRecords(shared.doc).has('shape:written')).toBe(false)
  await tom.context.close()
})
