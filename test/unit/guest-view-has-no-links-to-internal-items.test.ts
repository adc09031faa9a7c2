/**
 * [A36] A guest's view leaves out internal items and the links to them: an objective's actions and
 * the notes it answers, an action's objectives, a competitor's cells. Left in, the ids reached the
 * guest's JSON and the Markdown counted them ("Cells supplied: 2" beside one cell the guest sees).
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const cell = { column: 'Billing', notes: '', probability: null, value: null, kind: 'competitor', competitor: 'Globex' } as const
const team = samplePlan({
  swot: {
    strengths: [{ id: 'shape:s1', text: 'Strong brand' }],
    weaknesses: [{ id: 'shape:secret-note', text: 'Their CFO distrusts us' }],
    opportunities: [],
    threats: [],
    unsorted: [],
  },
  objectives: [{ id: 'shape:o1', objective: 'Grow logistics', kpiType: 'revenue_growth', measure: '', unit: '', baseline: null, target: null, targetDate: null, owner: '', status: 'on_track', pastTargetDate: false, strategy: '', addresses: ['shape:s1', 'shape:secret-note'], actions: ['shape:a1', 'shape:secret-action'] }],
  actions: [
    { id: 'shape:a1', title: 'Send proposal', owner: '', due: null, status: 'open', overdue: false, objectives: ['shape:o1', 'shape:secret-objective'] },
    { id: 'shape:secret-action', title: 'Undercut Globex', owner: '', due: null, status: 'open', overdue: false, objectives: ['shape:o1'] },
  ],
  whitespace: {
    rows: ['Logistics'],
    columns: ['Billing'],
    cells: [
      { ...cell, id: 'shape:c1', row: 'Logistics' },
      { ...cell, id: 'shape:secret-cell', row: 'Logistics' },
    ],
    opportunities: { count: 0, value: 0, weighted: 0, byRow: [] },
    shareOfWallet: [{ row: 'Logistics', ours: 0, spend: 0, share: null }],
  },
  competitors: [{ id: 'shape:g1', name: 'Globex', position: 'incumbent', strengths: '', weaknesses: '', relationship: '', cells: ['shape:c1', 'shape:secret-cell'] }],
})
const internal = new Set(['shape:secret-note', 'shape:secret-action', 'shape:secret-objective', 'shape:secret-cell'])
const guest = customerSafePlan(team, resolveSensitivity(undefined), internal)

test('a guest view links only to items the guest sees', () => {
  expect(guest.objectives?.[0]).toMatchObject({ actions: ['shape:a1'], addresses: ['shape:s1'] })
  expect(guest.actions?.map((a) => a.objectives)).toEqual([['shape:o1']])
  expect(guest.competitors?.[0]?.cells).toEqual(['shape:c1'])
  expect(JSON.stringify(guest)).not.toContain('secret')
})

test("a guest Markdown counts the competitor's cells the guest sees", () => {
  // The guest's table has no weaknesses or relationship column: both are internal by default.
  expect(planMarkdown(guest)).toContain('| Globex | Incumbent |  | 1 |')
  expect(planMarkdown(team)).toContain('| Globex | Incumbent |  |  |  | 2 |')
})
