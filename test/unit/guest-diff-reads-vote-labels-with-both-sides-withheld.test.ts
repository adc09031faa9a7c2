/**
 * Found in the twenty-sixth session: a guest's diff compares two guest views, each of which
 * withheld only what was internal when it was taken. With stakeholder names made internal between
 * the two, the vote's ranking read "Dana Ortiz (3)" before and "Name not shared (3)" after: a
 * change that is none, told with the name. The diff withholds both sides' fields from every card
 * field already; vote labels now follow the same rule.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import type { PlanVote } from '../../shared/plan.ts'
import { diffPlans } from '../../shared/planDiff.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const vote: PlanVote = {
  id: 'vote-people',
  board: 'stakeholders',
  question: 'Who do we meet first?',
  votesPerPerson: 3,
  closed: true,
  createdAt: '2026-11-22T13:40:00.000Z',
  totalVotes: 5,
  voters: 2,
  items: [
    { id: 'shape:ceo', label: 'Dana Ortiz', votes: 3 },
    { id: 'shape:cfo', label: 'Lee Chen', votes: 2 },
  ],
}

test('a name made internal between two snapshots is in neither side of the guest diff\'s vote ranking, and is no change', () => {
  const older = customerSafePlan(samplePlan({ id: 'snap-1', votes: [vote] }), resolveSensitivity({}), new Set())
  const newer = customerSafePlan(samplePlan({ id: 'snap-2', votes: [vote] }), resolveSensitivity({ 'stakeholder.name': 'internal' }), new Set())
  // Each view alone reads as it was judged: the older one still names them.
  expect(older.votes[0]?.items.map((item) => item.label)).toEqual(['Dana Ortiz', 'Lee Chen'])
  expect(newer.votes[0]?.items.map((item) => item.label)).toEqual(['Name not shared', 'Name not shared'])
  const diff = diffPlans(newer, older)
  expect(diff.withheld).toContain('stakeholder.name')
  expect(JSON.stringify(diff)).not.toContain('Dana Ortiz')
  expect(diff.votes?.changed).toEqual([])
  // A real change of the counts still shows, without the names.
  const recount = customerSafePlan(samplePlan({ id: 'snap-3', votes: [{ ...vote, items: [{ ...vote.items[0]!, votes: 2 }, { ...vote.items[1]!, votes: 3 }] }] }), resolveSensitivity({ 'stakeholder.name': 'internal' }), new Set())
  const changed = diffPlans(recount, older)
  expect(changed.votes?.changed[0]?.changes).toEqual([{ field: 'ranking', before: 'Name not shared (3); Name not shared (2)', after: 'Name not shared (2); Name not shared (3)' }])
  expect(JSON.stringify(changed)).not.toContain('Dana Ortiz')
})

test('the team\'s diff, with nothing withheld, keeps the names', () => {
  const diff = diffPlans(samplePlan({ id: 'snap-2', votes: [{ ...vote, items: [{ ...vote.items[0]!, votes: 4 }, vote.items[1]!] }] }), samplePlan({ id: 'snap-1', votes: [vote] }))
  expect(diff.votes?.changed[0]?.changes).toEqual([{ field: 'ranking', before: 'Dana Ortiz (3); Lee Chen (2)', after: 'Dana Ortiz (4); Lee Chen (2)' }])
})

test('an item renamed after the vote closed is no change of the vote: the rename is the item’s own (QA q36b)', () => {
  const renamed = { ...vote, items: [{ ...vote.items[0]!, label: 'Dana Ortiz-Weber' }, vote.items[1]!] }
  expect(diffPlans(samplePlan({ id: 'snap-2', votes: [renamed] }), samplePlan({ id: 'snap-1', votes: [vote] })).votes?.changed).toEqual([])
  // Renamed and recounted: the ranking is a change, read with the names each side had.
  const recounted = { ...renamed, items: [{ ...renamed.items[0]!, votes: 1 }, renamed.items[1]!] }
  const changed = diffPlans(samplePlan({ id: 'snap-2', votes: [recounted] }), samplePlan({ id: 'snap-1', votes: [vote] })).votes?.changed
  expect(changed?.[0]?.changes.find((change) => change.field === 'ranking')).toEqual({ field: 'ranking', before: 'Dana Ortiz (3); Lee Chen (2)', after: 'Dana Ortiz-Weber (1); Lee Chen (2)' })
})
