/**
 * QA pass q26b (twenty-sixth session): with stakeholder names made internal, a guest's Markdown read
 * "(unnamed) → (unnamed): Reports to", the PDF "(stakeholder)", as if the people had no names, and
 * a card truly without a name looked the same. Every output now says the name is not shared, as
 * the card faces do; a card without a name still reads unnamed.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { planPdf } from '../../server/snapshot/planPdf.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const guest = customerSafePlan(samplePlan(), resolveSensitivity({ 'stakeholder.name': 'internal' }), new Set())

test('a guest Markdown says a withheld name is not shared; an empty name still reads unnamed', () => {
  expect(planMarkdown(guest)).toContain('- Name not shared → Name not shared: Reports to')
  const team = samplePlan()
  const unnamed = { ...team, stakeholders: team.stakeholders.map((person) => ({ ...person, name: '' })) }
  expect(planMarkdown(unnamed)).toContain('- (unnamed) → (unnamed): Reports to')
})

test('a guest PDF says a withheld name is not shared', async () => {
  const { lines } = pdfText(await planPdf(guest, { timeZone: 'UTC', health: null }))
  expect(lines.some((line) => line.includes('Name not shared'))).toBe(true)
  expect(lines.some((line) => line.includes('(stakeholder)'))).toBe(false)
})

test("a guest's Markdown and PDF say a withheld action title is not shared, not untitled (QA q29b)", async () => {
  const team = samplePlan()
  const hidden = customerSafePlan(team, resolveSensitivity({ 'action.title': 'internal', 'objective.objective': 'internal' }), new Set())
  const markdown = planMarkdown(hidden)
  expect(markdown).toContain('Title not shared')
  expect(markdown).not.toContain('(untitled')
  const { lines } = pdfText(await planPdf(hidden, { timeZone: 'UTC', health: null }))
  expect(lines.some((line) => line.includes('Title not shared'))).toBe(true)
  expect(lines.some((line) => line.includes('(untitled)'))).toBe(false)
  // An empty title the team left is still untitled.
  const untitled = { ...team, actions: team.actions.map((action) => ({ ...action, title: '' })) }
  expect(planMarkdown(untitled)).toContain('(untitled)')
})

test("a note's lines stay lines in the PDF (QA q29b: they ran together)", async () => {
  const team = samplePlan()
  const swot = { ...team.swot, strengths: [{ id: 'shape:multi', text: 'Multi-line strength\nsecond line, with comma\nthird' }] }
  const { lines } = pdfText(await planPdf({ ...team, swot }, { timeZone: 'UTC', health: null }))
  expect(lines.some((line) => line.includes('Multi-line strength'))).toBe(true)
  expect(lines.some((line) => line.includes('Multi-line strength second line'))).toBe(false)
  expect(lines.some((line) => line.trim() === 'second line, with comma')).toBe(true)
})
