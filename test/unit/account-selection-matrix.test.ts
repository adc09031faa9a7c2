/**
 * The account selection matrix (docs/accounts.md [K5]): attractiveness is the mean of the scored
 * attractiveness criteria, strength our relative strength, 3 and above is high; quadrants are named
 * and tiers that do not fit are flagged; an account without both scores is not placed.
 */
import { describe, expect, test } from 'vitest'
import { SelectionCriteriaSchema, accountSelection } from '../../shared/accounts.ts'

const criteria = (scores: Partial<Record<string, number | null>>) => SelectionCriteriaSchema.parse(scores)

describe('[K5] accountSelection', () => {
  test('the four quadrants', () => {
    expect(accountSelection('strategic', criteria({ annualRevenue: 5, profitability: 4, growthPotential: 4, strategicImportance: 5, relativeStrength: 4 }))).toEqual({
      attractiveness: 4.5,
      strength: 4,
      quadrant: 'strategic',
      mismatch: null,
    })
    expect(accountSelection('key', criteria({ annualRevenue: 3, relativeStrength: 2 })).quadrant).toBe('develop')
    expect(accountSelection('key', criteria({ growthPotential: 2, strategicImportance: 2, relativeStrength: 5 })).quadrant).toBe('maintain')
    expect(accountSelection('key', criteria({ profitability: 1, relativeStrength: 1 })).quadrant).toBe('selective')
  })

  test('tier mismatches: strategic in the low-attractiveness half, key in the strategic quadrant', () => {
    expect(accountSelection('strategic', criteria({ annualRevenue: 2, profitability: 2, relativeStrength: 5 })).mismatch).toMatch(/^tier is strategic/)
    expect(accountSelection('key', criteria({ annualRevenue: 4, relativeStrength: 4 })).mismatch).toMatch(/^tier is key/)
    expect(accountSelection('strategic', criteria({ annualRevenue: 4, relativeStrength: 2 })).mismatch).toBeNull()
  })

  test('not placed without attractiveness or strength; the unscored criteria do not count', () => {
    expect(accountSelection('key', criteria({ annualRevenue: 5 }))).toEqual({ attractiveness: 5, strength: null, quadrant: null, mismatch: null })
    expect(accountSelection('key', criteria({ relativeStrength: 3 })).quadrant).toBeNull()
    expect(accountSelection('key', criteria({ annualRevenue: 4, profitability: null, growthPotential: 2, relativeStrength: 3 })).attractiveness).toBe(3)
  })
})
