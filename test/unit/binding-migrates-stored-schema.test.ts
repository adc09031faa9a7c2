import type { SerializedSchemaV2 } from '@tldraw/store'
import type { JsonObject } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords, readStoredSchema, writeRecordChanges, writeStoredSchema } from '../../shared/docLayout.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { SWOT_FRAMES, templateRecords } from '../../shared/templates.ts'
import { connect, createPeer } from '../helpers/boardPeers.ts'

const FRAME_SEQUENCE = 'com.tldraw.shape.frame'
const STRENGTHS = SWOT_FRAMES.strengths.id

/** The SWOT template as an older Keyplan stored it: frames before tldraw added their colour. */
function docWithOlderSchema(): Y.Doc {
  const schema = createKeyplanSchema().serialize()
  const older: SerializedSchemaV2 = { ...schema, sequences: { ...schema.sequences, [FRAME_SEQUENCE]: 0 } }
  const records = templateRecords('swot').map((record) => {
    if (record.type !== 'frame') return record
    const { color: _color, ...props } = record.props as JsonObject // frames have props
    return { ...record, props }
  })
  const doc = new Y.Doc()
  writeStoredSchema(doc, older)
  writeRecordChanges(doc, { put: records, remove: [] })
  return doc
}

describe('schema stored in the document', () => {
  it('migrates records stored with an older schema on bind, and upgrades the document', () => {
    const doc = docWithOlderSchema()
    const peer = createPeer(doc)
    expect(peer.store.get(STRENGTHS)).toMatchObject({ props: { name: 'Strengths', color: 'black' } })
    expect(peer.invalid).toEqual([])
    expect(readStoredSchema(doc)).toEqual(createKeyplanSchema().serialize())
    expect(readRecords(doc).get(STRENGTHS)).toMatchObject({ props: { color: 'black' } })
  })

  it('migrates an older document that arrives after binding (first sync)', () => {
    const peer = createPeer()
    const other = createPeer()
    connect(peer.doc, other.doc)
    connect(docWithOlderSchema(), peer.doc)
    for (const p of [peer, other]) {
      expect(p.store.get(STRENGTHS)).toMatchObject({ props: { color: 'black' } })
      expect(p.invalid).toEqual([])
    }
    expect(readStoredSchema(other.doc)).toEqual(createKeyplanSchema().serialize())
  })

  it('reports records written by a newer version instead of failing, and loads the rest', () => {
    const schema = createKeyplanSchema().serialize()
    const newer: SerializedSchemaV2 = { ...schema, sequences: { ...schema.sequences, [FRAME_SEQUENCE]: 99 } }
    const doc = new Y.Doc()
    writeStoredSchema(doc, newer)
    const records = templateRecords('swot').map((record) =>
      record.id === STRENGTHS ? { ...record, props: { ...(record.props as JsonObject), shadow: true } } : record // frames have props
    )
    writeRecordChanges(doc, { put: records, remove: [] })

    const peer = createPeer(doc)
    expect(peer.invalid.map((i) => i.id)).toEqual([STRENGTHS])
    expect(peer.invalid[0]?.error.message).toMatch(/newer version/)
    expect(peer.store.has(STRENGTHS)).toBe(false)
    expect(peer.store.get(SWOT_FRAMES.threats.id)).toMatchObject({ props: { name: 'Threats' } })
    // An older client never downgrades the document's schema.
    expect(readStoredSchema(doc)).toEqual(newer)
  })
})
