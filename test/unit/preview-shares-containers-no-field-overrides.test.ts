/**
 * [R1][R2] The update guard's preview (`FieldIndex.preview`) composes a record's `props`/`meta`
 * as the base's own object when no field of the record overrides a key in it, so the record
 * pass sees an untouched container unchanged by identity (size caps, known-good validation,
 * `jsonEqual`), and copies a container before it sets any key in it: no composition ever writes
 * into a value of the log, including a whole `props` written as one field and then overridden
 * key by key.
 */
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, previewRecordChanges, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'

const base = {
  id: 'shape:a',
  typeName: 'shape',
  type: 'geo',
  x: 1,
  y: 2,
  props: { w: 10, h: 20 },
  meta: { tag: 'a' },
}

test('a container no field overrides is shared by before and after; an overridden one is a copy', () => {
  const doc = new Y.Doc()
  writeRecordChanges(doc, { put: [base], remove: [] })
  const logged = readRecords(doc).get('shape:a')
  const preview = previewRecordChanges(doc, [['shape:a', 'meta.tag', 'b']], []).get('shape:a')
  const before = preview?.before
  const after = preview?.after
  expect(after).toEqual({ ...base, meta: { tag: 'b' } })
  expect(before).toEqual(logged)
  expect(after?.props).toBe(before?.props)
  expect(after?.meta).not.toBe(before?.meta)
  // The log's own meta is untouched by the override.
  expect(readRecords(doc).get('shape:a')?.meta).toEqual({ tag: 'a' })
  const moved = previewRecordChanges(doc, [['shape:a', 'x', 5]], []).get('shape:a')
  expect(moved?.after?.props).toBe(moved?.before?.props)
  expect(moved?.after?.meta).toBe(moved?.before?.meta)
})

test('a whole props written as one field and then overridden key by key stays as it was written in the log', () => {
  const doc = new Y.Doc()
  writeRecordChanges(doc, { put: [base], remove: [] })
  const whole = { w: 30, h: 40 }
  doc.getArray<LogEntry>(DOC_KEYS.records).push([
    ['shape:a', 'props.w', 11],
    ['shape:a', 'props', whole],
    ['shape:a', 'props.h', 99],
  ])
  const logged = doc.getArray<LogEntry>(DOC_KEYS.records).toArray().find(([, field]) => field === 'props')?.[2]
  expect(readRecords(doc).get('shape:a')?.props).toEqual({ w: 30, h: 99 })
  const preview = previewRecordChanges(doc, [['shape:a', 'props.h', 12]], []).get('shape:a')
  expect(preview?.before?.props).toEqual({ w: 30, h: 99 })
  expect(preview?.after?.props).toEqual({ w: 30, h: 12 })
  // No composition set a key in the entry's own value.
  expect(logged).toEqual({ w: 30, h: 40 })
})
