/**
 * Issue 14 (memory): a board's record index (`shared/FieldIndex.ts`) keeps, per record, its base
 * entries and, per overridden field, that field's entries. Most records are only ever written
 * whole, so a record keeps a map of field entries only while it has an override: an empty map
 * costs more heap than the rest of the record's entries. What the records read as is unchanged
 * (the layout tests, `layout-converges-under-random-edits.test.ts`).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { keptIndexEntries, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { asJson, stakeholderCard } from '../helpers/boardPeers.ts'

test('records written whole keep no field map; one with an override keeps one until it is written whole again', () => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('stakeholders'))
  const template = keptIndexEntries(doc)
  expect(template.fieldMaps).toBe(0)

  const cards = Array.from({ length: 20 }, (_, i) => asJson(stakeholderCard(`card-${i}`)))
  writeRecordChanges(doc, { put: cards, remove: [] })
  expect(keptIndexEntries(doc)).toEqual({ records: template.records + 20, fieldMaps: 0 })

  const [first] = cards
  if (!first) throw new Error('no card')
  const props = { ...(first.props as JsonObject), attitude: 'champion' } // a card has props
  writeRecordChanges(doc, { put: [{ ...first, x: 5, props }], remove: [] })
  expect(keptIndexEntries(doc).fieldMaps).toBe(1)
  expect(readRecords(doc).get(first.id as string)).toEqual({ ...first, x: 5, props }) // a record's id is a string

  // A field that disappears writes the record whole: its overrides are deleted, and so is its map.
  const { attitude: _attitude, ...withoutAttitude } = props
  writeRecordChanges(doc, { put: [{ ...first, x: 5, props: withoutAttitude }], remove: [] })
  expect(keptIndexEntries(doc).fieldMaps).toBe(0)
  expect(readRecords(doc).get(first.id as string)).toEqual({ ...first, x: 5, props: withoutAttitude }) // as above

  // A second document indexed from the first one's state (a room's load) keeps the same.
  const loaded = new Y.Doc()
  Y.applyUpdate(loaded, Y.encodeStateAsUpdate(doc))
  expect(keptIndexEntries(loaded)).toEqual(keptIndexEntries(doc))
})
