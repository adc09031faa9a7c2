/**
 * [S16] The ids a snapshot lists as internal come from `recordIds`: exactly the ids
 * `readRecords` composes, without a deleted record, an overlay without a base, or a base that is
 * not a record.
 */
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, readRecords, recordIds, writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'

const record = (id: string) => ({ id, typeName: 'shape', type: 'geo', x: 0, y: 0, props: { w: 10 }, meta: {} })

test('recordIds holds the ids of the records readRecords composes', () => {
  const doc = new Y.Doc()
  writeRecordChanges(doc, { put: [record('shape:a'), record('shape:b'), record('shape:c')], remove: [] })
  writeRecordChanges(doc, { put: [], remove: ['shape:b'] })
  writeOverlayChanges(doc, new Map([['shape:overlay-only', new Map([['props.w', 20]])]]), [])
  doc.getArray<LogEntry>(DOC_KEYS.records).push([['shape:not-a-record', '', 'text']])
  writeRecordChanges(doc, { put: [record('shape:d')], remove: [] })

  expect([...recordIds(doc)].sort()).toEqual([...readRecords(doc).keys()].sort())
  expect([...recordIds(doc)].sort()).toEqual(['shape:a', 'shape:c', 'shape:d'])
})
