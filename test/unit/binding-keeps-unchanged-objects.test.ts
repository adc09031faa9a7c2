import type { TLNoteShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { BOARD_PAGE_ID, createSeededBoardUpdate } from '../../shared/templates.ts'
import { asJson, connect, createPeer, stakeholderCard } from '../helpers/boardPeers.ts'
import { note } from '../helpers/planBoards.ts'

// tldraw caches shape geometry and rendered text by the identity of `props` and the values in
// it: a remote change must hand the store new objects only where something changed (issue 14).

/** A peer bound to a seeded stakeholder board, and a writer doc connected to it. */
function peerWithWriter() {
  const writer = new Y.Doc()
  Y.applyUpdate(writer, createSeededBoardUpdate('stakeholders'))
  const peer = createPeer()
  connect(writer, peer.doc)
  return { writer, peer }
}

const NOTE = note('shape:idea', { x: 100, y: 100, parentId: BOARD_PAGE_ID }, 'Expand to the Nordics') as TLNoteShape // note() builds a note

describe('remote changes keep the objects the store already has', () => {
  it('a remote move keeps the moved shape’s props and meta, and leaves other shapes alone', () => {
    const { writer, peer } = peerWithWriter()
    const card = stakeholderCard('dana', { name: 'Dana Ruiz' })
    writeRecordChanges(writer, { put: [asJson(card), asJson(NOTE)], remove: [] })
    const cardBefore = peer.store.get(card.id)
    const noteBefore = peer.store.get(NOTE.id)
    expect(cardBefore).toBeTruthy()

    writeRecordChanges(writer, { put: [{ ...asJson(NOTE), x: 180, y: 140 }], remove: [] })

    const noteAfter = peer.store.get(NOTE.id) as TLNoteShape // created above
    expect(noteAfter).toMatchObject({ x: 180, y: 140 })
    expect(noteAfter.props).toBe(noteBefore?.props)
    expect(noteAfter.meta).toBe(noteBefore?.meta)
    expect(peer.store.get(card.id)).toBe(cardBefore)
  })

  it('a remote change of one prop keeps the other nested values, such as the label’s rich text', () => {
    const { writer, peer } = peerWithWriter()
    writeRecordChanges(writer, { put: [asJson(NOTE)], remove: [] })
    const before = peer.store.get(NOTE.id) as TLNoteShape // created just above

    writeRecordChanges(writer, { put: [{ ...asJson(NOTE), props: { ...asJson(NOTE).props as object, color: 'blue' } }], remove: [] })

    const after = peer.store.get(NOTE.id) as TLNoteShape // still there
    expect(after.props.color).toBe('blue')
    expect(after.props).not.toBe(before.props)
    expect(after.props.richText).toBe(before.props.richText)
    expect(after.meta).toBe(before.meta)
  })
})
