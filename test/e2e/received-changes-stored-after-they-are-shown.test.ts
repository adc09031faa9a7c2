/**
 * A teammate's change is on this page's canvas before the page stores it in its IndexedDB copy,
 * and it is stored: the frame that shows a remote change does not wait for IndexedDB
 * (`encodeOwnChangesOnly`, issue 14). Behaviour only: the order of two events, nothing timed.
 */
import type { TLShapeId } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

declare global {
  interface Window {
    /** When the page's store first held the shape, at the end of a `mergeRemoteChanges`. */
    shownAt: number | undefined
    /** When the first IndexedDB write holding the shape's id was made. */
    storedAt: number | undefined
  }
}

const two = setUpTwoPeopleOnBoard('swot')
const ID = 'shape:e2estoredaftershown'

describe('a received change', () => {
  it('is shown on the canvas before it is stored in IndexedDB, and then stored', async () => {
    const { alice, bob } = two
    await exposeEditor(alice.page)
    await exposeEditor(bob.page)

    await bob.page.evaluate((id) => {
      window.shownAt = undefined
      window.storedAt = undefined
      // y-indexeddb stores each update with `add` (lib0's addAutoKey); the shape's id is in its bytes.
      const add = IDBObjectStore.prototype.add
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        if (window.storedAt === undefined && value instanceof Uint8Array && new TextDecoder('latin1').decode(value).includes(id)) window.storedAt = performance.now()
        return add.call(this, value, key)
      }
      // The binding applies remote changes with `mergeRemoteChanges`: read the store as it ends.
      const store = window.testEditor.store
      const merge = store.mergeRemoteChanges.bind(store)
      store.mergeRemoteChanges = (fn: () => void) => {
        merge(fn)
        if (window.shownAt === undefined && store.has(id as TLShapeId)) window.shownAt = performance.now()
      }
    }, ID)

    await alice.page.evaluate((id) => {
      window.testEditor.createShapes([{ id: id as TLShapeId, type: 'geo', x: 200, y: 600, props: { w: 200, h: 120 } }])
    }, ID)
    await bob.page.waitForFunction(() => window.shownAt !== undefined && window.storedAt !== undefined, undefined, { timeout: WAIT_MS })

    const { shownAt, storedAt } = await bob.page.evaluate(() => ({ shownAt: window.shownAt, storedAt: window.storedAt }))
    expect(storedAt).toBeGreaterThan(shownAt ?? Number.POSITIVE_INFINITY)
  })
})
