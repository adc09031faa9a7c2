/**
 * [S16] A loaded room's board read for one snapshot is reused by the next only while both of its
 * documents and its sensitivity are as they were: a change to the shared document, to the internal
 * document or to the sensitivity is in the next snapshot's plan.
 */
import * as Y from 'yjs'
import { expect, test } from 'vitest'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { writeOverlayChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { resolveSensitivity, type Sensitivity } from '../../shared/sensitivity.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import type { BoardDoc } from '../../server/snapshot/boardDocs.ts'
import { buildSnapshot } from '../../server/snapshot/buildSnapshot.ts'
import { snapshotInput } from '../helpers/snapshotInput.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { asJson } from '../helpers/boardPeers.ts'

/** The live documents of a workshop's boards, as a loaded room holds them. */
function liveBoards(): Record<BoardId, { doc: Y.Doc; internal: Y.Doc }> {
  return Object.fromEntries(
    BOARD_IDS.map((board) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, createSeededBoardUpdate(board))
      return [board, { doc, internal: new Y.Doc() }]
    }),
  ) as Record<BoardId, { doc: Y.Doc; internal: Y.Doc }> // one entry per board
}

function snapshotOf(boards: Record<BoardId, { doc: Y.Doc; internal: Y.Doc }>, sensitivity: Sensitivity): PlanRecord {
  const docs = Object.fromEntries(
    BOARD_IDS.map((board): [BoardId, BoardDoc] => {
      const { doc, internal } = boards[board]
      return [board, { doc, state: Y.encodeStateAsUpdate(doc), version: { shared: Y.snapshot(doc), internal: Y.snapshot(internal) }, live: true, internal, sensitivity }]
    }),
  ) as Record<BoardId, BoardDoc> // one entry per board
  const snapshot = buildSnapshot(snapshotInput(docs))
  return PlanRecordSchema.parse(snapshot.plan)
}

test('each change to a loaded board (shared document, internal document, sensitivity) is in the next snapshot', () => {
  const boards = liveBoards()
  const { doc, internal } = boards.stakeholders
  const card = stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', buyingRole: null })
  writeRecordChanges(doc, { put: [asJson(card)], remove: [] })
  const overlay = (role: string) => new Map([['shape:anna', new Map([['props.buyingRole', role]])]])
  writeOverlayChanges(internal, overlay('champion'), [])
  const defaults = resolveSensitivity(undefined)

  const first = snapshotOf(boards, defaults)
  expect(first.stakeholders).toEqual([expect.objectContaining({ name: 'Anna', buyingRole: 'champion' })])
  // Nothing changed: the same plan.
  expect(snapshotOf(boards, defaults).stakeholders).toEqual(first.stakeholders)

  writeRecordChanges(doc, { put: [asJson(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna Berg', buyingRole: null }))], remove: [] })
  expect(snapshotOf(boards, defaults).stakeholders).toEqual([expect.objectContaining({ name: 'Anna Berg', buyingRole: 'champion' })])

  writeOverlayChanges(internal, overlay('economic_buyer'), [])
  expect(snapshotOf(boards, defaults).stakeholders).toEqual([expect.objectContaining({ name: 'Anna Berg', buyingRole: 'economic_buyer' })])

  // Made visible: the internal overlay no longer counts; the shared value does.
  const visible = resolveSensitivity({ 'stakeholder.buyingRole': 'visible' })
  expect(snapshotOf(boards, visible).stakeholders).toEqual([expect.objectContaining({ name: 'Anna Berg', buyingRole: null })])
})
