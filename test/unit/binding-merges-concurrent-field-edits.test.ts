import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { connect, createPeer, stakeholderCard } from '../helpers/boardPeers.ts'

const CARD = stakeholderCard('dana', { name: 'Dana Ruiz' })

/** Two peers that both hold the card, then go apart (offline) so their edits are concurrent. */
function peersApart() {
  const a = createPeer()
  const b = createPeer()
  Y.applyUpdate(a.doc, createSeededBoardUpdate('stakeholders'))
  const disconnect = connect(a.doc, b.doc)
  a.store.put([CARD])
  disconnect()
  const card = (peer: typeof a) => peer.store.get(CARD.id) as StakeholderCardShape // put before the split
  return { a, b, card }
}

describe('concurrent edits of one card', () => {
  it('keeps both edits when two people change different fields at the same time', () => {
    const { a, b, card } = peersApart()
    a.store.put([{ ...card(a), props: { ...card(a).props, attitude: 'champion' } }])
    b.store.put([{ ...card(b), props: { ...card(b).props, owner: 'Sam' } }])
    connect(a.doc, b.doc)
    for (const peer of [a, b]) {
      expect(card(peer).props).toMatchObject({ name: 'Dana Ruiz', attitude: 'champion', owner: 'Sam' })
    }
  })

  it('agrees on one value when both change the same field', () => {
    const { a, b, card } = peersApart()
    a.store.put([{ ...card(a), props: { ...card(a).props, attitude: 'champion' } }])
    b.store.put([{ ...card(b), props: { ...card(b).props, attitude: 'blocker' } }])
    connect(a.doc, b.doc)
    expect(card(a).props.attitude).toBe(card(b).props.attitude)
    // The loser is cleaned up by the next write of that field.
    a.store.put([{ ...card(a), props: { ...card(a).props, attitude: 'neutral' } }])
    expect(card(b).props.attitude).toBe('neutral')
  })

  it('keeps a move and a field edit made at the same time', () => {
    const { a, b, card } = peersApart()
    a.store.put([{ ...card(a), x: 400, y: 250 }])
    b.store.put([{ ...card(b), props: { ...card(b).props, influence: 'high' } }])
    connect(a.doc, b.doc)
    for (const peer of [a, b]) expect(card(peer)).toMatchObject({ x: 400, y: 250, props: { influence: 'high' } })
  })

  it('does not bring back half a card deleted while someone edited it', () => {
    const { a, b, card } = peersApart()
    a.store.remove([CARD.id])
    b.store.put([{ ...card(b), props: { ...card(b).props, notes: 'Met at the summit' } }])
    connect(a.doc, b.doc)
    expect(a.store.has(CARD.id)).toBe(false)
    expect(b.store.has(CARD.id)).toBe(false)
    expect(readRecords(a.doc).has(CARD.id)).toBe(false)
    expect(a.invalid).toEqual([])
    expect(b.invalid).toEqual([])
  })

  it('lets undo bring a deleted card back whole', () => {
    const { a, b, card } = peersApart()
    connect(a.doc, b.doc)
    const before = card(a)
    a.store.remove([CARD.id])
    expect(b.store.has(CARD.id)).toBe(false)
    a.store.put([before])
    expect(card(b)).toEqual(before)
  })
})
