import { describe, expect, test } from 'vitest'
import { emptyWhitespace } from '../../shared/plan.ts'
import { HEALTH_CHECK_IDS, HEALTH_CHECKS, diffHealth, planHealth, type HealthCheckId, type HealthContext, type HealthPlan } from '../../shared/planHealth.ts'

/** A plan that passes every check (docs/plan-health.md [PH1]–[PH12]). */
function healthyPlan(): HealthPlan {
  return {
    swot: {
      strengths: [],
      weaknesses: [{ id: 'shape:w1', text: 'Slow delivery' }],
      opportunities: [],
      threats: [{ id: 'shape:t1', text: 'Globex discount' }],
      unsorted: [],
    },
    stakeholders: [
      { id: 'shape:cfo', name: 'Lee Chen', jobTitle: 'CFO', department: '', buyingRole: 'economic_buyer', influence: 'high', attitude: 'skeptic', owner: 'Ada', notes: '' },
      { id: 'shape:ceo', name: 'Dana Ortiz', jobTitle: 'CEO', department: '', buyingRole: 'decision_maker', influence: 'high', attitude: 'supporter', owner: 'Grace', notes: '' },
      { id: 'shape:ops', name: 'Sam Ray', jobTitle: 'Head of Ops', department: '', buyingRole: 'champion', influence: 'medium', attitude: 'champion', owner: '', notes: '' },
    ],
    objectives: [
      {
        id: 'shape:o1',
        objective: 'Fix slow delivery for logistics',
        kpiType: 'retention',
        measure: 'On-time rate',
        unit: '%',
        baseline: 80,
        target: 95,
        targetDate: '2027-06-30',
        owner: 'Ada',
        status: 'on_track', pastTargetDate: false,
        strategy: 'Dedicated delivery desk',
        addresses: ['shape:t1'],
        actions: ['shape:a1'],
      },
    ],
    actions: [{ id: 'shape:a1', title: 'Workshop with Lee Chen on cost', owner: 'Ada', due: '2026-12-15', status: 'open', overdue: false, objectives: ['shape:o1'] }],
    whitespace: {
      ...emptyWhitespace(),
      rows: ['Logistics'],
      columns: ['Tracking', 'Billing'],
      cells: [
        { id: 'shape:c1', row: 'Logistics', column: 'Tracking', kind: 'we_supply', competitor: '', value: 300, probability: null, notes: '' },
        { id: 'shape:c2', row: 'Logistics', column: 'Billing', kind: 'opportunity', competitor: '', value: 100, probability: 50, notes: '' },
      ],
      opportunities: { count: 1, value: 100, weighted: 50, byRow: [{ row: 'Logistics', count: 1, value: 100, weighted: 50 }] },
      shareOfWallet: [{ row: 'Logistics', ours: 300, spend: 300, share: 1 }],
    },
  }
}

const context: HealthContext = {
  today: '2026-11-22',
  now: '2026-11-22T14:00:00.000Z',
  lastChangedAt: '2026-11-20T10:00:00.000Z',
  lastWorkshopAt: '2026-11-01T10:00:00.000Z',
}

function check(plan: HealthPlan, id: HealthCheckId, ctx: HealthContext = context) {
  const found = planHealth(plan, ctx).checks.find((c) => c.id === id)
  if (!found) throw new Error(`no check ${id}`)
  return found
}

/** For each check: a change to the healthy plan (or context) that makes it fail, and the item it must list. */
const failures: Record<HealthCheckId, { break: (plan: HealthPlan) => HealthContext | void; message: RegExp; board: string; shapeId?: string }> = {
  key_roles: {
    break: (plan) => {
      plan.stakeholders = plan.stakeholders.filter((s) => s.id !== 'shape:ops')
    },
    message: /^No champion identified$/,
    board: 'stakeholders',
  },
  relationship_owners: {
    break: (plan) => {
      plan.stakeholders[1]!.owner = ' ' // the healthy fixture has three stakeholders
    },
    message: /Dana Ortiz has no relationship owner/,
    board: 'stakeholders',
    shapeId: 'shape:ceo',
  },
  opponents_addressed: {
    break: (plan) => {
      plan.actions[0]!.title = 'Cost workshop' // the healthy fixture has one action
    },
    message: /Lee Chen \(skeptic\) is not addressed/,
    board: 'stakeholders',
    shapeId: 'shape:cfo',
  },
  swot_addressed: {
    break: (plan) => {
      plan.objectives[0]!.addresses = [] // the healthy fixture has one objective
    },
    message: /threat "Globex discount" is not addressed/,
    board: 'swot',
    shapeId: 'shape:t1',
  },
  objectives_complete: {
    break: (plan) => {
      plan.objectives[0]!.baseline = null // the healthy fixture has one objective
    },
    message: /has no baseline/,
    board: 'objectives',
    shapeId: 'shape:o1',
  },
  objectives_actions: {
    break: (plan) => {
      plan.objectives[0]!.actions = [] // the healthy fixture has one objective
    },
    message: /has no action/,
    board: 'objectives',
    shapeId: 'shape:o1',
  },
  actions_owner_due: {
    break: (plan) => {
      plan.actions[0]!.due = null // the healthy fixture has one action
    },
    message: /has no due date/,
    board: 'actions',
    shapeId: 'shape:a1',
  },
  actions_overdue: {
    break: (plan) => {
      plan.actions[0]!.overdue = true // the healthy fixture has one action
    },
    message: /is overdue/,
    board: 'actions',
    shapeId: 'shape:a1',
  },
  actions_linked: {
    break: (plan) => {
      plan.actions[0]!.objectives = [] // the healthy fixture has one action
    },
    message: /serves no objective/,
    board: 'actions',
    shapeId: 'shape:a1',
  },
  whitespace_opportunity: {
    break: (plan) => {
      plan.whitespace.cells[1]!.value = null // the healthy fixture has two cells
    },
    message: /No open opportunity with an estimated value/,
    board: 'whitespace',
  },
  share_of_wallet: {
    break: (plan) => {
      plan.whitespace.shareOfWallet[0]!.share = null // the healthy fixture has one row
    },
    message: /Share of wallet unknown for Logistics/,
    board: 'whitespace',
  },
  freshness: {
    break: () => ({ ...context, lastChangedAt: '2026-06-01T00:00:00.000Z' }),
    message: /has not changed for 174 days/,
    board: 'actions',
  },
}

/** The rule of docs/plan-health.md each check implements. */
const RULES: Record<HealthCheckId, string> = {
  key_roles: 'PH1',
  relationship_owners: 'PH2',
  opponents_addressed: 'PH3',
  swot_addressed: 'PH4',
  objectives_complete: 'PH5',
  objectives_actions: 'PH6',
  actions_owner_due: 'PH7',
  actions_overdue: 'PH8',
  actions_linked: 'PH9',
  whitespace_opportunity: 'PH10',
  share_of_wallet: 'PH11',
  freshness: 'PH12',
}

describe('plan health: every check fails on a gap and passes once it is filled (docs/plan-health.md)', () => {
  test('the healthy fixture passes every check: score 100, nothing missing', () => {
    const health = planHealth(healthyPlan(), context)
    expect(health.checks.map((c) => [c.id, c.score, c.missing])).toEqual(HEALTH_CHECK_IDS.map((id) => [id, 1, []]))
    expect(health.score).toBe(100)
  })

  test('the weights add up to 100', () => {
    expect(Object.values(HEALTH_CHECKS).reduce((sum, c) => sum + c.weight, 0)).toBe(100)
  })

  test.each(HEALTH_CHECK_IDS.map((id) => [RULES[id], id] as const))('[%s] %s fails with a plain-language fix and a link, and the score drops', (_rule, id) => {
    const plan = structuredClone(healthyPlan())
    const ctx = failures[id].break(plan) ?? context
    const failed = check(plan, id, ctx)
    expect(failed.score).toBeLessThan(1)
    expect(failed.missing[0]?.message).toMatch(failures[id].message)
    expect(failed.missing[0]?.fix.length).toBeGreaterThan(10)
    expect(failed.missing[0]?.board).toBe(failures[id].board)
    if (failures[id].shapeId) expect(failed.missing[0]?.shapeId).toBe(failures[id].shapeId)
    expect(planHealth(plan, ctx).score).toBeLessThan(100)
    // Every other check is unaffected (the fixture isolates each check).
    for (const other of HEALTH_CHECK_IDS.filter((o) => o !== id && !(id === 'opponents_addressed' && o === 'swot_addressed'))) {
      expect({ other, score: check(plan, other, ctx).score }).toEqual({ other, score: 1 })
    }
  })

  test('[PH1] each key role on its own: no economic buyer, no decision maker', () => {
    for (const [role, message] of [['economic_buyer', 'No economic buyer identified'], ['decision_maker', 'No decision maker identified']] as const) {
      const plan = structuredClone(healthyPlan())
      plan.stakeholders = plan.stakeholders.map((s) => (s.buyingRole === role ? { ...s, buyingRole: null } : s))
      expect(check(plan, 'key_roles').missing.map((m) => m.message)).toEqual([message])
      expect(check(healthyPlan(), 'key_roles').missing).toEqual([])
    }
  })

  test('[PH3] a high-influence blocker fails like a skeptic, and passes once an action names them', () => {
    const plan = structuredClone(healthyPlan())
    plan.stakeholders[1]!.attitude = 'blocker' // Dana Ortiz, high influence; the fixture has three stakeholders
    expect(check(plan, 'opponents_addressed').missing.map((m) => m.shapeId)).toEqual(['shape:ceo'])
    // A new actions list, as extraction makes one: health keeps its index of texts per list object.
    plan.actions = [{ ...plan.actions[0]!, title: 'Workshop with Lee Chen and Dana Ortiz on cost' }] // the fixture has one action
    expect(check(plan, 'opponents_addressed')).toMatchObject({ score: 1, missing: [] })
  })

  test('[PH10] an opportunity without a probability asks for one (it is weighted 0), and passes once it has one', () => {
    const plan = structuredClone(healthyPlan())
    plan.whitespace.cells[1]!.probability = null // the valued opportunity, Logistics × Billing; the fixture has two cells
    const found = check(plan, 'whitespace_opportunity')
    expect(found.score).toBe(0)
    expect(found.missing.map((m) => [m.message, m.board, m.shapeId])).toEqual([['Opportunity Logistics × Billing has no probability', 'whitespace', 'shape:c2']])
    plan.whitespace.cells[1]!.probability = 0
    expect(check(plan, 'whitespace_opportunity')).toMatchObject({ score: 1, missing: [] })
  })

  test('[PH12] freshness also fails when the last workshop is over 90 days old, and passes at 90', () => {
    const stale = check(healthyPlan(), 'freshness', { ...context, lastWorkshopAt: '2026-08-01T10:00:00.000Z' })
    expect(stale.score).toBe(0.5) // changed recently (1), no workshop within 90 days (0)
    expect(stale.missing.map((m) => [m.message, m.board])).toEqual([['The last workshop was 113 days ago', 'actions']])
    expect(check(healthyPlan(), 'freshness', { ...context, lastWorkshopAt: '2026-08-24T14:00:00.000Z' })).toMatchObject({ score: 1, missing: [] })
  })

  test('a weakness or threat named in an action counts as addressed without a link', () => {
    const plan = structuredClone(healthyPlan())
    plan.objectives[0]!.addresses = [] // one objective
    plan.actions.push({ id: 'shape:a2', title: 'Counter the Globex discount with a bundle', owner: 'Ada', due: '2026-12-01', status: 'open', overdue: false, objectives: ['shape:o1'] })
    expect(check(plan, 'swot_addressed').score).toBe(1)
  })

  test('[PH13] a name counts from the start of a word only: "Slow delivery" is not named in "Reslow delivery"', () => {
    const plan = structuredClone(healthyPlan())
    plan.objectives[0]!.objective = 'Reslow delivery for logistics' // one objective; it named the weakness before
    expect(check(plan, 'swot_addressed').missing.map((m) => m.shapeId)).toEqual(['shape:w1'])
  })

  test('checks with nothing to judge do not count: no high-influence people, no weaknesses, unknown freshness', () => {
    const plan = structuredClone(healthyPlan())
    plan.stakeholders = plan.stakeholders.map((s) => ({ ...s, influence: 'low' }))
    plan.swot = { strengths: [], weaknesses: [], opportunities: [], threats: [], unsorted: [] }
    const health = planHealth(plan, { ...context, lastChangedAt: null, lastWorkshopAt: null })
    for (const id of ['relationship_owners', 'opponents_addressed', 'swot_addressed', 'freshness'] as const) {
      expect(health.checks.find((c) => c.id === id)?.score).toBeNull()
    }
    expect(health.score).toBe(100)
  })

  test('an empty plan scores 0 and says where to start', () => {
    const empty: HealthPlan = {
      swot: { strengths: [], weaknesses: [], opportunities: [], threats: [], unsorted: [] },
      stakeholders: [],
      objectives: [],
      actions: [],
      whitespace: emptyWhitespace(),
    }
    const health = planHealth(empty, { ...context, lastChangedAt: null, lastWorkshopAt: null })
    expect(health.score).toBe(0)
    const messages = health.checks.flatMap((c) => c.missing.map((m) => m.message))
    expect(messages).toEqual(
      expect.arrayContaining(['No economic buyer identified', 'No champion identified', 'No objectives yet', 'No actions yet', 'No open opportunity with an estimated value']),
    )
  })

  test('the diff names what was fixed: "health 59 → 100: champion identified, 2 threats or weaknesses now addressed"', () => {
    const before = structuredClone(healthyPlan())
    before.stakeholders = before.stakeholders.filter((s) => s.id !== 'shape:ops')
    before.objectives[0]!.addresses = [] // one objective
    before.objectives[0]!.objective = 'Delivery programme' // no longer names the weakness
    const after = healthyPlan()
    const older = planHealth(before, context)
    const newer = planHealth(after, context)
    const diff = diffHealth(newer, older)
    expect(diff.before).toBeLessThan(diff.after)
    expect(diff.resolved).toEqual(['champion identified', '2 threats or weaknesses now addressed'])
    expect(diff.summary).toBe(`health ${older.score} → ${newer.score}: champion identified, 2 threats or weaknesses now addressed`)
    expect(diffHealth(older, newer).appeared).toContain('No champion identified')
  })

  test('a change that trades one gap for another says so: "…: decision maker identified; now missing: no economic buyer identified"', () => {
    const before = structuredClone(healthyPlan())
    before.stakeholders = before.stakeholders.map((s) => (s.id === 'shape:ceo' ? { ...s, buyingRole: 'user' as const } : s))
    const after = structuredClone(healthyPlan())
    after.stakeholders = after.stakeholders.map((s) => (s.id === 'shape:cfo' ? { ...s, buyingRole: 'user' as const } : s))
    const older = planHealth(before, context)
    const newer = planHealth(after, context)
    const diff = diffHealth(newer, older)
    expect(diff.resolved).toEqual(['decision maker identified'])
    expect(diff.summary).toBe(`health ${older.score} → ${newer.score}: decision maker identified; now missing: no economic buyer identified`)
  })

  test('a share that moved while its gaps stayed is named with its share (QA: "health 68 → 64" with a deleted card as the only reason)', () => {
    const late = { id: 'shape:late', title: 'Late one', owner: 'Ada', due: '2026-01-01', status: 'open' as const, overdue: true, objectives: ['shape:o1'] }
    const before = structuredClone(healthyPlan())
    before.actions = [...before.actions, late]
    const after = structuredClone(before)
    after.actions = after.actions.map((a) => (a.id === 'shape:a1' ? { ...a, status: 'done' as const } : a))
    const older = planHealth(before, context)
    const newer = planHealth(after, context)
    expect(newer.score).toBeLessThan(older.score)
    const diff = diffHealth(newer, older)
    expect(diff.summary).toBe(`health ${older.score} → ${newer.score}: no open action is overdue 50 % → 0 %`)
    // And back, when the done action is reopened.
    expect(diffHealth(older, newer).summary).toBe(`health ${newer.score} → ${older.score}: no open action is overdue 0 % → 50 %`)
  })

  test('a gap that went with its deleted card is not reported as fixed', () => {
    const before = structuredClone(healthyPlan())
    const orphan = { ...before.actions[0]!, id: 'shape:orphan', title: 'Unowned action', owner: '', due: '' }
    before.actions = [...before.actions, orphan]
    const older = planHealth(before, context)
    const newer = planHealth(healthyPlan(), context)
    const went = older.checks.flatMap((c) => c.missing).filter((item) => item.shapeId === 'shape:orphan')
    expect(went.length).toBeGreaterThan(0)
    const diff = diffHealth(newer, older, (shapeId) => (shapeId === 'shape:orphan' ? 'deleted' : undefined))
    for (const item of went) expect(diff.resolved).not.toContain(item.resolved)
    expect(diff.summary).toContain(went.length === 1 ? '1 gap gone with its deleted card' : `${went.length} gaps gone with their deleted cards`)
  })
})
