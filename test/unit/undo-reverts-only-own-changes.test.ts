/**
 * Undo and redo with a peer editing the same board: tldraw's history (the real HistoryManager on a
 * store bound to a Y.Doc) with `keepUndoToOwnChanges`, two peers connected as a server would.
 * Undo takes back this person's own step and nothing a peer did: not a peer's later edit of another
 * field of the same card, not a peer's later edit of the same field, not a card a peer deleted.
 */
import { HistoryManager, type TLRecord } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { keepUndoToOwnChanges, rebaseHistoryDiff } from '../../client/board/ownUndo.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { connect, createPeer, stakeholderCard, type Peer } from '../helpers/boardPeers.ts'

const CARD = stakeholderCard('dana', { name: 'Dana Ruiz', notes: 'First met at the kickoff.' })

/** Two connected peers holding the card; A has an undo history that keeps to A's own changes. */
function twoPeers() {
  const a = createPeer()
  const b = createPeer()
  Y.applyUpdate(a.doc, createSeededBoardUpdate('stakeholders'))
  connect(a.doc, b.doc)
  a.store.put([CARD])
  const history = new HistoryManager<TLRecord>({ store: a.store })
  // tldraw 5.4.2 has these at runtime (the editor calls them) but leaves them out of its published types.
  const internals = history as unknown as { isReplaying(): boolean; _mark(id: string): void }
  keepUndoToOwnChanges(a.store, () => internals.isReplaying())
  let steps = 0
  /** Starts a new undo step, as tldraw does at the start of every gesture. */
  const step = () => internals._mark(`step ${++steps}`)
  return { a, b, history, step }
}

function card(peer: Peer): StakeholderCardShape | undefined {
  return peer.store.get(CARD.id) as StakeholderCardShape | undefined // the card's id
}

function edit(peer: Peer, change: (card: StakeholderCardShape) => StakeholderCardShape) {
  const current = card(peer)
  if (!current) throw new Error('the card is gone')
  peer.store.put([change(current)])
}

describe('undo with a peer on the board', () => {
  it('takes back my drag and keeps the notes a peer wrote into the same card afterwards', () => {
    const { a, b, history, step } = twoPeers()
    step()
    edit(a, (c) => ({ ...c, x: 400, y: 250 }))
    edit(b, (c) => ({ ...c, props: { ...c.props, notes: 'Prefers a 3-year TCO view.' } }))
    history.undo()
    for (const peer of [a, b]) {
      expect(card(peer)).toMatchObject({ x: 0, y: 0, props: { notes: 'Prefers a 3-year TCO view.' } })
    }
  })

  it('leaves a field alone that a peer wrote after me', () => {
    const { a, b, history, step } = twoPeers()
    step()
    edit(a, (c) => ({ ...c, props: { ...c.props, attitude: 'champion', owner: 'Sam' } }))
    edit(b, (c) => ({ ...c, props: { ...c.props, attitude: 'blocker' } }))
    history.undo()
    for (const peer of [a, b]) expect(card(peer)?.props).toMatchObject({ attitude: 'blocker', owner: '' })
  })

  it('undoes one step at a time and redoes it without touching the peer’s edit', () => {
    const { a, b, history, step } = twoPeers()
    step()
    edit(a, (c) => ({ ...c, props: { ...c.props, owner: 'Sam' } }))
    step()
    edit(a, (c) => ({ ...c, props: { ...c.props, influence: 'high' } }))
    edit(b, (c) => ({ ...c, props: { ...c.props, department: 'Logistics' } }))
    history.undo()
    expect(card(b)?.props).toMatchObject({ owner: 'Sam', influence: CARD.props.influence, department: 'Logistics' })
    history.redo()
    expect(card(b)?.props).toMatchObject({ owner: 'Sam', influence: 'high', department: 'Logistics' })
  })

  it('never brings back a card a peer deleted', () => {
    const { a, b, history, step } = twoPeers()
    step()
    edit(a, (c) => ({ ...c, x: 400 }))
    b.store.remove([CARD.id])
    history.undo()
    expect(card(a)).toBeUndefined()
    expect(card(b)).toBeUndefined()
    history.redo()
    expect(card(b)).toBeUndefined()
  })

  it('keeps a card I created once a peer has written into it, and removes it otherwise', () => {
    const { a, b, history, step } = twoPeers()
    const mine = stakeholderCard('mine', { name: 'Lee Chen' }, 300)
    const untouched = stakeholderCard('untouched', { name: 'Ari Kim' }, 600)
    step()
    a.store.put([mine])
    edit(b, () => ({ ...(b.store.get(mine.id) as StakeholderCardShape), props: { ...mine.props, notes: 'Owns the budget.' } })) // created just above
    history.undo()
    expect(b.store.get(mine.id)).toMatchObject({ props: { notes: 'Owns the budget.' } })

    step()
    a.store.put([untouched])
    history.undo()
    expect(b.store.has(untouched.id)).toBe(false)
  })

  it("removes what I created though a peer's page moved it in the stacking order (QA q29d: a new relationship line stayed, unbound, after its undo)", () => {
    const { a, b, history, step } = twoPeers()
    const mine = stakeholderCard('restacked', { name: 'Li Wei' }, 900)
    step()
    a.store.put([mine])
    // tldraw on the peer's page re-indexes a new line (reparentArrow): no work of the peer's.
    edit(b, () => ({ ...(b.store.get(mine.id) as StakeholderCardShape), index: 'a9' as StakeholderCardShape['index'] })) // created just above
    history.undo()
    expect(b.store.has(mine.id)).toBe(false)
    expect(a.store.has(mine.id)).toBe(false)
  })
})

describe('rebaseHistoryDiff', () => {
  it('re-creates a deleted binding only while both of its shapes are there', () => {
    const arrowId = 'shape:arrow'
    const binding = { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: arrowId, toId: CARD.id } as unknown as TLRecord // only the ids matter here
    const store = new Map<string, TLRecord>([[CARD.id, CARD]])
    const rebased = rebaseHistoryDiff(
      { added: { [binding.id]: binding } as Record<string, TLRecord>, updated: {}, removed: {} } as never, // a diff that re-creates the binding
      { current: (id) => store.get(id), peerFields: () => undefined },
    )
    expect(Object.keys(rebased.added)).toEqual([])
  })
})
