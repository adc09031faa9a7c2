/**
 * `readRecordsSince` gives what `readRecords` gives, and the very objects of the last read for the
 * records no transaction touched since: a snapshot of an edited board composes only what changed.
 */
import * as Y from 'yjs'
import { expect, test } from 'vitest'
import { readRecords, readRecordsSince, writeRecordChanges } from '../../shared/docLayout.ts'
import { asJson } from '../helpers/boardPeers.ts'
import { note } from '../helpers/planBoards.ts'

test('records untouched since the last read are its objects; touched, new and removed ones are read again', () => {
  const doc = new Y.Doc()
  const notes = Array.from({ length: 5 }, (_, i) => asJson(note(`shape:n${i}`, { x: i * 10, y: 0 }, `Note ${i}`)))
  writeRecordChanges(doc, { put: notes, remove: [] })
  const first = readRecordsSince(doc)
  expect(first.records).toEqual(readRecords(doc))

  writeRecordChanges(doc, { put: [{ ...notes[1], x: 99 }, asJson(note('shape:new', { x: 0, y: 50 }, 'New'))], remove: ['shape:n3'] })
  // A concurrent write from another peer touches n4 too.
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  writeRecordChanges(peer, { put: [{ ...notes[4], y: 7 }], remove: [] })
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)))

  const second = readRecordsSince(doc, first)
  expect(second.records).toEqual(readRecords(doc))
  expect([...second.records.keys()]).toEqual([...readRecords(doc).keys()])
  const reused = [...second.records].filter(([id, record]) => first.records.get(id) === record).map(([id]) => id)
  expect(reused).toEqual(['shape:n0', 'shape:n2'])
  expect(second.records.get('shape:n1')?.x).toBe(99)
  expect(second.records.get('shape:n4')?.y).toBe(7)

  // Nothing changed since: every record is the object of the last read.
  const third = readRecordsSince(doc, second)
  expect([...third.records].every(([id, record]) => second.records.get(id) === record)).toBe(true)
})
