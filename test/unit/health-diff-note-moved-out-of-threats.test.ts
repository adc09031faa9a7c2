import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { diffPlans } from '../../shared/planDiff.ts'
import { boardStore, note, planInput, swotFrames } from '../helpers/planBoards.ts'

// Quadrants of swotFrames(): strengths x 0–1000 y 0–800, weaknesses x 1000–2000 y 0–800,
// threats x 1000–2000 y 800–1600.
function planOf(id: string, ...notes: ReturnType<typeof note>[]) {
  const swot: TLRecord[] = boardStore([...swotFrames(), ...notes]).allRecords()
  return PlanRecordSchema.parse({ ...extractPlan(planInput({ swot })), id })
}

describe('the plan comparison does not call a note moved out of threats and weaknesses "addressed"', () => {
  test('two notes dragged out of Threats and Weaknesses read as moved, not addressed', () => {
    const older = planOf('snap-1', note('shape:t', { x: 1100, y: 900 }, 'Price war'), note('shape:w', { x: 1100, y: 100 }, 'Slow delivery'))
    const newer = planOf('snap-2', note('shape:t', { x: 100, y: 100 }, 'Price war'), note('shape:w', { x: 2500, y: 100 }, 'Slow delivery'))
    const diff = diffPlans(newer, older)
    expect(diff.health?.resolved).toEqual([])
    expect(diff.health?.summary).toBe(`health ${older.health.score} → ${newer.health.score}: 2 notes moved out of threats and weaknesses`)
  })

  test('a threat moved to Weaknesses is still one: its gap stays (one key per note), nothing is reported', () => {
    const older = planOf('snap-1', note('shape:t', { x: 1100, y: 900 }, 'Price war'))
    const newer = planOf('snap-2', note('shape:t', { x: 1100, y: 100 }, 'Price war'))
    const diff = diffPlans(newer, older)
    expect(diff.health?.resolved).toEqual([])
    expect(diff.health?.summary).toBe(`health ${older.health.score} → ${newer.health.score}`)
  })

  test('a deleted threat is still counted as gone with its card', () => {
    const older = planOf('snap-1', note('shape:t', { x: 1100, y: 900 }, 'Price war'), note('shape:s', { x: 100, y: 100 }, 'Brand'))
    const newer = planOf('snap-2', note('shape:s', { x: 100, y: 100 }, 'Brand'))
    expect(diffPlans(newer, older).health?.summary).toBe(`health ${older.health.score} → ${newer.health.score}: 1 gap gone with its deleted card`)
  })
})
