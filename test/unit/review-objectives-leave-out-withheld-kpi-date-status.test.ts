/**
 * Issue 13: an objective's KPI kind, target date and status can be internal. The review page's
 * Objectives table for a guest then has no Status column, no KPI kind and no target date, the
 * PDF's and Markdown's stand-ins aside; the team's table keeps them.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { ObjectiveSection } from '../../client/review/ObjectiveSection.tsx'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import type { PlanView } from '../../shared/plan.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const team = samplePlan({
  objectives: [{ id: 'shape:o1', objective: 'Grow logistics', kpiType: 'retention', measure: 'Renewals', unit: '', baseline: null, target: null, targetDate: '2031-07-19', owner: 'Ada', status: 'off_track', pastTargetDate: false, strategy: '', addresses: [], actions: [] }],
})

const table = (plan: PlanView) => renderToStaticMarkup(createElement(ObjectiveSection, { objectives: plan.objectives ?? [], actions: undefined, swot: undefined, diff: undefined, withheld: plan.withheld }))
const headers = (html: string) => [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((match) => match[1])

test("a guest's table leaves out the withheld KPI kind, target date and status, header and all", () => {
  const guest = customerSafePlan(team, resolveSensitivity({ 'objective.kpiType': 'internal', 'objective.targetDate': 'internal', 'objective.status': 'internal' }), new Set())
  const html = table(guest)
  expect(headers(html)).toEqual(['Objective', 'KPI', 'Owner', 'Actions'])
  expect(html).toContain('Renewals')
  for (const word of ['Retention', 'Off track', 'On track', '2031', 'Jul', 'at risk']) expect(html, word).not.toContain(word)
})

test("the team's table keeps them", () => {
  const html = table(team)
  expect(headers(html)).toEqual(['Objective', 'KPI', 'Baseline → target', 'Owner', 'Status', 'Actions'])
  expect(html).toContain('Retention')
  expect(html).toContain('Off track')
})
