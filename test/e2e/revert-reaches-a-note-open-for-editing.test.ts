/**
 * QA q28b: Tom had a note open for editing (double-clicked, nothing typed) when the facilitator
 * reverted a change to its text. His page held the note's text as its typist and wrote it back,
 * so the revert was undone for everyone ("Reverted 1 item.", yet every page showed the old text),
 * and History credited Tom with a change he never made. A page that has typed nothing into the
 * note lets the revert in.
 */
import { expect, it } from 'vitest'
import { ChangeListSchema, RevertResultSchema } from '../../shared/historyApi.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { note } from '../helpers/planBoards.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { workshopFetch } from '../helpers/startServer.ts'

// Changes close when the history is read, never by timing.
const e2e = setUpBrowserTest({ historyIdleMs: 600_000, historyMaxMs: 600_000 })

it("a revert of a note's text reaches the page that has the note open, and stays", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const changes = async () => ChangeListSchema.parse(await (await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/boards/swot/changes`)).json()).changes
  const ada = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  const delta = noteIn('strengths', 'shape:delta', 'Delta')
  await ada.write([delta])
  await changes()
  const { parentId, x, y } = delta as { parentId: string; x: number; y: number }
  await ada.write([{ ...note('shape:delta', { x, y, parentId }, 'Delta two'), meta: delta.meta }])
  const [edit] = await changes()
  expect(edit?.records.map((record) => record.id)).toEqual(['shape:delta'])
  ada.destroy()

  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Weber'])
  if (!tom) throw new Error('no page')
  await waitForBoard(tom.page)
  await exposeEditor(tom.page)
  const shape = shapeWithText(tom.page, 'note', 'Delta two')
  await shape.dblclick()
  await tom.page.waitForFunction(() => window.testEditor.getEditingShapeId() === 'shape:delta', undefined, { timeout: WAIT_MS })

  const reverted = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/boards/swot/changes/${edit?.id}/revert`, { method: 'POST' })
  expect(RevertResultSchema.parse(await reverted.json())).toMatchObject({ reverted: 1, conflicts: [] })
  await shapeWithText(tom.page, 'note', 'Delta two').waitFor({ state: 'detached', timeout: WAIT_MS })
  // And it stays so on the server: a reader who joins now gets the reverted text.
  const reader = await openBoard(e2e.server, workshop.id, 'swot', 'Rita')
  const text = (reader.records().get('shape:delta')?.props as { richText?: unknown } | undefined)?.richText
  expect(JSON.stringify(text)).toContain('"Delta"')
  expect(JSON.stringify(text)).not.toContain('Delta two')
  // No change of Tom's in History.
  expect((await changes()).filter((change) => change.name === 'Tom Weber')).toEqual([])
  reader.destroy()
  await tom.context.close()
})
