/**
 * A teammate's delete of many shapes reaches the other page over several tasks (issue 14:
 * `client/board/bindStoreToYDoc.ts` takes removals out a budget at a time, so that no task is
 * long), while the teammate goes on: undoes the delete, deletes part of it again, adds and moves
 * shapes. Whatever arrives while removals still wait, the page ends with exactly the teammate's
 * shapes, and none of it lands on its own undo stack. Behaviour only: nothing here is timed.
 */
import type { TLShapeId } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

declare global {
  interface Window {
    /** Store changes of Bob's page that removed shapes, with how many each removed. */
    removalsPerChange: number[]
  }
}

const two = setUpTwoPeopleOnBoard('swot')

/** The number of entries on the page's undo stack (tldraw keeps its history manager protected). */
const undoCount = () => (window.testEditor as unknown as { history: { getNumUndos(): number } }).history.getNumUndos() // tldraw's HistoryManager
// More than one task of removals holds on a page that has not measured any yet (REMOVE_BUDGET_MS
// at the first guess of 0.05 ms a removal: 600).
const COUNT = 900

describe('a remote delete of many shapes', () => {
  it('goes out over several tasks and ends where the teammate ends, whatever arrives meanwhile', async () => {
    const { alice, bob } = two
    await exposeEditor(alice.page)
    await exposeEditor(bob.page)

    const ids = await alice.page.evaluate((count) => {
      const editor = window.testEditor
      const made = Array.from({ length: count }, (_, i) => ({
        id: `shape:e2egone${String(i).padStart(3, '0')}` as TLShapeId,
        type: i % 2 === 0 ? ('note' as const) : ('geo' as const),
        x: 100 + (i % 30) * 230,
        y: 1_400 + Math.floor(i / 30) * 230,
      }))
      editor.createShapes(made)
      // The deletes below are undone and redone on their own.
      editor.markHistoryStoppingPoint()
      return made.map((shape) => shape.id as string)
    }, COUNT)
    await bob.page.waitForFunction((wanted) => wanted.every((id) => window.testEditor.store.has(id as TLShapeId)), ids, { timeout: WAIT_MS })
    const undosBefore = await bob.page.evaluate(undoCount)
    await bob.page.evaluate(() => {
      window.removalsPerChange = []
      window.testEditor.store.listen(
        ({ changes }) => {
          const removed = Object.keys(changes.removed).filter((id) => id.startsWith('shape:')).length
          if (removed > 0) window.removalsPerChange.push(removed)
        },
        { source: 'remote', scope: 'document' },
      )
    })

    // Alice deletes them all; once Bob has started taking them out (maybe before he is done),
    // she undoes it, deletes every other one again, moves one that stays and adds a note: each
    // its own document transaction.
    await alice.page.evaluate((wanted) => {
      window.testEditor.deleteShapes(wanted as TLShapeId[])
    }, ids)
    await bob.page.waitForFunction(() => window.removalsPerChange.length > 0, undefined, { timeout: WAIT_MS })
    await alice.page.evaluate((wanted) => {
      const editor = window.testEditor
      editor.undo()
      editor.markHistoryStoppingPoint()
      editor.deleteShapes(wanted.filter((_, i) => i % 2 === 0) as TLShapeId[])
      editor.updateShape({ id: wanted[1] as TLShapeId, type: 'geo', x: 7_000, y: 900 })
      editor.createShape({ id: 'shape:e2eafter' as TLShapeId, type: 'note', x: 7_000, y: 1_200 })
    }, ids)

    type Placed = { id: string; x: number; y: number; parentId: string }
    const shapesOf = (page: typeof alice.page): Promise<Placed[]> =>
      page.evaluate(() =>
        window.testEditor
          .getCurrentPageShapes()
          .map((shape) => ({ id: String(shape.id), x: shape.x, y: shape.y, parentId: String(shape.parentId) }))
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
      )
    const wanted = await shapesOf(alice.page)
    expect(wanted.some((shape) => shape.id === 'shape:e2eafter')).toBe(true)
    await bob.page.waitForFunction(
      (expected) => {
        const shapes = window.testEditor.getCurrentPageShapes()
        return shapes.length === expected.length && expected.every(({ id, x }) => window.testEditor.getShape(id as TLShapeId)?.x === x)
      },
      wanted,
      { timeout: WAIT_MS },
    )
    expect(await shapesOf(bob.page)).toEqual(wanted)
    // Every one of Bob's changes that removed shapes removed fewer than a whole delete: the first
    // delete went out in parts.
    const removals = await bob.page.evaluate(() => window.removalsPerChange)
    expect(removals.length).toBeGreaterThan(1)
    expect(Math.max(...removals)).toBeLessThan(COUNT)
    // Nothing of Alice's reached Bob's undo stack.
    expect(await bob.page.evaluate(undoCount)).toBe(undosBefore)
  })
})
