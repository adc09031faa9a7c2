/**
 * [PH1] A check's result is reused while the plan sections it reads are unchanged
 * (`HEALTH_CHECK_READS`), so each check must read no other section: recorded here on a plan
 * with every section filled.
 */
import { expect, test } from 'vitest'
import { HEALTH_CHECK_READS, HEALTH_CHECK_RUNS } from '../../shared/healthChecks.ts'
import { HEALTH_CHECK_IDS, planHealth, type HealthContext, type HealthPlan } from '../../shared/planHealth.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const context: HealthContext = { today: '2026-11-22', now: '2026-11-22T14:00:00.000Z', lastChangedAt: null, lastWorkshopAt: null }

test('each health check reads only the sections it declares', () => {
  const plan = samplePlan()
  for (const id of HEALTH_CHECK_IDS) {
    const read = new Set<string | symbol>()
    const watched = new Proxy(plan, { get: (target, key, receiver) => (read.add(key), Reflect.get(target, key, receiver)) })
    HEALTH_CHECK_RUNS[id](watched, context)
    expect([id, [...read].sort()]).toEqual([id, [...HEALTH_CHECK_READS[id]].sort()])
  }
})

test('a check is computed again when a section it reads is a new object, and kept otherwise', () => {
  const plan: HealthPlan = samplePlan()
  const first = planHealth(plan, context)
  const stakeholders = plan.stakeholders.map((s) => ({ ...s, buyingRole: 'champion' as const, attitude: 'champion' as const }))
  const next = planHealth({ ...plan, stakeholders }, context, { plan, health: first })
  expect(next).toEqual(planHealth({ ...plan, stakeholders }, context))
  const check = (health: typeof first, id: string) => health.checks.find((c) => c.id === id)
  expect(check(next, 'swot_addressed')).toBe(check(first, 'swot_addressed'))
  expect(check(next, 'key_roles')).not.toBe(check(first, 'key_roles'))
  expect(check(next, 'freshness')).not.toBe(check(first, 'freshness'))
})
