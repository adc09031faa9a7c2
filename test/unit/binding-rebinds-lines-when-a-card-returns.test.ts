/**
 * A guest's page loses a card the team marks internal (the card leaves the shared document), while
 * the lines drawn to it stay there. tldraw cuts those lines loose in the page's store when the card
 * goes (its own handler, inside the remote change: nothing is written). When the team marks the
 * card visible again, it comes back, but nothing changed in the document for the lines, so the
 * page kept them unbound until reloaded (QA pass of 2026-12-06). The binding puts them back.
 */
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { bindStoreToYDoc } from '../../client/board/bindStoreToYDoc.ts'
import { createTestStore, stakeholderCard } from '../helpers/boardPeers.ts'
import { arrow, arrowBinding } from '../helpers/planBoards.ts'

const json = (records: unknown[]) => records as never[] // test records are JSON

/**
 * A store as a page's editor keeps it: tldraw's editor removes the bindings of a shape being removed,
 * whoever removes it (its own store side effect; a store without an editor keeps them).
 */
function pageStore() {
  const store = createTestStore()
  store.sideEffects.registerBeforeDeleteHandler('shape', (shape) => {
    const ids = store.query.records('binding').get().filter((binding) => binding.fromId === shape.id || binding.toId === shape.id).map((binding) => binding.id)
    if (ids.length > 0) store.remove(ids)
  })
  return store
}

it("binds the lines again when the card they end on comes back, and writes nothing", () => {
  const shared = new Y.Doc()
  Y.applyUpdate(shared, createSeededBoardUpdate('stakeholders'))
  const store = pageStore()
  bindStoreToYDoc(store, shared)
  const written: unknown[] = []
  shared.on('update', (_: Uint8Array, origin: unknown) => origin !== 'team' && written.push(origin))

  const ana = stakeholderCard('ana')
  const line = arrow('shape:line', { x: 0, y: 0, meta: { relationship: 'reports_to' } })
  writeRecordChanges(shared, { put: json([ana, stakeholderCard('ben', {}, 400), line, arrowBinding('shape:line', 'shape:ben', 'start'), arrowBinding('shape:line', 'shape:ana', 'end')]), remove: [] }, 'team')
  expect(store.get('binding:line-end' as never)).toMatchObject({ toId: 'shape:ana' })

  // Ana marked internal: she leaves the shared document; her line and its bindings stay.
  writeRecordChanges(shared, { put: [], remove: ['shape:ana'] }, 'team')
  expect(store.has('shape:ana' as never)).toBe(false)
  expect(store.has('binding:line-end' as never)).toBe(false) // tldraw cut it loose in the store
  expect(readRecords(shared).has('binding:line-end')).toBe(true)

  // Marked visible again: she is back, and so is the line's end, as the document has it.
  writeRecordChanges(shared, { put: json([ana]), remove: [] }, 'team')
  expect(store.get('binding:line-end' as never)).toMatchObject({ fromId: 'shape:line', toId: 'shape:ana' })
  expect(store.get('binding:line-start' as never)).toMatchObject({ fromId: 'shape:line', toId: 'shape:ben' })
  expect(store.get('shape:line' as never)).toEqual(readRecords(shared).get('shape:line'))
  expect(written).toEqual([])
})

it('does not bring back a binding the document removed', () => {
  const shared = new Y.Doc()
  Y.applyUpdate(shared, createSeededBoardUpdate('stakeholders'))
  const store = pageStore()
  bindStoreToYDoc(store, shared)
  const ana = stakeholderCard('ana')
  const line = arrow('shape:line', { x: 0, y: 0, meta: { relationship: 'reports_to' } })
  writeRecordChanges(shared, { put: json([ana, stakeholderCard('ben', {}, 400), line, arrowBinding('shape:line', 'shape:ben', 'start'), arrowBinding('shape:line', 'shape:ana', 'end')]), remove: [] }, 'team')
  writeRecordChanges(shared, { put: [], remove: ['shape:ana', 'binding:line-end'] }, 'team')
  writeRecordChanges(shared, { put: json([ana]), remove: [] }, 'team')
  expect(store.has('shape:ana' as never)).toBe(true)
  expect(store.has('binding:line-end' as never)).toBe(false)
})
