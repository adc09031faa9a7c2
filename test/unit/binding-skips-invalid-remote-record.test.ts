import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { asJson, connect, createPeer, stakeholderCard } from '../helpers/boardPeers.ts'

/** A page's peer and a peer writing whatever it likes into the same board, connected. */
function peerAndRogue() {
  const peer = createPeer()
  const rogue = new Y.Doc()
  Y.applyUpdate(rogue, createSeededBoardUpdate('stakeholders'))
  connect(rogue, peer.doc)
  return { peer, rogue }
}

describe('a bad record from one peer', () => {
  it('is reported and skipped while the rest of the batch applies', () => {
    const { peer, rogue } = peerAndRogue()

    const good1 = stakeholderCard('good1', { name: 'Ann' })
    const good2 = stakeholderCard('good2', { name: 'Ben' }, 300)
    const badEnum = { ...asJson(stakeholderCard('bad')), props: { ...asJson(stakeholderCard('bad')).props as object, attitude: 'hostile' } }
    const session = { id: 'instance:instance', typeName: 'instance', currentPageId: 'page:elsewhere' }
    const unknown = { id: 'widget:1', typeName: 'widget' }
    writeRecordChanges(rogue, { put: [asJson(good1), badEnum, session, asJson(good2), unknown], remove: [] })

    expect(peer.store.get(good1.id)).toMatchObject({ props: { name: 'Ann' } })
    expect(peer.store.get(good2.id)).toMatchObject({ props: { name: 'Ben' } })
    expect(peer.store.has(stakeholderCard('bad').id)).toBe(false)
    expect(peer.invalid.map((i) => i.id).sort()).toEqual(['instance:instance', 'shape:bad', 'widget:1'])
    // The peer's own session state is untouched.
    expect(peer.store.get('instance:instance' as never)).toMatchObject({ currentPageId: 'page:page' })

    // Sync goes on afterwards.
    writeRecordChanges(rogue, { put: [{ ...asJson(good1), x: 99 }], remove: [] })
    expect(peer.store.get(good1.id)).toMatchObject({ x: 99 })
  })

  it('a bad change of a record the store has is reported and skipped, the rest of the batch applies', () => {
    const { peer, rogue } = peerAndRogue()
    const ann = stakeholderCard('ann', { name: 'Ann' })
    const ben = stakeholderCard('ben', { name: 'Ben' }, 300)
    writeRecordChanges(rogue, { put: [asJson(ann), asJson(ben)], remove: [] })

    const hostile = { ...asJson(ann), x: 50, props: { ...asJson(ann).props as object, attitude: 'hostile' } }
    const typeSwap = { ...asJson(ben), typeName: 'instance', currentPageId: 'page:elsewhere' }
    writeRecordChanges(rogue, { put: [hostile, { ...asJson(stakeholderCard('ann')), id: 'shape:cid', props: { ...asJson(ann).props as object, name: 'Cid' } }], remove: [] })
    writeRecordChanges(rogue, { put: [typeSwap], remove: [] })

    expect(peer.store.get(ann.id)).toMatchObject({ x: ann.x, props: { attitude: ann.props.attitude } })
    expect(peer.store.get(ben.id)).toMatchObject({ typeName: 'shape', props: { name: 'Ben' } })
    expect(peer.store.get('shape:cid' as never)).toMatchObject({ props: { name: 'Cid' } })
    expect(peer.invalid.map((i) => i.id).sort()).toEqual([ann.id, ben.id])
  })
})
