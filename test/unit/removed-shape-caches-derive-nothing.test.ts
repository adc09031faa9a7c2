import type { TLShape } from '@tldraw/tlschema'
import { react } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { createBoardStore } from '../../client/board/useBoardSync.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { geo } from '../helpers/planBoards.ts'

// Issue 14: when a teammate removes shapes, tldraw's reactors of each shape still on screen read
// the shape's cached geometry, transform, fonts… once more. Those caches must not run on the
// removed record (tldraw's store hands them a marker in its place, and tldraw's own functions throw
// on it, costing an error per cache and shape); they answer undefined, as for any unknown record.

describe('computed caches of a board store', () => {
  it('answer undefined for a removed shape without deriving anything from it', () => {
    const store = createBoardStore() // as the board's page makes it
    const box = geo('shape:box', { x: 10, y: 0, parentId: BOARD_PAGE_ID }, 100, 80, 'Box')
    store.put([box])
    const derivedFrom: unknown[] = []
    const compared: unknown[] = []
    const comparedResults: unknown[] = []
    const cache = store.createComputedCache(
      'x of a shape',
      (shape: TLShape) => {
        derivedFrom.push(shape)
        return shape.x
      },
      {
        areRecordsEqual: (a, b) => {
          compared.push(a, b)
          return a.x === b.x
        },
        areResultsEqual: (a, b) => {
          comparedResults.push(a, b)
          return a === b
        },
      },
    )
    const seen: Array<number | undefined> = []
    const stop = react('reads the cache', () => {
      seen.push(cache.get(box.id))
    })
    store.put([{ ...box, x: 20 }])
    store.remove([box.id])
    stop()

    expect(seen).toEqual([10, 20, undefined])
    for (const value of [...derivedFrom, ...compared]) expect(typeof value).toBe('object')
    for (const value of comparedResults) expect(typeof value).toBe('number')
  })
})
