/**
 * Workshops and snapshots stored before the objectives and whitespace boards existed keep loading:
 * their customer-facing flags name three boards, and the two new ones read as internal ([A6], [A17]).
 */
import { describe, expect, test } from 'vitest'
import { WorkshopAccessSchema } from '../../server/auth/WorkshopAccess.ts'
import { SnapshotAccessSchema } from '../../server/snapshot/snapshotAccess.ts'
import { BoardSettingsSchema } from '../../shared/roles.ts'

const threeBoards = { swot: true, stakeholders: false, actions: true }

describe('customer-facing flags stored before issue 15', () => {
  test('a stored workshop access state with three boards loads, the new boards internal', () => {
    const access = WorkshopAccessSchema.parse({ generations: { facilitator: 0, team: 0, viewer: 0, guest: 0 }, customerFacing: threeBoards, linkTtlSeconds: 3600 })
    expect(access.customerFacing).toEqual({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
  })

  test('a stored snapshot access record with three boards loads, the new boards internal', () => {
    const record = SnapshotAccessSchema.parse({ customerFacing: threeBoards, participants: [{ name: 'Ada', boards: ['swot'] }] })
    expect(record.customerFacing.objectives).toBe(false)
    expect(record.customerFacing.whitespace).toBe(false)
  })

  test('stored values are still checked: a flag that is not a boolean is refused', () => {
    expect(SnapshotAccessSchema.safeParse({ customerFacing: { ...threeBoards, whitespace: 'yes' }, participants: [] }).success).toBe(false)
  })

  test('a request that sets the flags must still name every board', () => {
    expect(BoardSettingsSchema.safeParse({ customerFacing: threeBoards }).success).toBe(false)
  })
})
