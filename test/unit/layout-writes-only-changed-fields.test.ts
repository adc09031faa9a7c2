import type { JsonObject } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, observeRecords, readRecords, writeRecordChanges, type RecordChanges } from '../../shared/docLayout.ts'
import { asJson, stakeholderCard } from '../helpers/boardPeers.ts'

const liveEntries = (doc: Y.Doc) => doc.getArray<[string, string, unknown]>(DOC_KEYS.records).toArray()

describe('record log layout', () => {
  it('stores a new record whole and a change as the changed fields only', () => {
    const doc = new Y.Doc()
    const card = asJson(stakeholderCard('dana'))
    writeRecordChanges(doc, { put: [card], remove: [] })
    expect(liveEntries(doc).map(([id, field]) => [id, field])).toEqual([['shape:dana', '']])

    const props = { ...(card.props as JsonObject), attitude: 'champion' } // a card has props
    writeRecordChanges(doc, { put: [{ ...card, x: 5, props }], remove: [] })
    expect(liveEntries(doc).map(([, field, value]) => [field, value])).toEqual([
      ['', card],
      ['x', 5],
      ['props.attitude', 'champion'],
    ])
    writeRecordChanges(doc, { put: [{ ...card, x: 6, props }], remove: [] })
    expect(liveEntries(doc).map(([, field]) => field)).toEqual(['', 'props.attitude', 'x'])
    expect(readRecords(doc).get('shape:dana')).toEqual({ ...card, x: 6, props })
  })

  it('writes the record whole again when a field disappears', () => {
    const doc = new Y.Doc()
    const card = { ...asJson(stakeholderCard('dana')), meta: { relationship: 'ally' } }
    writeRecordChanges(doc, { put: [card], remove: [] })
    writeRecordChanges(doc, { put: [{ ...card, meta: {} }], remove: [] })
    expect(liveEntries(doc).map(([, field]) => field)).toEqual([''])
    expect(readRecords(doc).get('shape:dana')).toMatchObject({ meta: {} })
  })

  it('reports changes of other writers as whole records and removed ids', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update))
    const seen: RecordChanges[] = []
    observeRecords(b, (changes) => seen.push(changes))
    const card = asJson(stakeholderCard('dana'))
    writeRecordChanges(a, { put: [card], remove: [] })
    writeRecordChanges(a, { put: [{ ...card, y: 40 }], remove: [] })
    writeRecordChanges(a, { put: [], remove: ['shape:dana'] })
    expect(seen).toEqual([
      { put: [card], remove: [] },
      { put: [{ ...card, y: 40 }], remove: [] },
      { put: [], remove: ['shape:dana'] },
    ])
  })

  it('stays small however often several shapes move in turn', () => {
    const doc = new Y.Doc()
    let cards = Array.from({ length: 5 }, (_, i) => asJson(stakeholderCard(`c${i}`, {}, i * 300)))
    writeRecordChanges(doc, { put: cards, remove: [] })
    const before = Y.encodeStateAsUpdate(doc).length
    for (let move = 0; move < 2000; move++) {
      cards = cards.map((card) => ({ ...card, x: (card.x as number) + 1, y: move })) // cards have numeric x
      writeRecordChanges(doc, { put: cards, remove: [] })
    }
    // Only the latest x and y of each card remain; deleted entries collapse into a few ranges.
    expect(liveEntries(doc)).toHaveLength(5 * 3)
    expect(Y.encodeStateAsUpdate(doc).length - before).toBeLessThan(1024)
  })
})
