/**
 * The reactor of tldraw's `Shape` that places a shape's element waits while the shape is culled
 * (issue 14, `client/board/culledShapePlacement.ts`): the `culledShapesPlacedWhenShown` build plugin,
 * checked here against the installed `@tldraw/editor`, and the build fails on a module it does not
 * know. What it does in a page is checked by `test/e2e/remote-moves-of-hidden-shapes-placed-when-shown`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import config, { culledShapesPlacedWhenShown } from '../../vite.config.ts'

const file = fileURLToPath(new URL('../../node_modules/@tldraw/editor/dist-esm/lib/components/Shape.mjs', import.meta.url))
const transform = culledShapesPlacedWhenShown().transform as (code: string, id: string) => { code: string } | null // an object-less transform hook

describe('the culled-shape placement plugin', () => {
  it('reaches the installed tldraw: the placing reactor returns first while the shape is culled', () => {
    const out = transform(readFileSync(file, 'utf8'), file)
    expect(out?.code).toContain('"set shape stuff",\n    () => {\n      if (keyplanCulled.get()) return;\n      const shape2 = editor.getShape(id);')
    expect(out?.code).toContain('culledShapePlacement.ts')
    const names = (config.plugins ?? []).flat().map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : null))
    expect(names).toContain(culledShapesPlacedWhenShown().name)
  })

  it('fails the build on a Shape module it does not know', () => {
    expect(() => transform('export const Shape = 1', file)).toThrow(/Shape.mjs changed/)
    expect(transform('export const other = 1', '/x/other.mjs')).toBeNull()
  })
})
