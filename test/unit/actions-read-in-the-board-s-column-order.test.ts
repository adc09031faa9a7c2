/**
 * QA pass q27a: the review page, the Markdown and the Actions CSV listed actions in the board's
 * reading order across the columns (In progress, Done, Blocked, Open, Done). They now read column
 * by column as the board does (Open, In progress, Done, Blocked), each column top to bottom; the PDF
 * groups by status in the same order; the JSON plan keeps the reading order.
 */
import { expect, test } from 'vitest'
import { actionsInColumnOrder } from '../../shared/actionOrder.ts'
import { actionsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { planPdf } from '../../server/snapshot/planPdf.ts'
import type { PlanAction } from '../../shared/plan.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const act = (id: string, status: PlanAction['status']): PlanAction => ({ id: `shape:${id}`, title: id, owner: '', due: null, status, overdue: false, objectives: [] })
// The reading order of a board whose cards sit at staggered heights across the columns.
const actions = [act('Survey', 'in_progress'), act('Kickoff', 'done'), act('Legal', 'blocked'), act('Budget', 'open'), act('Invoice', 'done'), act('Pilot', 'open')]
const plan = samplePlan({ actions })

test('the Markdown and the Actions CSV list actions column by column, each column in reading order', () => {
  const expected = ['Budget', 'Pilot', 'Survey', 'Kickoff', 'Invoice', 'Legal']
  expect(actionsInColumnOrder(actions).map((a) => a.title)).toEqual(expected)
  const rows = planMarkdown(plan).split('\n').filter((line) => /^\| (Budget|Pilot|Survey|Kickoff|Invoice|Legal) \|/.test(line))
  expect(rows.map((row) => row.split(' | ')[0]?.slice(2))).toEqual(expected)
  expect(actionsCsv(plan).trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[1])).toEqual(expected)
  // The plan record itself keeps the board's reading order.
  expect(plan.actions.map((a) => a.title)).toEqual(actions.map((a) => a.title))
})

test('the PDF groups them in the same order: Open, In progress, Done, Blocked', async () => {
  const { lines } = pdfText(await planPdf(plan, { timeZone: 'UTC', health: null }))
  expect(lines.filter((line) => /^(Open|In progress|Done|Blocked) \(\d\)$/.test(line))).toEqual(['Open (2)', 'In progress (1)', 'Done (2)', 'Blocked (1)'])
})
