/**
 * A SWOT sticky note dragged together with another lands in the quadrant its centre is over (found
 * in the twenty-seventh session, left then): tldraw put every dragged note into the frame under the
 * pointer, and since session 27 a frame takes a note of a multiple drag only when its centre is
 * over it. So a note whose centre crossed into Weaknesses, while the pointer stayed in Strengths,
 * was left a child of Strengths, clipped by it: the board showed a sliver of it in Strengths, and
 * the plan read it in Weaknesses. In real Chromium, with two people: each dropped note's parent is
 * the quadrant its centre is over, on both pages.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import type { TLShapeId } from 'tldraw'
import { SWOT_FRAMES } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { note } from '../helpers/planBoards.ts'

const two = setUpTwoPeopleOnBoard('swot')

beforeAll(async () => {
  await Promise.all([exposeEditor(two.alice.page), exposeEditor(two.bob.page)])
  const board = await openBoard(two.server, two.workshop.id, 'swot', 'Ada')
  await board.write([
    note('shape:left', { x: 100, y: 200, parentId: SWOT_FRAMES.strengths.id }, 'Strong service desk'),
    note('shape:edge', { x: 700, y: 200, parentId: SWOT_FRAMES.strengths.id }, 'Long contract history'),
  ])
  board.destroy()
  await waitUntil(async () => (await parentOf(two.alice.page, 'shape:edge')) !== null, 'Alice has both notes')
})

function parentOf(page: Page, id: string): Promise<string | null> {
  return page.evaluate((noteId) => String(window.testEditor.getShape(noteId as TLShapeId)?.parentId ?? '') || null, id)
}

it("puts each note of a multiple drag into the quadrant its centre is over, not the pointer's", async () => {
  const { alice, bob } = two
  // Both selected, dragged 240 page units right by the left note: the right one's centre crosses
  // into Weaknesses while a strip of it is still over Strengths; the pointer stays in Strengths.
  const { from, to } = await alice.page.evaluate(() => {
    const editor = window.testEditor
    editor.select('shape:left' as TLShapeId, 'shape:edge' as TLShapeId)
    const centre = editor.getShapePageBounds('shape:left' as TLShapeId)?.center
    if (!centre) throw new Error('no note')
    return { from: editor.pageToScreen(centre), to: editor.pageToScreen({ x: centre.x + 240, y: centre.y }) }
  })
  await alice.page.mouse.move(from.x, from.y)
  await alice.page.mouse.down()
  await alice.page.mouse.move(to.x, to.y, { steps: 12 })
  await alice.page.mouse.up()
  for (const page of [alice.page, bob.page]) {
    await waitUntil(async () => (await parentOf(page, 'shape:edge')) === SWOT_FRAMES.weaknesses.id, 'the right note lands in Weaknesses')
    expect(await parentOf(page, 'shape:left')).toBe(SWOT_FRAMES.strengths.id)
  }
  // Where it was: the same place on the page, not moved by the change of frame.
  const box = await alice.page.evaluate(() => window.testEditor.getShapePageBounds('shape:edge' as TLShapeId)?.x)
  expect(box).toBeCloseTo(940, 0)
})
