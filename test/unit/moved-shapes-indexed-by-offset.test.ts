/**
 * tldraw's spatial index takes a shape that a change only moved at its indexed bounds shifted by
 * the move (issue 14, `client/board/movedShapeBounds.ts`): the `movedShapesIndexedByOffset` build
 * plugin, checked here against the installed `@tldraw/editor` (the build fails on a module it does
 * not know), and which changes count as a move. What it does in a page is checked by
 * `test/e2e/remote-moves-indexed-by-offset`.
 */
import type { TLRecord, TLShape } from 'tldraw'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { noteMove, type Moves } from '../../client/board/movedShapeBounds.ts'
import config, { movedShapesIndexedByOffset } from '../../vite.config.ts'

const indexFile = fileURLToPath(new URL('../../node_modules/@tldraw/editor/dist-esm/lib/editor/managers/SpatialIndexManager/SpatialIndexManager.mjs', import.meta.url))
const transform = movedShapesIndexedByOffset().transform as (code: string, id: string) => { code: string } | null // an object-less transform hook

describe('the moved-shapes index plugin', () => {
  it('reaches the installed tldraw: moves are noted from the shape diffs and indexed by offset before page bounds are derived', () => {
    const code = transform(readFileSync(indexFile, 'utf8'), indexFile)?.code ?? ''
    expect(code).toContain('markDirty(to.id);\n        keyplanNoteMove(keyplanMoves, from, to);\n')
    expect(code).toContain('keyplanMoves.set(shape.id, null);')
    expect(code.indexOf('keyplanMovedBounds(this.editor, keyplanMoves, id, indexedElement)')).toBeLessThan(code.indexOf('const bounds = this.editor.getShapePageBounds(id);'))
    expect(code.indexOf('keyplanMovedBounds(this.editor')).toBeGreaterThan(0)
    const names = (config.plugins ?? []).flat().map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : null))
    expect(names).toContain(movedShapesIndexedByOffset().name)
  })

  it('fails the build on a module it does not know', () => {
    expect(() => transform('export class SpatialIndexManager {}', indexFile)).toThrow(/SpatialIndexManager.mjs changed/)
    expect(transform('export const other = 1', '/x/other.mjs')).toBeNull()
  })
})

describe('noteMove', () => {
  const props = { w: 200, h: 150 }
  const meta = {}
  const shape = (fields: Partial<TLShape> = {}) => ({ id: 'shape:a', typeName: 'shape', type: 'geo', x: 100, y: 50, rotation: 0, parentId: 'page:page', props, meta, ...fields }) as unknown as TLShape // the fields the check reads

  it('adds up the moves of a shape that keeps its page, rotation, props and meta', () => {
    const moves: Moves = new Map()
    noteMove(moves, shape() as TLRecord, shape({ x: 115, y: 60 }))
    noteMove(moves, shape({ x: 115, y: 60 }) as TLRecord, shape({ x: 100, y: 100 }))
    expect(moves.get('shape:a')).toEqual({ dx: 0, dy: 50 })
  })

  it('counts anything more than a move as a change for tldraw to derive, for the rest of the batch', () => {
    const changes: Array<Partial<TLShape>> = [
      { rotation: 0.5 },
      { props: { ...props } },
      { meta: { note: 1 } },
      { parentId: 'shape:frame' as TLShape['parentId'] },
      { type: 'note' },
    ]
    for (const change of changes) {
      const moves: Moves = new Map()
      noteMove(moves, shape() as TLRecord, shape({ x: 115, ...change }))
      noteMove(moves, shape({ x: 115, ...change }) as TLRecord, shape({ x: 130, ...change }))
      expect(moves.get('shape:a'), JSON.stringify(change)).toBeNull()
    }
    const inFrame: Moves = new Map()
    const child = (x: number) => shape({ x, parentId: 'shape:frame' as TLShape['parentId'] })
    noteMove(inFrame, child(0) as TLRecord, child(10))
    expect(inFrame.get('shape:a')).toBeNull()
  })
})
