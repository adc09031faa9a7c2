/**
 * A teammate's moves reach the other page without new `props` objects: tldraw caches each
 * shape's geometry and rendered label by the identity of its `props`, so a remote move that
 * handed it new (equal) objects made it redo that work for every shape of a batch (issue 14).
 * Behaviour only: nothing here is timed.
 */
import type { TLShapeId } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

declare global {
  interface Window {
    /** Bob's `props` objects before the move, by shape id. */
    propsBefore: Map<string, unknown>
  }
}

const two = setUpTwoPeopleOnBoard('swot')
const IDS = ['shape:e2eprops1', 'shape:e2eprops2', 'shape:e2eprops3']

describe('remote moves', () => {
  it('keep tldraw’s props objects, for the moved shape and for the others', async () => {
    const { alice, bob } = two
    await exposeEditor(alice.page)
    await exposeEditor(bob.page)

    await alice.page.evaluate((ids) => {
      window.testEditor.createShapes(
        ids.map((id, i) => ({ id: id as TLShapeId, type: 'geo', x: 120 + i * 240, y: 600, props: { w: 200, h: 120 } })),
      )
    }, IDS)
    await bob.page.waitForFunction((ids) => ids.every((id) => window.testEditor.store.has(id as TLShapeId)), IDS, { timeout: WAIT_MS })
    await bob.page.evaluate((ids) => {
      window.propsBefore = new Map(ids.map((id) => [id, window.testEditor.store.get(id as TLShapeId)?.props]))
    }, IDS)

    await alice.page.evaluate((id) => {
      window.testEditor.updateShape({ id: id as TLShapeId, type: 'geo', x: 400, y: 700 })
    }, IDS[0])
    await bob.page.waitForFunction((id) => window.testEditor.store.get(id as TLShapeId)?.x === 400, IDS[0], { timeout: WAIT_MS })

    const kept = await bob.page.evaluate((ids) => ids.map((id) => window.testEditor.store.get(id as TLShapeId)?.props === window.propsBefore.get(id)), IDS)
    expect(kept).toEqual([true, true, true])
  })
})
