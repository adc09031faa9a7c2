/**
 * A teammate's new shapes render once on the other page, not once more with nothing changed:
 * tldraw's `useValue` gave React a stale snapshot while rendering, so every shape component that
 * mounted rendered again right after (its body, its label), which was ~15 % of what a remote batch
 * of 1,000 new shapes allocated (issue 14; fixed by the `useValueSnapshotsCurrent` build plugin,
 * docs/upstream-reports.md). Behaviour only: nothing here is timed.
 */
import type { TLShape, TLShapeId } from 'tldraw'
import { toRichText } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

declare global {
  interface Window {
    /** Bob's renders of each shape's component, by shape id: the `props` object of each render. */
    renders: Map<string, unknown[]>
  }
}

const two = setUpTwoPeopleOnBoard('swot')

const shapes = Array.from({ length: 24 }, (_, i) => {
  const id = `shape:e2eonce${String(i).padStart(2, '0')}`
  const at = { x: 100 + (i % 6) * 260, y: 1_400 + Math.floor(i / 6) * 300 }
  return i % 2 === 0
    ? { id, type: 'note', ...at, props: { richText: toRichText(`Note ${i}`) } }
    : { id, type: 'geo', ...at, props: { w: 200, h: 120, richText: toRichText(`Box ${i}`) } }
})
const ids = shapes.map((s) => s.id)

describe('a remote batch of new shapes', () => {
  it('renders each shape once, and again only for a change', async () => {
    const { alice, bob } = two
    await exposeEditor(alice.page)
    await exposeEditor(bob.page)
    await bob.page.evaluate(() => {
      window.renders = new Map()
      for (const type of ['note', 'geo'] as const) {
        const util = window.testEditor.getShapeUtil(type) as unknown as { component(shape: TLShape): unknown } // tldraw calls it with its own type's shapes only
        const component = util.component.bind(util)
        util.component = (shape: TLShape) => {
          window.renders.set(shape.id, [...(window.renders.get(shape.id) ?? []), shape.props])
          return component(shape)
        }
      }
    })

    await alice.page.evaluate((batch) => {
      window.testEditor.createShapes(batch as Parameters<typeof window.testEditor.createShapes>[0]) // the test's notes and boxes
    }, shapes)
    await bob.page.waitForFunction((all) => all.every((id) => window.testEditor.store.has(id as TLShapeId)), ids, { timeout: WAIT_MS })
    // A second render followed in the same task as the first; two frames leave room for any later one.
    await bob.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))

    const counted = await bob.page.evaluate((all) => {
      return all.map((id) => {
        const props = window.renders.get(id) ?? []
        return { id, renders: props.length, unchanged: props.filter((p, i) => i > 0 && p === props[i - 1]).length }
      })
    }, ids)
    // Every shape rendered, and no render repeated one with the same props.
    expect(counted.filter((c) => c.renders === 0)).toEqual([])
    expect(counted.filter((c) => c.unchanged > 0)).toEqual([])
  })
})
