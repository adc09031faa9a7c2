import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import { ATTITUDES, INFLUENCE_LEVELS, type StakeholderCardShape } from '../../shared/shapes.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { createPeer, stakeholderCard, type Peer } from '../helpers/boardPeers.ts'
import { delayedDelivery, seededRandom } from '../helpers/seededRandom.ts'

const CARD_IDS = ['a', 'b', 'c'].map((id) => stakeholderCard(id).id)

function documentRecords(peer: Peer) {
  return new Map(
    peer.store
      .allRecords()
      .filter((r) => peer.store.schema.types[r.typeName].scope === 'document')
      .map((r) => [r.id, r])
  )
}

/**
 * People edit the same cards through their tldraw stores while their updates reach the others
 * late and out of order. At the end every store holds the same records as every document.
 */
function runScenario(seed: number, steps: number): void {
  const random = seededRandom(seed)
  const peers = [0, 1, 2].map(() => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, createSeededBoardUpdate('stakeholders'))
    return createPeer(doc)
  })
  const network = delayedDelivery(peers.map((peer) => peer.doc), random)
  const deleted = new Map<string, StakeholderCardShape>()
  for (let step = 0; step < steps; step++) {
    const who = random.below(peers.length)
    const peer = peers[who] as Peer // who < length
    if (random.next() < 0.3) {
      network.deliverSome(who)
      continue
    }
    const id = random.pick(CARD_IDS)
    const card = peer.store.get(id) as StakeholderCardShape | undefined // ids of stakeholder cards
    const roll = random.next()
    if (!card) {
      const undone = deleted.get(id)
      peer.store.put([undone ?? stakeholderCard(id.slice('shape:'.length), { name: `n${step}` }, step)])
    } else if (roll < 0.15) {
      deleted.set(id, card)
      peer.store.remove([id])
    } else if (roll < 0.5) {
      peer.store.put([{ ...card, x: card.x + 10, y: step }])
    } else if (roll < 0.7) {
      peer.store.put([{ ...card, props: { ...card.props, attitude: random.pick(ATTITUDES) } }])
    } else if (roll < 0.85) {
      peer.store.put([{ ...card, props: { ...card.props, influence: random.pick(INFLUENCE_LEVELS), owner: `o${step}` } }])
    } else {
      peer.store.put([{ ...card, meta: roll < 0.92 ? { relationship: 'ally' } : {} }])
    }
  }
  network.deliverAll()
  const expected = documentRecords(peers[0] as Peer) // three peers
  for (const peer of peers) {
    expect(peer.invalid).toEqual([])
    expect(documentRecords(peer)).toEqual(expected)
    expect(readRecords(peer.doc)).toEqual(expected)
  }
}

describe('binding under concurrent edits and late delivery', () => {
  it.each([7, 99, 2026])('all stores and documents agree (seed %i)', (seed) => {
    console.log(`binding convergence seed ${seed}`)
    runScenario(seed, 300)
  })
})
