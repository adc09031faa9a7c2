/**
 * [A36] A guest's view withholds the money fields of the whitespace board and the objectives
 * (internal by default): the Markdown prints no value, total or baseline/target and no "0" in
 * their place, the CSVs have no such columns; the team's exports keep them.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { objectivesCsv, whitespaceCsv, whitespaceUnitsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const team = samplePlan({
  objectives: [{ id: 'shape:o1', objective: 'Grow logistics', kpiType: 'revenue_growth', measure: 'Revenue', unit: 'EUR', baseline: 1_000_000, target: 1_400_000, targetDate: '2027-06-30', owner: 'Ada', status: 'on_track', pastTargetDate: false, strategy: '', addresses: [], actions: [] }],
  whitespace: {
    rows: ['Logistics'],
    columns: ['Billing'],
    cells: [{ id: 'shape:c1', row: 'Logistics', column: 'Billing', kind: 'opportunity', competitor: '', value: 200_000, probability: 50, notes: 'Budget is there' }],
    opportunities: { count: 1, value: 200_000, weighted: 100_000, byRow: [{ row: 'Logistics', count: 1, value: 200_000, weighted: 100_000 }] },
    shareOfWallet: [],
  },
})
const guest = customerSafePlan(team, resolveSensitivity(undefined), new Set())

test('a guest Markdown has the objective and the opportunity but no money, total or stand-in', () => {
  const markdown = planMarkdown(guest)
  expect(markdown).toContain('### Grow logistics')
  expect(markdown).toContain('- **Target date:** 2027-06-30')
  expect(markdown).toContain('| Logistics | Opportunity |')
  expect(markdown).toContain('**Open opportunities:** 1\n')
  for (const word of ['Baseline', '1,000,000', '1,400,000', '200,000', '100,000', '50 %', 'total', 'weighted', 'Budget is there', 'Opportunity ?']) expect(markdown, word).not.toContain(word)
})

test('a guest CSV has no money column; the units CSV has no totals', () => {
  const { whitespace, objectives, withheld } = guest
  if (!whitespace || !objectives) throw new Error('the guest view keeps both sections')
  expect(whitespaceCsv({ whitespace, withheld })).toBe('Id,Business unit,Offering,Kind,Competitor\r\nshape:c1,Logistics,Billing,Open opportunity,\r\n')
  // The count per unit, as the guest's Markdown says it (QA pass of 2026-12-06: the header alone).
  expect(whitespaceUnitsCsv({ whitespace })).toBe('Business unit,Open opportunities\r\nLogistics,1\r\n')
  expect(objectivesCsv({ objectives, withheld }).split('\r\n')[0]).toBe('Id,Objective,KPI,Measure,Unit,Target date,Owner,Status,Past target date,Strategy,Actions,Answers')
})

test("the team's exports keep every money field", () => {
  const markdown = planMarkdown(team)
  expect(markdown).toContain('- **Baseline → target:** 1,000,000 EUR → 1,400,000 EUR by 2027-06-30')
  expect(markdown).toContain('Opportunity 200,000 (50 %)')
  expect(markdown).toContain('**Open opportunities:** 1, total 200,000, weighted 100,000')
  expect(whitespaceCsv(team).split('\r\n')[0]).toBe('Id,Business unit,Offering,Kind,Competitor,Value,Probability (%),Notes')
  expect(whitespaceUnitsCsv(team)).toContain('Logistics,1,200000,100000')
})

test('with the cell kind internal, a guest view counts no opportunities and its Markdown says no count (review of 2026-12-06)', () => {
  // The count was summed before the kind was withheld: it told the guest which cells are opportunities.
  const kindHidden = customerSafePlan(team, resolveSensitivity({ 'whitespace.kind': 'internal' }), new Set())
  expect(kindHidden.whitespace?.opportunities.count).toBe(0)
  expect(kindHidden.whitespace?.cells[0]).not.toHaveProperty('kind')
  expect(planMarkdown(kindHidden)).not.toContain('Open opportunities')
  expect(planMarkdown(kindHidden)).toContain('| Logistics |')
})

test("with the baseline withheld (the default), the guest's Markdown labels the target with a capital (QA q29b: '**target:**')", () => {
  const guest = customerSafePlan(team, resolveSensitivity({ 'objective.target': 'visible' }), new Set())
  const markdown = planMarkdown(guest)
  expect(markdown).toContain('- **Target:** 1,400,000 EUR by 2027-06-30')
  expect(markdown).not.toContain('**target:**')
})
