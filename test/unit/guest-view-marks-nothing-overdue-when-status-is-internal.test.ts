/**
 * QA q30b: with the action status internal, a guest's exports still said which actions were
 * overdue, and for an action past its date "not overdue" said "done". Overdue is read off the
 * status, so a guest's view withholds it with the status: no action marked overdue, no column,
 * no count; the team's view keeps it.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import type { PlanView } from '../../shared/plan.ts'
import { actionsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const action = (id: string, title: string, status: 'done' | 'blocked' | 'in_progress', overdue: boolean) => ({ id, title, owner: 'Ada', due: '2026-01-10', status, overdue, objectives: [] })
const team = samplePlan({ actions: [action('shape:a', 'Migrate depot A', 'done', false), action('shape:b', 'Migrate depot B', 'blocked', true), action('shape:c', 'Migrate depot C', 'in_progress', true)] })

test("a guest's view marks no action overdue when the status is internal", () => {
  const guest = customerSafePlan(team, resolveSensitivity({ 'action.status': 'internal' }), new Set())
  expect(guest.actions?.map((a) => a.overdue)).toEqual([false, false, false])
  expect(guest.actions?.[0]).not.toHaveProperty('status')
  const markdown = planMarkdown(guest)
  expect(markdown).toContain('Migrate depot B')
  expect(markdown.toLowerCase()).not.toContain('overdue')
  const csv = actionsCsv({ actions: guest.actions ?? [], withheld: guest.withheld })
  expect(csv.split('\r\n')[0]).toBe('Id,Action,Owner,Due')
})

test("the team's view, and a guest's with the status visible, keep it", () => {
  for (const view of [team as PlanView, customerSafePlan(team, resolveSensitivity(undefined), new Set())]) {
    expect(view.actions?.map((a) => a.overdue)).toEqual([false, true, true])
    expect(planMarkdown(view)).toContain('2 of 3 actions overdue.')
    expect(actionsCsv({ actions: view.actions ?? [], withheld: view.withheld }).split('\r\n')[0]).toBe('Id,Action,Owner,Due,Status,Overdue')
  }
})
