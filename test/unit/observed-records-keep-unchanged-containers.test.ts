/**
 * A page's store gets a teammate's change of a record with the very `props`/`meta` objects it got
 * before while no field of them changed (issue 14): `observeRecords` hands listeners kept records
 * (a container no field overrides is the log's own object, as `readRecordsKept` gives them), so a
 * remote move keeps tldraw's `props` by identity, without comparing the label's rich text. A
 * container a field overrides is a copy, and the log's own objects are never written into.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { observeRecords, readRecordsKept, writeRecordChanges } from '../../shared/docLayout.ts'

const note = {
  id: 'shape:n',
  typeName: 'shape',
  type: 'note',
  x: 1,
  y: 2,
  props: { color: 'yellow', richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kickoff' }] }] } },
  meta: { tag: 'a' },
}

test('a move hands listeners the same props and meta; a changed container is a copy', () => {
  const doc = new Y.Doc()
  writeRecordChanges(doc, { put: [note], remove: [] })
  const seen: JsonObject[] = []
  observeRecords(doc, (changes) => seen.push(...changes.put))
  const loaded = readRecordsKept(doc).get('shape:n')

  writeRecordChanges(doc, { put: [{ ...note, x: 50, y: 60 }], remove: [] })
  writeRecordChanges(doc, { put: [{ ...note, x: 70, y: 80 }], remove: [] })
  const [first, second] = seen
  expect(first?.x).toBe(50)
  expect(second?.x).toBe(70)
  expect(first?.props).toBe(loaded?.props)
  expect(second?.props).toBe(loaded?.props)
  expect(second?.meta).toBe(loaded?.meta)

  writeRecordChanges(doc, { put: [{ ...note, x: 70, y: 80, props: { ...note.props, color: 'blue' } }], remove: [] })
  const recoloured = seen.at(-1)
  expect(recoloured?.props).not.toBe(loaded?.props)
  expect(recoloured?.props).toEqual({ ...note.props, color: 'blue' })
  expect(recoloured?.meta).toBe(loaded?.meta)
  expect(readRecordsKept(doc).get('shape:n')?.props).toEqual({ ...note.props, color: 'blue' })
  expect(loaded?.props).toEqual(note.props) // the log's own object, untouched
})
