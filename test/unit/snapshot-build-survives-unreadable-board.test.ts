/**
 * [S16] Building a snapshot never throws on board content: a board that cannot be read at all
 * gives a warning and empty sections for it, the other boards are extracted, and every board's
 * state is kept.
 */
import * as Y from 'yjs'
import { expect, test } from 'vitest'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { DOC_KEYS, writeRecordChanges } from '../../shared/docLayout.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import type { BoardDoc } from '../../server/snapshot/boardDocs.ts'
import { buildSnapshot } from '../../server/snapshot/buildSnapshot.ts'
import { snapshotInput } from '../helpers/snapshotInput.ts'
import { action } from '../helpers/planBoards.ts'
import { asJson } from '../helpers/boardPeers.ts'

function boardDoc(doc: Y.Doc): BoardDoc {
  return { doc, state: Y.encodeStateAsUpdate(doc), version: { shared: Y.snapshot(doc), internal: Y.emptySnapshot }, live: false }
}

test('an unreadable board becomes a warning; the others are extracted and all states kept', () => {
  const swot = new Y.Doc()
  // The records key used as another shared type: reading the record log throws.
  swot.getMap(DOC_KEYS.records).set('x', 1)
  const actions = new Y.Doc()
  Y.applyUpdate(actions, createSeededBoardUpdate('actions'))
  writeRecordChanges(actions, { put: [asJson(action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' }))], remove: [] })
  const stakeholders = new Y.Doc()
  const boards: Record<BoardId, BoardDoc> = {
    swot: boardDoc(swot),
    stakeholders: boardDoc(stakeholders),
    objectives: boardDoc(new Y.Doc()),
    actions: boardDoc(actions),
    whitespace: boardDoc(new Y.Doc()),
  }

  const snapshot = buildSnapshot(snapshotInput(boards, ['Ada']))

  const plan = PlanRecordSchema.parse(snapshot.plan)
  expect(plan.actions.map((a) => a.title)).toEqual(['Send proposal'])
  expect(plan.swot.strengths).toEqual([])
  expect(plan.warnings).toEqual([expect.objectContaining({ board: 'swot', message: expect.stringContaining('could not be read') })])
  expect(Object.keys(snapshot.boards).sort()).toEqual([...BOARD_IDS].sort())
  expect(snapshot.boards.swot).toEqual(boards.swot.state)
})
