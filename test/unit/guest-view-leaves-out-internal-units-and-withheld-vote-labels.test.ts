/**
 * QA pass q26b (twenty-sixth session), two leaks of a guest's plan view ([A36]):
 * - a business unit or offering header the team marked internal still named a row or column of
 *   the whitespace matrix in the guest's Markdown and JSON (`rows`, `columns`), and a visible cell
 *   in its band carried its label;
 * - a revealed vote's results named a stakeholder by the name the team made internal since
 *   ("2 × Dr. Zoë"), in the JSON, Markdown, CSV and PDF, and its totals counted the votes on items
 *   the guest does not see ("5 votes" above items summing to 4).
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { votesCsv, whitespaceCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const cell = { notes: '', probability: null, value: 1000, kind: 'we_supply', competitor: '' } as const
const whitespace = {
  rows: ['Logistics', 'Apollo GEHEIM'],
  columns: ['Billing', 'Zeus-Geheimangebot'],
  headers: [
    { id: 'shape:h-logistics', axis: 'row', label: 'Logistics' },
    { id: 'shape:h-apollo', axis: 'row', label: 'Apollo GEHEIM' },
    { id: 'shape:h-billing', axis: 'column', label: 'Billing' },
    { id: 'shape:h-zeus', axis: 'column', label: 'Zeus-Geheimangebot' },
  ],
  cells: [
    { ...cell, id: 'shape:c1', row: 'Logistics', column: 'Billing' },
    // Visible, but in the internal unit's band: read in no unit for a guest.
    { ...cell, id: 'shape:c2', row: 'Apollo GEHEIM', column: 'Billing' },
  ],
  opportunities: { count: 0, value: 0, weighted: 0, byRow: [] },
  shareOfWallet: [],
} as const
const headersInternal = new Set(['shape:h-apollo', 'shape:h-zeus'])

test('an internal unit or offering names no row, column or cell of the guest view, in any export', () => {
  const guest = customerSafePlan(samplePlan({ whitespace: structuredClone(whitespace) as never }), resolveSensitivity(undefined), headersInternal)
  expect(guest.whitespace?.rows).toEqual(['Logistics'])
  expect(guest.whitespace?.columns).toEqual(['Billing'])
  expect(guest.whitespace?.headers?.map((header) => header.id)).toEqual(['shape:h-logistics', 'shape:h-billing'])
  expect(guest.whitespace?.cells.map((c) => [c.id, c.row, c.column])).toEqual([
    ['shape:c1', 'Logistics', 'Billing'],
    ['shape:c2', '', 'Billing'],
  ])
  for (const text of [JSON.stringify(guest), planMarkdown(guest), whitespaceCsv({ whitespace: guest.whitespace! })]) {
    expect(text).not.toMatch(/GEHEIM|Geheim/u)
  }
  // The team's view keeps them.
  const team = customerSafePlan(samplePlan({ whitespace: structuredClone(whitespace) as never }), resolveSensitivity(undefined), new Set())
  expect(team.whitespace?.rows).toEqual(['Logistics', 'Apollo GEHEIM'])
})

test('a plan from before headers were recorded keeps, when anything was internal, only the labels a shown cell names', () => {
  const { headers: _headers, ...old } = structuredClone(whitespace)
  const guest = customerSafePlan(samplePlan({ whitespace: old as never }), resolveSensitivity(undefined), new Set(['shape:c2']))
  expect(guest.whitespace?.rows).toEqual(['Logistics'])
  expect(guest.whitespace?.columns).toEqual(['Billing'])
  expect(JSON.stringify(guest)).not.toMatch(/GEHEIM|Geheim/u)
})

test("a vote's results read no withheld name, and count only the votes on items a guest sees", () => {
  const team = samplePlan()
  const [stakeholder] = team.stakeholders
  if (!stakeholder) throw new Error('no stakeholder in the sample')
  const plan = {
    ...team,
    stakeholders: [{ ...stakeholder, name: 'Dr. Zoë Ångström' }],
    votes: [
      {
        id: 'vote-1',
        board: 'stakeholders' as const,
        question: 'Wer entscheidet?',
        votesPerPerson: 3,
        closed: true,
        createdAt: '2026-11-22T14:00:00.000Z',
        totalVotes: 5,
        voters: 4,
        items: [
          { id: stakeholder.id, label: 'Dr. Zoë Ångström', votes: 4 },
          { id: 'shape:secret-card', label: 'Our mole', votes: 1 },
        ],
      },
    ],
  }
  const guest = customerSafePlan(plan, resolveSensitivity({ 'stakeholder.name': 'internal' }), new Set(['shape:secret-card']))
  expect(guest.votes[0]).toMatchObject({ totalVotes: 4, voters: 4, items: [{ id: stakeholder.id, label: 'Name not shared', votes: 4 }] })
  for (const text of [JSON.stringify(guest), planMarkdown(guest), votesCsv(guest)]) {
    expect(text).not.toContain('Zoë')
    expect(text).not.toContain('mole')
  }
  // With the name visible, the name is read.
  expect(customerSafePlan(plan, resolveSensitivity(undefined), new Set()).votes[0]?.items[0]?.label).toBe('Dr. Zoë Ångström')
})

test('a unit only an internal cell names, or typed on cards whose unit is withheld, names no row of the guest view (review of the fix)', () => {
  const phoenix = { ...cell, id: 'shape:c3', row: 'Project Phoenix', column: 'Billing' }
  const plan = samplePlan({ whitespace: { ...structuredClone(whitespace), rows: [...whitespace.rows, 'Project Phoenix'], cells: [...structuredClone(whitespace).cells, phoenix] } as never })
  const guest = customerSafePlan(plan, resolveSensitivity(undefined), new Set([...headersInternal, 'shape:c3']))
  expect(guest.whitespace?.rows).toEqual(['Logistics'])
  expect(JSON.stringify(guest)).not.toContain('Phoenix')
  // The unit field withheld: a unit typed on a shown card is not listed either; headers' are.
  const typed = samplePlan({ whitespace: { ...structuredClone(whitespace), rows: [...whitespace.rows, 'Typed unit'], cells: [...structuredClone(whitespace).cells, { ...phoenix, row: 'Typed unit' }] } as never })
  const withheldRow = customerSafePlan(typed, resolveSensitivity({ 'whitespace.row': 'internal' }), headersInternal)
  expect(withheldRow.whitespace?.rows).toEqual(['Logistics'])
  expect(JSON.stringify(withheldRow)).not.toContain('Typed unit')
})

test("a vote item off its card's own board is not read out while a label field is withheld; a note's is", () => {
  const team = samplePlan()
  const [note] = team.swot.strengths
  if (!note) throw new Error('no note in the sample')
  const plan = {
    ...team,
    votes: [
      {
        id: 'vote-2',
        board: 'swot' as const,
        question: 'Who matters?',
        votesPerPerson: 3,
        closed: true,
        createdAt: '2026-11-22T14:00:00.000Z',
        totalVotes: 3,
        voters: 2,
        items: [
          { id: 'shape:stakeholder-on-swot', label: 'Dr. Zoë Ångström', votes: 2 },
          { id: note.id, label: note.text, votes: 1 },
        ],
      },
    ],
  }
  const guest = customerSafePlan(plan, resolveSensitivity({ 'stakeholder.name': 'internal' }), new Set())
  expect(guest.votes[0]?.items.map((item) => item.label)).toEqual(['Not shared', note.text])
  expect(customerSafePlan(plan, resolveSensitivity(undefined), new Set()).votes[0]?.items[0]?.label).toBe('Dr. Zoë Ångström')
})
