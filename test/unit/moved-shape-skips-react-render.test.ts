/**
 * tldraw's `Shape` component re-renders only when something it renders changed: a record that
 * only moved (same type, `props` and `meta` objects) is skipped, since tldraw positions shapes from
 * a reactor (issue 14, docs/upstream-reports.md). The comparison reaches tldraw through the
 * `shapeRendersOnContent` build plugin, checked here against the installed `@tldraw/editor`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TLShape } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { shapeRenderUnchanged } from '../../client/board/shapeRenderMemo.ts'
import { geo } from '../helpers/planBoards.ts'
import config, { shapeRendersOnContent } from '../../vite.config.ts'

const shape = geo('shape:box', { x: 100, y: 100 }, 200, 120, 'Box')
const props = (s: TLShape) => ({ id: s.id, shape: s, util: 'geo-util', index: 3, backgroundIndex: 1, opacity: 1 })

describe('a shape re-renders only when what it renders changed', () => {
  it('skips a move, which keeps props and meta', () => {
    expect(shapeRenderUnchanged(props(shape), props({ ...shape, x: 300, y: 250 }))).toBe(true)
  })

  it('renders a change of props or meta, of its place in the stack or of its opacity', () => {
    expect(shapeRenderUnchanged(props(shape), props({ ...shape, props: { ...shape.props } } as TLShape))).toBe(false) // the same props, copied
    expect(shapeRenderUnchanged(props(shape), props({ ...shape, meta: { ...shape.meta } }))).toBe(false)
    expect(shapeRenderUnchanged(props(shape), { ...props(shape), index: 4 })).toBe(false)
    expect(shapeRenderUnchanged(props(shape), { ...props(shape), opacity: 0.5 })).toBe(false)
  })

  it('reaches the installed tldraw through the build plugin', () => {
    const file = fileURLToPath(new URL('../../node_modules/@tldraw/editor/dist-esm/lib/components/Shape.mjs', import.meta.url))
    const plugin = shapeRendersOnContent()
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null // an object-less transform hook
    const out = transform(readFileSync(file, 'utf8'), file)
    expect(out?.code).toContain('}, shapeRenderUnchanged);\nconst ContentElementSlot = memo(')
    const names = (config.plugins ?? []).flat().map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : null))
    expect(names).toContain(plugin.name)
  })
})
