/**
 * [R1], [S26] The record pass previews what an update would make of each record it touches, from
 * the record index (or from what the turn's accepted updates left, `PreviewTurn`). A preview's copy
 * of a record shares the entries of the fields the update leaves alone with where it started from
 * and copies those it changes: neither the index nor the turn may change under it, or the next
 * preview would start from an update that was never applied (refused, or only previewed).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { PreviewTurn, previewRecordChanges, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { note } from '../helpers/planBoards.ts'
import { updateOpsOf } from '../helpers/updateOpsOf.ts'

const ID = 'shape:n1'

function noteAt(x: number): JsonObject {
  return note(ID, { x, y: 300 }, 'Renewal') as unknown as JsonObject // a tldraw record is JSON
}

function board(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('actions'))
  writeRecordChanges(doc, { put: [noteAt(5)], remove: [] })
  // Moved once: `x` is an entry of its own in the index, which the moves below delete and replace.
  writeRecordChanges(doc, { put: [noteAt(10)], remove: [] })
  return doc
}

/** A page's update moving the note to `x` (and renaming it), written on a copy of `room` as it is now. */
function move(room: Y.Doc, x: number): Uint8Array {
  const page = new Y.Doc()
  Y.applyUpdate(page, Y.encodeStateAsUpdate(room))
  const vector = Y.encodeStateVector(page)
  const moved = noteAt(x)
  writeRecordChanges(page, { put: [{ ...moved, meta: { step: x } }], remove: [] })
  return Y.encodeStateAsUpdate(page, vector)
}

function preview(room: Y.Doc, update: Uint8Array, turn?: PreviewTurn) {
  const ops = updateOpsOf(room, update)
  return previewRecordChanges(room, ops.inserts, ops.deletes, ops.insertIds, turn).get(ID)
}

test('previews without a turn leave the index as it was', () => {
  const room = board()
  expect(preview(room, move(room, 60))?.after).toMatchObject({ x: 60, meta: { step: 60 } })
  const again = preview(room, move(room, 70))
  expect(again?.before).toMatchObject({ x: 10, meta: {} })
  expect(again?.after).toMatchObject({ x: 70, meta: { step: 70 } })
  expect(readRecords(room).get(ID)).toMatchObject({ x: 10, meta: {} })
})

test('in a turn, an update previewed but not accepted leaves nothing for the next', () => {
  const room = board()
  const [first, notAccepted, third] = [move(room, 60), move(room, 80), move(room, 90)]
  const turn = new PreviewTurn()
  expect(preview(room, first, turn)?.after).toMatchObject({ x: 60 })
  turn.accept()
  expect(preview(room, notAccepted, turn)?.before).toMatchObject({ x: 60, meta: { step: 60 } })
  // Starts from the accepted update alone: the one previewed in between is in neither.
  expect(preview(room, third, turn)?.before).toEqual(preview(room, notAccepted, turn)?.before)
  const afterThird = preview(room, third, turn)?.after
  expect(afterThird === null ? null : [afterThird?.x, afterThird?.meta]).not.toContainEqual({ step: 80 })
  expect(readRecords(room).get(ID)).toMatchObject({ x: 10, meta: {} })
})
