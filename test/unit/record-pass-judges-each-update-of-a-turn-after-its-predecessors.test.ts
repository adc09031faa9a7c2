/**
 * [S26] The server applies the updates of one turn in one transaction ([S4]) and judges each
 * after the ones before it. The record index follows the log only when a transaction ends, so the
 * record pass carries what the turn's accepted updates left in a `PreviewTurn`: an update that
 * breaks a record another update of the same turn created is refused, and an honest sequence
 * (create, then move, then delete one's own note) passes. Without the turn, the second update
 * would be judged against the board as it was before the turn and the invalid value would pass.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { checkRecordOps } from '../../server/sync/checkRecordOps.ts'
import type { Writer } from '../../server/sync/updateOps.ts'
import { PreviewTurn, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CREATOR_META_KEY, creatorStamp } from '../../shared/recordRights.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { note } from '../helpers/planBoards.ts'
import { updateOpsOf } from '../helpers/updateOpsOf.ts'

// A guest deletes what it stamped with its key id ([R7]).
const guest: Writer = { role: 'guest', userId: 'user:eve', keyId: participantKeyId('eve-browser-secret-0123456789'), connId: 'c1', board: 'actions' }

function stampedNote(id: string, x: number): JsonObject {
  const record = note(id, { x, y: 300 }, 'From the customer') as unknown as JsonObject // a tldraw record is JSON
  return { ...record, meta: { ...(record.meta as JsonObject), [CREATOR_META_KEY]: creatorStamp(guest) } }
}

/** A guest's page: a copy of the room that writes `steps` in turn, one update each. */
function updatesOf(room: Y.Doc, ...steps: Array<(doc: Y.Doc) => void>): Uint8Array[] {
  const page = new Y.Doc()
  Y.applyUpdate(page, Y.encodeStateAsUpdate(room))
  return steps.map((step) => {
    const vector = Y.encodeStateVector(page)
    step(page)
    return Y.encodeStateAsUpdate(page, vector)
  })
}

/** Judges and applies each update in one transaction, as `Room.applyQueued` does; the verdicts. */
function turnOf(room: Y.Doc, updates: Uint8Array[]): boolean[] {
  const turn = new PreviewTurn()
  const verdicts: boolean[] = []
  room.transact(() => {
    for (const update of updates) {
      const verdict = checkRecordOps(room, updateOpsOf(room, update), guest, turn)
      verdicts.push(verdict.ok)
      if (!verdict.ok) continue
      turn.accept()
      Y.applyUpdate(room, update)
    }
  })
  return verdicts
}

function seeded(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('actions'))
  return doc
}

test('an update that breaks a record created earlier in the same turn is refused', () => {
  const room = seeded()
  const updates = updatesOf(
    room,
    (page) => writeRecordChanges(page, { put: [stampedNote('shape:n1', 10)], remove: [] }),
    (page) => writeRecordChanges(page, { put: [{ ...stampedNote('shape:n1', 10), x: 'far left' }], remove: [] }),
  )
  expect(turnOf(room, updates)).toEqual([true, false])
  expect(readRecords(room).get('shape:n1')?.x).toBe(10)
})

test('create, move and delete of one own note in one turn all pass, and the board ends without it', () => {
  const room = seeded()
  const updates = updatesOf(
    room,
    (page) => writeRecordChanges(page, { put: [stampedNote('shape:n2', 10)], remove: [] }),
    (page) => writeRecordChanges(page, { put: [stampedNote('shape:n2', 60)], remove: [] }),
    (page) => writeRecordChanges(page, { put: [], remove: ['shape:n2'] }),
  )
  expect(turnOf(room, updates)).toEqual([true, true, true])
  expect(readRecords(room).has('shape:n2')).toBe(false)
})
