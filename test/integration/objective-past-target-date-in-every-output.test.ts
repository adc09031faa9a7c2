/**
 * An objective past its target date and not achieved, flagged "Past target date" on its card, is
 * flagged in every output finance reads, judged on the snapshot's day as an action's overdue is
 * ([P9], [P11], QA q33b finding 10): the plan JSON (`pastTargetDate`), the Markdown, the Objectives
 * CSV ("Past target date" column, like the actions' Overdue) and the PDF; an achieved one is not,
 * as on its card; a guest whose status is withheld gets none flagged; a record stored before the
 * flag gets it from the UTC day it was taken.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { customerView } from '../../shared/customerView.ts'
import { migratePlanRecord, PlanRecordSchema } from '../../shared/plan.ts'
import { DEFAULT_SENSITIVITY } from '../../shared/sensitivity.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { objective } from '../helpers/planBoards.ts'
import { planOfBoard } from '../helpers/planOfBoard.ts'

const fixture = planOfBoard('objectives', [
    objective('shape:late', { x: 40, y: 60 }, { objective: 'Share of wallet in Warehousing', targetDate: '2020-01-01', status: 'off_track', owner: 'Ada' }),
    objective('shape:met', { x: 400, y: 60 }, { objective: 'Win the customs tender', targetDate: '2020-01-01', status: 'achieved', owner: 'Ada' }),
    objective('shape:ahead', { x: 800, y: 60 }, { objective: 'Grow freight revenue', targetDate: '2099-12-31', status: 'at_risk', owner: 'Ada' }),
])


test('the plan flags the objective past its date and not achieved, as its card does', () => {
  expect(fixture.plan.objectives.map((o) => [o.id, o.pastTargetDate])).toEqual([
    ['shape:late', true],
    ['shape:met', false],
    ['shape:ahead', false],
  ])
})

test('the Markdown marks it past its target date', async () => {
  const markdown = await (await fixture.api(`/snapshots/${fixture.plan.id}?format=md`)).text()
  expect(markdown).toContain('- **Owner:** Ada · **Status:** Off track · **Past target date**')
  expect(markdown.match(/Past target date/g)).toHaveLength(1)
})

test('the Objectives CSV has a Past target date column, like the actions\' Overdue', async () => {
  const rows = (await (await fixture.api(`/snapshots/${fixture.plan.id}/objectives.csv`)).text()).split('\r\n')
  const header = rows[0]!.split(',')
  const column = header.indexOf('Past target date')
  expect(column).toBe(header.indexOf('Status') + 1)
  expect(rows.slice(1, 4).map((row) => row.split(',')[column])).toEqual(['yes', '', ''])
})

test('the PDF marks it as an overdue action is', async () => {
  const text = pdfText(new Uint8Array(await (await fixture.api(`/snapshots/${fixture.plan.id}?format=pdf`)).arrayBuffer())).lines.join('\n')
  expect(text).toContain('PAST TARGET DATE · Share of wallet in Warehousing — Off track')
  expect(text).not.toContain('PAST TARGET DATE · Win the customs tender')
})

test('a guest whose objective status is withheld sees none past its date', () => {
  const shown = { swot: true, stakeholders: true, actions: true, objectives: true, whitespace: true }
  expect(customerSafePlan(customerView(fixture.plan, shown), DEFAULT_SENSITIVITY, new Set()).objectives?.map((o) => o.pastTargetDate)).toEqual([true, false, false])
  const internalStatus = { ...DEFAULT_SENSITIVITY, 'objective.status': 'internal' as const }
  expect(customerSafePlan(customerView(fixture.plan, shown), internalStatus, new Set()).objectives?.map((o) => o.pastTargetDate)).toEqual([false, false, false])
})

test('a record stored before the flag is judged on the UTC day it was taken', () => {
  const stored = { ...fixture.plan, objectives: fixture.plan.objectives.map(({ pastTargetDate: _flag, ...rest }) => rest) }
  expect(PlanRecordSchema.parse(migratePlanRecord(JSON.parse(JSON.stringify(stored)))).objectives.map((o) => o.pastTargetDate)).toEqual([true, false, false])
})
