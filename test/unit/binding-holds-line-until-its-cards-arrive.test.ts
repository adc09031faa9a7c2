/**
 * A team page binds a board's two documents (decision 004): an internal relationship line and its
 * bindings live in the internal document, the cards they end on in the shared one, so another page
 * gets them as two separate changes, often the line first (its part is written first). The binding
 * must hold the line's bindings until the cards are there: tldraw would otherwise unbind the line,
 * and that page write the unbound line back for everyone (QA defect, session 18).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_SENSITIVITY } from '../../shared/sensitivity.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { bindStoreToYDoc } from '../../client/board/bindStoreToYDoc.ts'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { createTestStore, stakeholderCard } from '../helpers/boardPeers.ts'
import { arrow, arrowBinding } from '../helpers/planBoards.ts'

function teamPage(seed: Uint8Array) {
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  Y.applyUpdate(shared, seed)
  const store = createTestStore()
  bindStoreToYDoc(store, shared, { source: mergedPartsSource(shared, internal, () => DEFAULT_SENSITIVITY) })
  return { shared, internal, store }
}

describe('a line arriving in its part before its cards arrive in theirs', () => {
  it('waits for the cards, then goes in bound at both ends, and the receiving page writes nothing', () => {
    const seed = createSeededBoardUpdate('stakeholders')
    const a = teamPage(seed)
    const b = teamPage(seed)
    const fromShared: Uint8Array[] = []
    const fromInternal: Uint8Array[] = []
    a.shared.on('update', (update: Uint8Array) => fromShared.push(update))
    a.internal.on('update', (update: Uint8Array) => fromInternal.push(update))
    const written: unknown[] = [] // origins of b's updates other than what the test relays
    for (const doc of [b.shared, b.internal]) doc.on('update', (_: Uint8Array, origin: unknown) => origin !== 'relay' && written.push(origin))

    const line = arrow('shape:line', { x: 0, y: 0, meta: { relationship: 'influences' } })
    a.store.put([stakeholderCard('maria'), stakeholderCard('helga', {}, 400), line, arrowBinding('shape:line', 'shape:maria', 'start'), arrowBinding('shape:line', 'shape:helga', 'end')])
    expect(fromInternal.length).toBeGreaterThan(0) // an internal kind: the line went to the internal part
    expect(fromShared.length).toBeGreaterThan(0)

    for (const update of fromInternal) Y.applyUpdate(b.internal, update, 'relay')
    expect(b.store.has('binding:line-start' as never)).toBe(false)
    expect(b.store.has('binding:line-end' as never)).toBe(false)

    for (const update of fromShared) Y.applyUpdate(b.shared, update, 'relay')
    expect(b.store.get('binding:line-start' as never)).toMatchObject({ fromId: 'shape:line', toId: 'shape:maria' })
    expect(b.store.get('binding:line-end' as never)).toMatchObject({ fromId: 'shape:line', toId: 'shape:helga' })
    expect(b.store.has('shape:line' as never)).toBe(true)
    expect(written).toEqual([])
  })
})
