/**
 * [A36] A guest's whitespace totals are of the cells the guest sees: the stored plan's totals
 * count internal cards too, so a guest's "2 open" opportunities (one of them never shown), or a
 * total and share of wallet summing an internal card's money, told of what is internal.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { whitespaceUnitsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const cell = { competitor: '', notes: '', probability: null, column: 'Billing' } as const
const team = samplePlan({
  whitespace: {
    rows: ['Logistics'],
    columns: ['Billing'],
    cells: [
      { ...cell, id: 'shape:open', row: 'Logistics', kind: 'opportunity', value: 200_000, probability: 50 },
      { ...cell, id: 'shape:secret-deal', row: 'Logistics', kind: 'opportunity', value: 900_000, probability: 10 },
      { ...cell, id: 'shape:ours', row: 'Logistics', kind: 'we_supply', value: 100_000 },
      { ...cell, id: 'shape:secret-rival', row: 'Logistics', kind: 'competitor', competitor: 'Globex', value: 300_000 },
    ],
    opportunities: { count: 2, value: 1_100_000, weighted: 190_000, byRow: [{ row: 'Logistics', count: 2, value: 1_100_000, weighted: 190_000 }] },
    shareOfWallet: [{ row: 'Logistics', ours: 100_000, spend: 400_000, share: 0.25 }],
  },
})
const internal = new Set(['shape:secret-deal', 'shape:secret-rival'])

test('with money internal (the default), a guest counts only the open opportunities it sees', () => {
  const guest = customerSafePlan(team, resolveSensitivity(undefined), internal)
  expect(guest.whitespace?.cells.map((c) => c.id)).toEqual(['shape:open', 'shape:ours'])
  expect(guest.whitespace?.opportunities).toEqual({ count: 1, byRow: [] })
  expect(planMarkdown(guest)).toContain('**Open opportunities:** 1\n')
})

test('with money shown to guests, totals and share of wallet sum only the cells the guest sees', () => {
  const guest = customerSafePlan(team, resolveSensitivity({ 'whitespace.value': 'visible', 'whitespace.probability': 'visible' }), internal)
  expect(guest.whitespace?.opportunities).toEqual({ count: 1, value: 200_000, weighted: 100_000, byRow: [{ row: 'Logistics', count: 1, value: 200_000, weighted: 100_000 }] })
  expect(guest.whitespace?.shareOfWallet).toEqual([{ row: 'Logistics', ours: 100_000, spend: 100_000, share: 1 }])
  const markdown = planMarkdown(guest)
  for (const leak of ['900,000', '1,100,000', '190,000', '400,000', '25 %']) expect(markdown, leak).not.toContain(leak)
  expect(whitespaceUnitsCsv({ whitespace: guest.whitespace ?? team.whitespace })).toContain('Logistics,1,200000,100000,100000,100000,100')
  // The team's view keeps the stored totals.
  expect(planMarkdown(team)).toContain('**Open opportunities:** 2, total 1,100,000, weighted 190,000')
})

test('a view made for a guest once keeps its money totals gone when another record is applied', () => {
  const once = customerSafePlan(team, resolveSensitivity(undefined), internal)
  const twice = customerSafePlan(once, resolveSensitivity({ 'whitespace.value': 'visible', 'whitespace.probability': 'visible' }), new Set())
  expect(twice.whitespace?.opportunities).toEqual({ count: 1, byRow: [] })
  expect(twice.whitespace?.shareOfWallet).toEqual([])
})
