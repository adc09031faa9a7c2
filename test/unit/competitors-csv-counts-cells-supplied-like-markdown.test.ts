/**
 * The Competitors CSV has the column the Markdown's competitor table has and it lacked: how many
 * whitespace cells each competitor supplies.
 */
import { expect, test } from 'vitest'
import { competitorsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const cell = { column: 'Billing', notes: '', probability: null, value: null, kind: 'competitor', competitor: 'Globex' } as const
const plan = samplePlan({
  whitespace: {
    rows: ['Logistics', 'Finance'],
    columns: ['Billing'],
    cells: [
      { ...cell, id: 'shape:c1', row: 'Logistics' },
      { ...cell, id: 'shape:c2', row: 'Finance' },
    ],
    opportunities: { count: 0, value: 0, weighted: 0, byRow: [] },
    shareOfWallet: [],
  },
  competitors: [
    { id: 'shape:g1', name: 'Globex', position: 'incumbent', strengths: 'Price', weaknesses: '', relationship: 'CIO', cells: ['shape:c1', 'shape:c2'] },
    { id: 'shape:g2', name: 'Initech', position: 'niche', strengths: '', weaknesses: '', relationship: '', cells: [] },
  ],
})

test('the Competitors CSV counts the cells each competitor supplies, as the Markdown does', () => {
  expect(competitorsCsv(plan).split('\r\n')).toEqual([
    'Id,Competitor,Position,Strengths vs us,Weaknesses vs us,Relationship,Cells supplied',
    'shape:g1,Globex,Incumbent,Price,,CIO,2',
    'shape:g2,Initech,Niche,,,,0',
    '',
  ])
  expect(planMarkdown(plan)).toContain('| Globex | Incumbent | Price |  | CIO | 2 |')
})
