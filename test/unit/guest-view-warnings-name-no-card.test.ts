/**
 * [A36] A plan warning names its card ("Raj Patel") for the team, but a guest's view leaves the
 * name out: it may be a field withheld from guests (a stakeholder's name made internal). The guest
 * still reads the warning itself ("A stakeholder card on the SWOT board…").
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { extractCompetitors } from '../../shared/extractAccount.ts'
import type { PlanWarning, PlanWhitespaceCell } from '../../shared/plan.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

test('a guest gets the warning without the card’s name', () => {
  const message = 'A stakeholder card on the SWOT board is not part of the plan; move it to the Stakeholder map board'
  const team = samplePlan({ warnings: [{ board: 'swot', shapeId: 'shape:stray', label: 'Raj Patel', message }] })
  const guest = customerSafePlan(team, resolveSensitivity(undefined), new Set())
  expect(guest.warnings).toEqual([{ board: 'swot', shapeId: 'shape:stray', message }])
})

test('a warning quoting a field withheld from guests goes whole; the team reads it with the cell named (QA q29b)', () => {
  const warnings: PlanWarning[] = []
  const cell = { id: 'shape:cell', row: 'Logistics', column: 'Cloud ERP', kind: 'competitor', competitor: 'Acme Ltd' } as unknown as PlanWhitespaceCell // only the fields the check reads
  extractCompetitors([], [cell], warnings)
  expect(warnings).toEqual([
    expect.objectContaining({ shapeId: 'shape:cell', label: 'Logistics × Cloud ERP', quotes: 'whitespace.competitor', message: expect.stringContaining('"Acme Ltd"') }),
  ])
  const team = samplePlan({ warnings })
  expect(customerSafePlan(team, resolveSensitivity({ 'whitespace.competitor': 'internal' }), new Set()).warnings).toEqual([])
  // Visible to the customer, the name is the customer's to read.
  expect(customerSafePlan(team, resolveSensitivity({ 'whitespace.competitor': 'visible' }), new Set()).warnings[0]?.message).toContain('Acme Ltd')
})

test("an older snapshot's warning quoting a cell's competitor (stored before warnings said what they quote) goes too (review)", () => {
  const message = 'Cell names competitor "Acme Ltd", but no competitor card has that name: add the card or correct the name'
  const team = samplePlan({ warnings: [{ board: 'whitespace', shapeId: 'shape:cell', message }] })
  expect(customerSafePlan(team, resolveSensitivity({ 'whitespace.competitor': 'internal' }), new Set()).warnings).toEqual([])
})
