/**
 * Issue 14 (memory): the record pass keeps, per record, the sizes it measured and the known-good
 * version it validated, so that a record's next change is measured and validated in what it
 * changes only ([R1], [R2]). A record written once and never changed (most of a board) keeps
 * neither: both are kept from its second accepted write on. The checks themselves are unchanged
 * (the record pass tests, and `record-size-is-json-length.test.ts`).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { checkRecordOps, keptKnownGood } from '../../server/sync/checkRecordOps.ts'
import { keptRecordSizes } from '../../server/sync/recordSize.ts'
import type { Writer } from '../../server/sync/updateOps.ts'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { action } from '../helpers/planBoards.ts'
import { opsOfChange } from '../helpers/updateOpsOf.ts'

const team: Writer = { role: 'team', userId: 'user:tom', connId: 'c1', board: 'actions' }

/** Judges writing `records` to `doc` and, when accepted, writes them (as the room does). */
function write(doc: Y.Doc, ...records: JsonObject[]): void {
  const verdict = checkRecordOps(doc, opsOfChange(doc, (copy) => writeRecordChanges(copy, { put: records, remove: [] })), team)
  expect(verdict.ok).toBe(true)
  writeRecordChanges(doc, { put: records, remove: [] })
}

test('records written once keep no measured sizes and no known-good copy; a record changed again keeps both', () => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('actions'))
  const cards = Array.from({ length: 20 }, (_, i) => action(`shape:card-${i}`, { x: 20 + i * 10, y: 100 }, { title: `Card ${i}` }) as unknown as JsonObject) // tldraw records are JSON
  for (const card of cards) write(doc, card)
  expect(keptRecordSizes(doc)).toBe(0)
  expect(keptKnownGood(doc)).toBe(0)

  const [first] = cards
  if (!first) throw new Error('no card')
  write(doc, { ...first, x: 500 })
  expect(keptRecordSizes(doc)).toBe(1)
  expect(keptKnownGood(doc)).toBe(1)
  write(doc, { ...first, x: 600 })
  expect(keptRecordSizes(doc)).toBe(1)
  expect(keptKnownGood(doc)).toBe(1)
})
