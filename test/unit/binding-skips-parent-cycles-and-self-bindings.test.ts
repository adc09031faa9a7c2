/**
 * [R11] The page's binding never hands tldraw a shape that is its own parent or in a parent cycle,
 * nor a binding of a shape to itself (QA q33a: such records froze or crashed every page; the server
 * refuses them since [R10], but boards may hold them from before). They are reported and skipped,
 * at load and when they arrive, with what hangs from them; the rest of the board goes in, and a
 * later change that fixes them lets them in.
 */
import type { JsonObject } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { asJson, connect, createPeer, stakeholderCard } from '../helpers/boardPeers.ts'
import { arrow, arrowBinding, note } from '../helpers/planBoards.ts'

/** A board holding `records` already, as stored before [R10]. */
function storedBoard(records: JsonObject[]): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('actions'))
  writeRecordChanges(doc, { put: records, remove: [] })
  return doc
}

const json = (record: unknown) => record as JsonObject // test records are JSON
const self = json(note('shape:self', { x: 0, y: 0, parentId: 'shape:self' }, 'self'))
const cycA = json(note('shape:cycA', { x: 0, y: 0, parentId: 'shape:cycB' }, 'A'))
const cycB = json(note('shape:cycB', { x: 0, y: 0, parentId: 'shape:cycA' }, 'B'))
const underCycle = json(note('shape:under', { x: 0, y: 0, parentId: 'shape:cycA' }, 'under'))
const line = json(arrow('shape:arr', { x: 0, y: 0 }))
const selfBound = json(arrowBinding('shape:arr', 'shape:arr', 'end'))
const fine = asJson(stakeholderCard('fine', { name: 'Fine' }))

describe('records tldraw cannot survive', () => {
  it('stored before the page opened: skipped and reported, the rest loaded', () => {
    const peer = createPeer(storedBoard([self, cycA, cycB, underCycle, line, selfBound, fine]))
    for (const id of ['shape:self', 'shape:cycA', 'shape:cycB', 'shape:under', 'binding:arr-end']) expect(peer.store.has(id as never)).toBe(false)
    expect(peer.store.has('shape:fine' as never)).toBe(true)
    expect(peer.store.has('shape:arr' as never)).toBe(true)
    expect(peer.invalid.map((i) => i.id).sort()).toEqual(['binding:arr-end', 'shape:cycA', 'shape:cycB', 'shape:self', 'shape:under'])
    expect(peer.invalid.find((i) => i.id === 'shape:self')?.error.message).toBe('shape:self is its own parent')
  })

  it('arriving from a peer: skipped, and let in once a later change fixes them', () => {
    const peer = createPeer()
    const rogue = new Y.Doc()
    Y.applyUpdate(rogue, createSeededBoardUpdate('actions'))
    connect(rogue, peer.doc)
    writeRecordChanges(rogue, { put: [cycA, cycB, underCycle, line, selfBound, fine], remove: [] })
    expect(peer.store.has('shape:fine' as never)).toBe(true)
    for (const id of ['shape:cycA', 'shape:cycB', 'shape:under', 'binding:arr-end']) expect(peer.store.has(id as never)).toBe(false)

    // A on the page again: B, in A, and the note under it can go in too.
    writeRecordChanges(rogue, { put: [{ ...cycA, parentId: 'page:page' }], remove: [] })
    expect(peer.store.get('shape:cycA' as never)).toMatchObject({ parentId: 'page:page' })
    expect(peer.store.get('shape:cycB' as never)).toMatchObject({ parentId: 'shape:cycA' })
    expect(peer.store.has('shape:under' as never)).toBe(true)
    writeRecordChanges(rogue, { put: [{ ...selfBound, toId: 'shape:fine' }], remove: [] })
    expect(peer.store.get('binding:arr-end' as never)).toMatchObject({ toId: 'shape:fine' })
    // Each was reported once.
    expect(peer.invalid.map((i) => i.id).sort()).toEqual(['binding:arr-end', 'shape:cycA', 'shape:cycB', 'shape:under'])
  })

  it('a change that would close a cycle of shapes the store has is held; the store keeps them as they were', () => {
    const peer = createPeer()
    const rogue = new Y.Doc()
    Y.applyUpdate(rogue, createSeededBoardUpdate('actions'))
    connect(rogue, peer.doc)
    const a = { ...cycA, parentId: 'page:page' }
    writeRecordChanges(rogue, { put: [a, cycB], remove: [] })
    expect(peer.store.get('shape:cycB' as never)).toMatchObject({ parentId: 'shape:cycA' })
    writeRecordChanges(rogue, { put: [{ ...a, parentId: 'shape:cycB', x: 5 }], remove: [] })
    expect(peer.store.get('shape:cycA' as never)).toMatchObject({ parentId: 'page:page', x: 0 })
    expect(peer.invalid.map((i) => i.id)).toEqual(['shape:cycA'])
  })
})
