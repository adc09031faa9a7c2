/**
 * tldraw's store asks whether a changed record's two versions are equal before running the
 * after-change handlers; the `recordChangesComparedCheaply` build plugin has it ask
 * `recordsEqual` (client/board/recordsEqual.ts) instead of lodash's `isEqual`, which walked every
 * record of a batch in full (issue 14: ~1,000 remote moves at a time). Checked here: the plugin
 * reaches the installed `@tldraw/store` and the build fails on a module it does not know, and
 * `recordsEqual` answers as lodash's `isEqual` over seeded random versions (moves, changed and
 * kept nested objects, keys added, removed or left undefined, NaN, -0). Seeded; the seed is printed.
 */
import { isEqual } from '@tldraw/utils'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { recordsEqual } from '../../client/board/recordsEqual.ts'
import config, { recordChangesComparedCheaply } from '../../vite.config.ts'

const SEED = 20261205
console.log(`record-changes-compared-cheaply seed ${SEED}`)

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const storeFile = fileURLToPath(new URL('../../node_modules/@tldraw/store/dist-esm/lib/Store.mjs', import.meta.url))
const transform = recordChangesComparedCheaply().transform as (code: string, id: string) => { code: string } | null // an object-less transform hook

describe('the record-comparison plugin', () => {
  it('reaches the installed tldraw store: its after-change check asks recordsEqual', () => {
    const store = transform(readFileSync(storeFile, 'utf8'), storeFile)?.code
    expect(store).toContain('if (before && after && before !== after && !keyplanRecordsEqual(before, after)) {')
    expect(store).toMatch(/^import \{ recordsEqual as keyplanRecordsEqual \} from ".*client\/board\/recordsEqual\.ts";/)
    const names = (config.plugins ?? []).flat().map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : null))
    expect(names).toContain(recordChangesComparedCheaply().name)
  })

  it('fails the build on a module it does not know', () => {
    expect(() => transform('export class Store {}', storeFile)).toThrow(/Store.mjs changed/)
    expect(transform('export const other = 1', '/x/other.mjs')).toBeNull()
  })
})

describe('recordsEqual', () => {
  it('answers as lodash isEqual for records: moves, nested changes, keys added, removed or undefined', () => {
    const rand = random(SEED)
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T
    const values = [0, -0, 1, 2.5, Number.NaN, 'a', 'b', null, undefined, true, false, [1, 2], [1, 3], { c: 1 }, { c: 2 }]
    const keys = ['x', 'y', 'rotation', 'isLocked', 'opacity', 'extra', 'props', 'meta']
    let equal = 0
    for (let i = 0; i < 5_000; i++) {
      const props = { w: pick([100, 200]), color: pick(['red', 'blue']), richText: { type: 'doc', content: [{ type: 'p', text: pick(['a', 'b']) }] } }
      const a: Record<string, unknown> = { id: 'shape:x', typeName: 'shape', x: pick([0, 10]), y: pick([0, 10]), rotation: 0, props, meta: {} }
      const b: Record<string, unknown> = { ...a }
      for (let n = Math.floor(rand() * 3); n > 0; n--) {
        const key = pick(keys)
        const r = rand()
        if (r < 0.15) delete b[key]
        else if (r < 0.3) b[key] = undefined
        else if (r < 0.45 && key === 'props') b.props = JSON.parse(JSON.stringify(props)) // an equal copy
        else if (r < 0.6 && key === 'props') b.props = { ...props, w: pick([100, 200]) }
        else b[key] = pick(values)
      }
      if (rand() < 0.2) for (const key of keys) if (rand() < 0.3) a[key] = pick(values)
      const [first, second] = rand() < 0.5 ? [a, b] : [b, a]
      const expected = isEqual(first, second)
      if (expected) equal++
      expect(recordsEqual(first, second), JSON.stringify([first, second])).toBe(expected)
    }
    // Both answers came up often enough to mean something.
    expect(equal).toBeGreaterThan(500)
    expect(equal).toBeLessThan(4_500)
  })

  it('leaves anything that is not a plain object to lodash', () => {
    expect(recordsEqual([1, 2], [1, 2])).toBe(true)
    expect(recordsEqual(new Map([[1, 2]]), new Map([[1, 3]]))).toBe(false)
    expect(recordsEqual(Object.create(null), {})).toBe(isEqual(Object.create(null), {}))
  })
})
