/**
 * QA pass q33b (finding 3): after an objective's Unit went from EUR to USD and its baseline down a
 * cent, the review page read "~~12,500,000.50 USD~~ → 12,500,000.49 USD" (a one-cent fix), the
 * target (the same number, now in another currency) read as no change, the Unit change appeared
 * nowhere, and the portfolio's comparison gave amounts no unit. A diff value reads like its row
 * (docs/plan-extraction.md): each side in the unit it had.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { DiffList } from '../../client/portfolio/AccountCompare.tsx'
import { ObjectiveSection } from '../../client/review/ObjectiveSection.tsx'
import { objectiveChanges } from '../../client/review/format.ts'
import type { PlanObjective } from '../../shared/plan.ts'
import { diffPlans, withItemNames } from '../../shared/planDiff.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const grow: PlanObjective = {
  id: 'shape:o1',
  objective: 'Grow Freight revenue',
  kpiType: 'revenue_growth',
  measure: 'Annual revenue',
  unit: 'EUR',
  baseline: 12_500_000.5,
  target: 15_000_000,
  targetDate: '2027-12-31',
  owner: 'Ada',
  status: 'on_track',
  pastTargetDate: false,
  strategy: '',
  addresses: [],
  actions: [],
}
const older = samplePlan({ id: 'snap-1', objectives: [grow] })
const newer = samplePlan({ id: 'snap-2', objectives: [{ ...grow, unit: 'USD', baseline: 12_500_000.49 }] })
const diff = withItemNames(diffPlans(newer, older), newer, older)

/** The text of each element of `tag` in `html`, tags inside stripped. */
const texts = (html: string, tag: string) => [...html.matchAll(new RegExp(`<${tag}[^>]*>(.*?)</${tag}>`, 'g'))].map((match) => (match[1] ?? '').replace(/<[^>]*>/g, ''))

test('an amount reads in the unit each side was in; one whose number stayed but whose unit changed is changed', () => {
  const changes = objectiveChanges(diff.objectives?.changed[0]?.changes ?? [], newer.objectives[0] ?? grow)
  expect(changes).toEqual([
    { field: 'unit', before: 'EUR', after: 'USD' },
    { field: 'baseline', before: 12_500_000.5, after: 12_500_000.49, units: { before: 'EUR', after: 'USD' } },
    { field: 'target', before: 15_000_000, after: 15_000_000, units: { before: 'EUR', after: 'USD' } },
  ])
  // The same unit: amounts keep it on both sides, and nothing is added.
  expect(objectiveChanges([{ field: 'target', before: 1, after: 2 }], { unit: 'EUR', target: 2 })).toEqual([{ field: 'target', before: 1, after: 2, units: { before: 'EUR', after: 'EUR' } }])
  // An amount not given has no unit to change.
  expect(objectiveChanges([{ field: 'unit', before: 'EUR', after: 'USD' }], { unit: 'USD', baseline: null })).toEqual([{ field: 'unit', before: 'EUR', after: 'USD' }])
})

test('the review table reads "12,500,000.50 EUR → 12,500,000.49 USD", the target changed, and the unit change itself', () => {
  const html = renderToStaticMarkup(createElement(ObjectiveSection, { objectives: newer.objectives, actions: undefined, swot: undefined, diff: diff.objectives, withheld: undefined }))
  expect(texts(html, 'del')).toEqual(['EUR', '12,500,000.50 EUR', '15,000,000 EUR'])
  expect(texts(html, 'ins')).toEqual(['USD', '12,500,000.49 USD', '15,000,000 USD'])
  expect(texts(html, 'li')).toEqual(['Unit: EUR→USD'])
})

test("the portfolio's comparison gives amounts their units", () => {
  const html = renderToStaticMarkup(createElement(DiffList, { diff }))
  expect(texts(html, 'del')).toEqual(['EUR', '12,500,000.50 EUR', '15,000,000 EUR'])
  expect(texts(html, 'ins')).toEqual(['USD', '12,500,000.49 USD', '15,000,000 USD'])
  // QA q33b: a % objective's target read "4.25 → 4.251".
  const kpi = { ...grow, unit: '%', baseline: null, target: 4.25 }
  const before = samplePlan({ id: 'snap-1', objectives: [kpi] })
  const after = samplePlan({ id: 'snap-2', objectives: [{ ...kpi, target: 4.251 }] })
  const percent = renderToStaticMarkup(createElement(DiffList, { diff: withItemNames(diffPlans(after, before), after, before) }))
  expect([...texts(percent, 'del'), ...texts(percent, 'ins')]).toEqual(['4.25 %', '4.251 %'])
})

test('a changed measure reads "before → after" in the KPI cell, as the unit it goes with', () => {
  const margin = samplePlan({ id: 'snap-2', objectives: [{ ...grow, measure: 'EBIT margin' }] })
  const html = renderToStaticMarkup(createElement(ObjectiveSection, { objectives: margin.objectives, actions: undefined, swot: undefined, diff: diffPlans(margin, older).objectives, withheld: undefined }))
  expect(texts(html, 'del')).toEqual(['Annual revenue'])
  expect(texts(html, 'ins')).toEqual(['EBIT margin'])
})
