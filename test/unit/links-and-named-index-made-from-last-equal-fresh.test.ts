/**
 * [P11][P12][PH13] Linking objectives and actions from the last linking (`extractObjectives` with
 * `previous`), and health's index of objective and action texts made from the last index, give
 * exactly what making them anew gives: seeded random changes to titles, links, cards and the SWOT,
 * compared step by step with a fresh computation (a fresh module instance for health, whose index
 * has no past).
 */
import { expect, test, vi } from 'vitest'
import { extractObjectives, type ObjectiveLinks } from '../../shared/extractAccount.ts'
import type { PlanAction, PlanWarning, Swot, SwotItem } from '../../shared/plan.ts'
import { planHealth, type HealthContext, type HealthPlan } from '../../shared/planHealth.ts'
import type { ObjectiveCardShape } from '../../shared/shapes.ts'
import { objective } from '../helpers/planBoards.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { seededRandom } from '../helpers/seededRandom.ts'

const SEED = 20261204
const STEPS = 80
const context: HealthContext = { today: '2026-11-22', now: '2026-11-22T14:00:00.000Z', lastChangedAt: null, lastWorkshopAt: null }
const WORDS = ['Fix', 'note', 'Partner churn', 'Call', 'pricing', 'Élan', 'the', 'Q3 budget', 'Renew']

test('objectives and actions linked from the last linking equal a linking anew, and keep unchanged items', () => {
  console.log(`seed ${SEED}`)
  const random = seededRandom(SEED)
  const card = (n: number, addresses: string[]) =>
    objective(`shape:o${n}`, { x: n * 300, y: 0 }, { objective: `Objective ${n}`, addresses }) as ObjectiveCardShape // objective() makes an objective card
  const action = (n: number, objectives: string[]): PlanAction => ({ id: `shape:a${n}`, title: `Action ${n}`, owner: '', due: null, status: 'open', overdue: false, objectives })
  const note = (n: number): SwotItem => ({ id: `shape:n${n}`, text: `Note ${n}` })
  let cards = Array.from({ length: 8 }, (_, n) => card(n, [`shape:n${n}`, `shape:n${n + 1}`]))
  let actions = Array.from({ length: 12 }, (_, n) => action(n, [`shape:o${n % 10}`]))
  let swot: Swot = { strengths: [note(20)], weaknesses: [note(0), note(1), note(2)], opportunities: [], threats: [note(3), note(4)], unsorted: [] }
  let made = 100
  let links: ObjectiveLinks | undefined
  const changes: (() => void)[] = [
    () => (actions = random.below(2) ? [...actions].reverse() : actions.slice(1)),
    () => (actions = [...actions, action(made++, [`shape:o${random.below(12)}`])]),
    () => (actions = actions.map((a, i) => (i === random.below(actions.length) ? { ...a, objectives: [`shape:o${random.below(12)}`, `shape:o${random.below(12)}`] } : a))),
    () => (cards = random.below(2) && cards.length > 2 ? cards.filter((_, i) => i !== random.below(cards.length)) : [...cards, card(made++ % 12, [`shape:n${random.below(8)}`])]),
    () => (cards = cards.map((c, i) => (i === random.below(cards.length) ? card(Number(c.id.slice(7)), [`shape:n${random.below(8)}`]) : c))),
    () => (swot = { ...swot, weaknesses: [...swot.weaknesses].reverse() }),
    () => (swot = random.below(2) ? { ...swot, threats: [...swot.threats, note(random.below(8))] } : { ...swot, weaknesses: swot.weaknesses.slice(1), strengths: [...swot.strengths, ...swot.weaknesses.slice(0, 1)] }),
    () => {},
  ]
  for (let step = 0; step < STEPS; step++) {
    random.pick(changes)()
    const warm: PlanWarning[] = []
    const anew: PlanWarning[] = []
    const next = extractObjectives(cards, actions, swot, '2026-11-22', warm, links)
    const fresh = extractObjectives(cards, actions, swot, '2026-11-22', anew)
    expect({ step, objectives: next.objectives, actions: next.actions, warm }).toEqual({ step, objectives: fresh.objectives, actions: fresh.actions, warm: anew })
    links = next.links
  }
  // Nothing that links read changed (a new SWOT object, the same weakness and threat ids): the very items.
  const before = extractObjectives(cards, actions, swot, '2026-11-22', [], links)
  const after = extractObjectives(cards, actions, { ...swot, opportunities: [note(99)] }, '2026-11-22', [], before.links)
  after.objectives.forEach((o, i) => expect(o).toBe(before.objectives[i]))
  after.actions.forEach((a, i) => expect(a).toBe(before.actions[i]))
})

test('swot_addressed and opponents_addressed from an index made from the last one equal those of an index made anew', async () => {
  console.log(`seed ${SEED}`)
  const random = seededRandom(SEED)
  const phrase = () => `${random.pick(WORDS)} ${random.pick(WORDS)} ${random.below(6)}`
  const base: HealthPlan = samplePlan()
  let plan: HealthPlan = {
    ...base,
    swot: { ...base.swot, weaknesses: Array.from({ length: 10 }, (_, n) => ({ id: `shape:w${n}`, text: phrase() })), threats: Array.from({ length: 10 }, (_, n) => ({ id: `shape:t${n}`, text: phrase() })) },
    stakeholders: Array.from({ length: 6 }, (_, n) => ({ ...base.stakeholders[0]!, id: `shape:s${n}`, name: phrase(), influence: 'high' as const, attitude: 'blocker' as const })), // samplePlan has a stakeholder
    actions: Array.from({ length: 40 }, (_, n) => ({ ...base.actions[0]!, id: `shape:a${n}`, title: phrase(), objectives: [] })), // samplePlan has an action
    objectives: Array.from({ length: 6 }, (_, n) => ({
      id: `shape:o${n}`, objective: phrase(), kpiType: 'other' as const, measure: 'Revenue', unit: 'EUR', baseline: null, target: null,
      targetDate: null, owner: '', status: 'on_track' as const, pastTargetDate: false, strategy: phrase(), addresses: [], actions: [],
    })),
  }
  const at = (n: number) => random.below(n)
  const changes: (() => HealthPlan)[] = [
    () => ({ ...plan, actions: [...plan.actions].reverse() }),
    () => ({ ...plan, actions: plan.actions.map((a, i) => (i === at(plan.actions.length) ? { ...a, title: phrase() } : a)) }),
    () => ({ ...plan, actions: [...plan.actions, { ...plan.actions[0]!, id: `shape:x${at(1000)}`, title: random.pick([phrase(), plan.actions[0]!.title]) }] }), // never empty
    () => ({ ...plan, actions: plan.actions.length > 1 ? plan.actions.slice(1) : plan.actions }),
    () => ({ ...plan, actions: plan.actions.map((a) => (random.below(2) ? { ...a, title: phrase() } : a)) }),
    () => ({ ...plan, objectives: plan.objectives.map((o, i) => (i === at(plan.objectives.length) ? { ...o, strategy: random.pick([phrase(), '']) } : o)) }),
    () => ({ ...plan, swot: { ...plan.swot, threats: plan.swot.threats.map((t) => (random.below(3) ? t : { ...t, text: phrase() })) } }),
    () => ({ ...plan, stakeholders: plan.stakeholders.map((s) => ({ ...s, name: phrase() })) }),
  ]
  for (let step = 0; step < STEPS; step++) {
    plan = random.pick(changes)()
    const warm = planHealth(plan, context)
    vi.resetModules()
    const fresh = (await import('../../shared/planHealth.ts')).planHealth(plan, context)
    const of = (health: typeof warm) => health.checks.filter((c) => c.id === 'swot_addressed' || c.id === 'opponents_addressed')
    expect({ step, checks: of(warm) }).toEqual({ step, checks: of(fresh) })
  }
})
