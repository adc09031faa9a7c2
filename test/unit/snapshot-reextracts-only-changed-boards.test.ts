/**
 * [P1][S16] A loaded room's board unchanged since the last snapshot keeps the sections extracted
 * from it (and health's plan-only checks); a board that changed is extracted again, and so is
 * everything that depends on it: the change is in the next snapshot's plan.
 */
import * as Y from 'yjs'
import { expect, test } from 'vitest'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import type { PlanRecord } from '../../shared/plan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import type { BoardDoc } from '../../server/snapshot/boardDocs.ts'
import { buildSnapshot } from '../../server/snapshot/buildSnapshot.ts'
import { snapshotInput } from '../helpers/snapshotInput.ts'
import { action, note, stakeholder } from '../helpers/planBoards.ts'
import { asJson } from '../helpers/boardPeers.ts'

function liveBoards(): Record<BoardId, Y.Doc> {
  return Object.fromEntries(
    BOARD_IDS.map((board) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, createSeededBoardUpdate(board))
      return [board, doc]
    }),
  ) as Record<BoardId, Y.Doc> // one entry per board
}

function snapshotOf(boards: Record<BoardId, Y.Doc>, takenAt = '2026-11-22T14:00:00.000Z'): PlanRecord {
  const docs = Object.fromEntries(
    BOARD_IDS.map((board): [BoardId, BoardDoc] => {
      const doc = boards[board]
      return [board, { doc, state: Y.encodeStateAsUpdate(doc), version: { shared: Y.snapshot(doc), internal: Y.emptySnapshot }, live: true }]
    }),
  ) as Record<BoardId, BoardDoc> // one entry per board
  const plan = buildSnapshot({ ...snapshotInput(docs), takenAt }).plan
  PlanRecordSchema.parse(plan)
  return plan
}

const check = (plan: PlanRecord, id: string) => plan.health.checks.find((c) => c.id === id)

test('an edit to one loaded board is in the next plan while the unchanged boards keep their sections', () => {
  const boards = liveBoards()
  writeRecordChanges(boards.swot, { put: [asJson(note('shape:n1', { x: 100, y: 100 }, 'Strong brand'))], remove: [] })
  writeRecordChanges(boards.stakeholders, { put: [asJson(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', buyingRole: null }))], remove: [] })
  writeRecordChanges(boards.actions, { put: [asJson(action('shape:a1', { x: 0, y: 0 }, { title: 'Send proposal', owner: 'Ada', due: '2026-12-01' }))], remove: [] })

  const first = snapshotOf(boards)
  const again = snapshotOf(boards)
  expect(again.swot).toBe(first.swot)
  expect(again.stakeholders).toBe(first.stakeholders)
  expect(again).toEqual(first)

  writeRecordChanges(boards.stakeholders, { put: [asJson(stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna Berg', buyingRole: 'champion' }))], remove: [] })
  const edited = snapshotOf(boards)
  expect(edited.stakeholders).toEqual([expect.objectContaining({ name: 'Anna Berg', buyingRole: 'champion' })])
  expect(check(edited, 'key_roles')?.missing.map((m) => m.message)).not.toContain('No champion identified')
  expect(check(first, 'key_roles')?.missing.map((m) => m.message)).toContain('No champion identified')
  // The other boards were not extracted again.
  expect(edited.swot).toBe(first.swot)
  expect(edited.whitespace).toBe(first.whitespace)

  // Nothing changed on the boards, but the day did: the action is overdue now, and health says so.
  const later = snapshotOf(boards, '2026-12-05T09:00:00.000Z')
  expect(later.actions).toEqual([expect.objectContaining({ id: 'shape:a1', overdue: true })])
  expect(check(later, 'actions_overdue')?.score).toBe(0)
  expect(check(edited, 'actions_overdue')?.score).toBe(1)
  expect(later.swot).toBe(first.swot)
})
