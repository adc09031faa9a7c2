import { describe, expect, it } from 'vitest'
import { BOARD_IDS, DEFAULT_CUSTOMER_FACING } from '../../shared/boards.ts'
import {
  BoardSettingsSchema,
  ROLES,
  canChangeBoardSettings,
  canEditBoard,
  canManageLinks,
  canRestore,
  canSeeBoard,
  canTakeSnapshot,
  defaultBoardSettings,
  visibleBoards,
  type CustomerFacing,
} from '../../shared/roles.ts'

const defaults: CustomerFacing = { ...DEFAULT_CUSTOMER_FACING }
const allInternal: CustomerFacing = { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false }
const allFacing: CustomerFacing = { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true }

describe('[A5] role permissions', () => {
  it('facilitator and team see and edit every board whatever the settings', () => {
    for (const role of ['facilitator', 'team'] as const) {
      for (const settings of [defaults, allInternal, allFacing]) {
        for (const board of BOARD_IDS) {
          expect(canSeeBoard(role, board, settings)).toBe(true)
          expect(canEditBoard(role, board, settings)).toBe(true)
        }
      }
    }
  })

  it('viewer sees every board and edits none', () => {
    for (const settings of [defaults, allInternal, allFacing]) {
      for (const board of BOARD_IDS) {
        expect(canSeeBoard('viewer', board, settings)).toBe(true)
        expect(canEditBoard('viewer', board, settings)).toBe(false)
      }
    }
  })

  it('[A6] guest sees and edits only customer-facing boards (by default only the action plan)', () => {
    expect(visibleBoards('guest', defaults)).toEqual(['actions'])
    expect(canSeeBoard('guest', 'swot', defaults)).toBe(false)
    expect(canSeeBoard('guest', 'stakeholders', defaults)).toBe(false)
    expect(canEditBoard('guest', 'swot', defaults)).toBe(false)
    expect(canEditBoard('guest', 'actions', defaults)).toBe(true)
    expect(visibleBoards('guest', allInternal)).toEqual([])
    expect(visibleBoards('guest', allFacing)).toEqual([...BOARD_IDS])
  })

  it('[A6] guest access fails closed on a missing or non-boolean entry', () => {
    const broken = { actions: 'yes' } as unknown as CustomerFacing // simulates corrupt settings
    for (const board of BOARD_IDS) {
      expect(canSeeBoard('guest', board, broken)).toBe(false)
      expect(canEditBoard('guest', board, broken)).toBe(false)
    }
  })

  it('only the facilitator takes snapshots, restores, changes board settings and manages links', () => {
    for (const role of ROLES) {
      const expected = role === 'facilitator'
      expect(canTakeSnapshot(role)).toBe(expected)
      expect(canRestore(role)).toBe(expected)
      expect(canChangeBoardSettings(role)).toBe(expected)
      expect(canManageLinks(role)).toBe(expected)
    }
  })
})

describe('BoardSettingsSchema', () => {
  it('accepts the defaults and requires every board, nothing else', () => {
    expect(BoardSettingsSchema.parse(defaultBoardSettings())).toEqual({ customerFacing: DEFAULT_CUSTOMER_FACING })
    expect(BoardSettingsSchema.safeParse({ customerFacing: { actions: true } }).success).toBe(false)
    expect(
      BoardSettingsSchema.safeParse({ customerFacing: { ...DEFAULT_CUSTOMER_FACING, secret: true } }).success,
    ).toBe(false)
    expect(BoardSettingsSchema.safeParse({ customerFacing: { ...DEFAULT_CUSTOMER_FACING, swot: 'true' } }).success).toBe(
      false,
    )
  })

  it('defaultBoardSettings returns a fresh copy', () => {
    const settings = defaultBoardSettings()
    settings.customerFacing.swot = true
    expect(defaultBoardSettings().customerFacing.swot).toBe(false)
  })
})
