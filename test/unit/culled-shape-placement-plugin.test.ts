/**
 * tldraw's `Shape` reactor that places a shape's element stops at a culled shape, and tldraw's
 * culling has it place the shape when it shows it (issue 14, `client/board/culledShapePlacement.ts`):
 * the `culledShapesPlacedWhenShown` build plugin, checked here against the installed
 * `@tldraw/editor`; the build fails on a module it does not know. What it does in a page is checked
 * by `test/e2e/remote-moves-of-hidden-shapes-placed-when-shown`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import config, { culledShapesPlacedWhenShown } from '../../vite.config.ts'

const module = (path: string) => fileURLToPath(new URL(`../../node_modules/@tldraw/editor/dist-esm/lib/${path}`, import.meta.url))
const shapeFile = module('components/Shape.mjs')
const cullingFile = module('hooks/useShapeCulling.mjs')
const transform = culledShapesPlacedWhenShown().transform as (code: string, id: string) => { code: string } | null // an object-less transform hook

describe('the culled-shape placement plugin', () => {
  it('reaches the installed tldraw: the placing reactor stops at a culled shape, the culling marks a shape shown', () => {
    const shape = transform(readFileSync(shapeFile, 'utf8'), shapeFile)?.code
    expect(shape).toContain('keyplanShownSignal(containerRef.current)?.get();\n      const shape2 = editor.getShape(id);\n      if (!shape2) return;\n      if (keyplanIsCulled(editor, id)) return;\n')
    const culling = transform(readFileSync(cullingFile, 'utf8'), cullingFile)?.code
    expect(culling).toContain('entry.isCulled = shouldBeCulled;\n        if (!shouldBeCulled) keyplanMarkShown(entry.container);\n')
    const names = (config.plugins ?? []).flat().map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : null))
    expect(names).toContain(culledShapesPlacedWhenShown().name)
  })

  it('fails the build on a module it does not know', () => {
    expect(() => transform('export const Shape = 1', shapeFile)).toThrow(/Shape.mjs changed/)
    expect(() => transform('export const useShapeCulling = 1', cullingFile)).toThrow(/useShapeCulling.mjs changed/)
    expect(transform('export const other = 1', '/x/other.mjs')).toBeNull()
  })
})
