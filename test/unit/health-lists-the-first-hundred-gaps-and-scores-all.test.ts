import { describe, expect, test } from 'vitest'
import { emptyWhitespace, type PlanAction, type PlanObjective } from '../../shared/plan.ts'
import { planHealth, type HealthPlan } from '../../shared/planHealth.ts'

// docs/plan-health.md: each check lists at most 100 items, and scores every item of the plan.

const context = { today: '2026-11-22', now: '2026-11-22T10:00:00.000Z', lastChangedAt: null, lastWorkshopAt: null }

const action = (i: number, owner: string): PlanAction => ({ id: `shape:a${i}`, title: `Action ${i}`, owner, due: '2026-12-01', status: 'open', overdue: false, objectives: [] })

const objective = (i: number): PlanObjective => ({
  id: `shape:o${i}`, objective: `Objective ${i}`, kpiType: 'other', measure: '', unit: '', baseline: null, target: null,
  targetDate: null, owner: '', status: 'on_track', pastTargetDate: false, strategy: '', addresses: [], actions: [],
})

const plan = (actions: PlanAction[], objectives: PlanObjective[] = []): HealthPlan => ({
  swot: { strengths: [], weaknesses: [], opportunities: [], threats: [], unsorted: [] },
  stakeholders: [],
  objectives,
  actions,
  whitespace: emptyWhitespace(),
})

const check = (health: ReturnType<typeof planHealth>, id: string) => health.checks.find((c) => c.id === id)

describe('health checks over large boards', () => {
  test('300 actions, 150 without an owner: the first 100 of them are listed, the score counts all 300', () => {
    const actions = Array.from({ length: 300 }, (_, i) => action(i, i % 2 ? '' : 'Ada'))
    const owners = check(planHealth(plan(actions), context), 'actions_owner_due')
    expect(owners?.score).toBe(0.5)
    expect(owners?.missing.map((m) => m.shapeId)).toEqual(actions.filter((a) => a.owner === '').slice(0, 100).map((a) => a.id))
  })

  test('objectives missing five fields each: 100 items listed, the score is over every field of every objective', () => {
    const complete = check(planHealth(plan([], Array.from({ length: 30 }, (_, i) => objective(i))), context), 'objectives_complete')
    expect(complete?.score).toBe(0)
    expect(complete?.missing).toHaveLength(100)
    expect(complete?.missing[99]?.key).toBe('objectives_complete:shape:o19:owner')
  })
})
