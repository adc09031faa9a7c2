import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { connect, countOwnUpdates, createPeer, stakeholderCard } from '../helpers/boardPeers.ts'

function seededPeers() {
  const server = new Y.Doc()
  Y.applyUpdate(server, createSeededBoardUpdate('stakeholders'))
  const a = createPeer()
  const b = createPeer()
  connect(server, a.doc)
  connect(server, b.doc)
  return { server, a, b }
}

describe('binding between a tldraw store and a Y.Doc', () => {
  it('loads what the document already holds', () => {
    const { a } = seededPeers()
    expect(a.store.get('page:page' as never)).toMatchObject({ name: 'Page 1' })
    expect(a.store.get('document:document' as never)).toBeTruthy()
  })

  it('sends a local change to the other document and store', () => {
    const { server, a, b } = seededPeers()
    a.store.put([stakeholderCard('dana', { name: 'Dana Ruiz' })])
    expect(readRecords(server).get('shape:dana')).toMatchObject({ props: { name: 'Dana Ruiz' } })
    expect(b.store.get('shape:dana' as never)).toMatchObject({ props: { name: 'Dana Ruiz' } })

    const card = a.store.get(stakeholderCard('dana').id) as StakeholderCardShape // put just above
    a.store.put([{ ...card, x: 120, props: { ...card.props, attitude: 'champion' } }])
    expect(b.store.get('shape:dana' as never)).toMatchObject({ x: 120, props: { attitude: 'champion' } })

    a.store.remove(['shape:dana' as never])
    expect(b.store.has('shape:dana' as never)).toBe(false)
    expect(readRecords(server).has('shape:dana')).toBe(false)
  })

  it('applies a change made in the document to the store', () => {
    const { a, b } = seededPeers()
    b.store.put([stakeholderCard('lee', { name: 'Lee' })])
    expect(a.store.get('shape:lee' as never)).toMatchObject({ typeName: 'shape', type: 'stakeholder' })
    expect(a.invalid).toEqual([])
  })

  it('does not echo: a store change makes one update, remote changes make none', () => {
    const { a, b } = seededPeers()
    const fromA = countOwnUpdates(a.doc)
    const fromB = countOwnUpdates(b.doc)
    a.store.put([stakeholderCard('dana'), stakeholderCard('lee', {}, 300)])
    expect(fromA.count).toBe(1)
    expect(fromB.count).toBe(0)
    const card = b.store.get(stakeholderCard('dana').id) as StakeholderCardShape // synced from a just above
    b.store.put([{ ...card, x: 50 }])
    expect(fromA.count).toBe(1)
    expect(fromB.count).toBe(1)
  })

  it('never writes session or presence records to the document', () => {
    const { server, a } = seededPeers()
    for (const record of readRecords(server).values()) {
      expect(['document', 'page', 'shape']).toContain(record.typeName)
    }
    expect(a.store.allRecords().some((r) => r.typeName === 'instance')).toBe(true)
  })
})
