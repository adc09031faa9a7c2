import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import { ATTITUDES, INFLUENCE_LEVELS, type StakeholderCardShape } from '../../shared/shapes.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { createPeer, stakeholderCard, type Peer } from '../helpers/boardPeers.ts'

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

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
  const random = prng(seed)
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T // index < length
  const peers = [0, 1, 2].map(() => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, createSeededBoardUpdate('stakeholders'))
    return createPeer(doc)
  })
  const inbox: Uint8Array[][] = peers.map(() => [])
  peers.forEach((peer, from) =>
    peer.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'delivery') peers.forEach((_, to) => to !== from && inbox[to]?.push(update))
    })
  )
  const deleted = new Map<string, StakeholderCardShape>()
  for (let step = 0; step < steps; step++) {
    const who = Math.floor(random() * peers.length)
    const peer = peers[who] as Peer // who < length
    if (random() < 0.3) {
      const queue = inbox[who] as Uint8Array[] // who < length
      for (let n = Math.floor(random() * (queue.length + 1)); n > 0; n--) {
        const [update] = queue.splice(Math.floor(random() * queue.length), 1)
        if (update) Y.applyUpdate(peer.doc, update, 'delivery')
      }
      continue
    }
    const id = pick(CARD_IDS)
    const card = peer.store.get(id) as StakeholderCardShape | undefined // ids of stakeholder cards
    const roll = random()
    if (!card) {
      const undone = deleted.get(id)
      peer.store.put([undone ?? stakeholderCard(id.slice('shape:'.length), { name: `n${step}` }, step)])
    } else if (roll < 0.15) {
      deleted.set(id, card)
      peer.store.remove([id])
    } else if (roll < 0.5) {
      peer.store.put([{ ...card, x: card.x + 10, y: step }])
    } else if (roll < 0.7) {
      peer.store.put([{ ...card, props: { ...card.props, attitude: pick(ATTITUDES) } }])
    } else if (roll < 0.85) {
      peer.store.put([{ ...card, props: { ...card.props, influence: pick(INFLUENCE_LEVELS), owner: `o${step}` } }])
    } else {
      peer.store.put([{ ...card, meta: roll < 0.92 ? { relationship: 'ally' } : {} }])
    }
  }
  for (let round = 0; round < 2; round++) {
    peers.forEach((peer, who) => {
      for (const update of (inbox[who] as Uint8Array[]).splice(0)) Y.applyUpdate(peer.doc, update, 'delivery') // who < length
    })
  }
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
