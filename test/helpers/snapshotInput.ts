/**
 * The input of `buildSnapshot` for tests that build a snapshot from documents directly: a fixed
 * workshop, moment and trigger, with the given boards.
 *
 * @example const snapshot = buildSnapshot(snapshotInput(boards, ['Ada']))
 */
import type { BoardId } from '../../shared/boards.ts'
import type { BoardDoc } from '../../server/snapshot/boardDocs.ts'
import type { SnapshotInput } from '../../server/snapshot/buildSnapshot.ts'

export function snapshotInput(boards: Record<BoardId, BoardDoc>, participants: readonly string[] = []): SnapshotInput {
  return {
    id: 'snap-0000001',
    workshop: { id: 'w-test-0001', account: 'Acme Corp', title: 'FY27 planning', timeZone: 'UTC' },
    takenAt: '2026-11-22T14:00:00.000Z',
    trigger: 'manual',
    label: null,
    participants,
    boards,
  }
}
