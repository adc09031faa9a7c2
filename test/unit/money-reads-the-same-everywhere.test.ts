import type { TLRecord } from '@tldraw/tlschema'
import { expect, test } from 'vitest'
import { formatMoney, formatValue } from '../../client/review/format.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { formatAmount } from '../../shared/formatAmount.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { whitespaceCsv, whitespaceUnitsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { axisHeader, boardStore, planInput, whitespaceCell } from '../helpers/planBoards.ts'

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()

// The QA session's whitespace: two open opportunities, one with cents, 40 % each.
const plan = PlanRecordSchema.parse({
  ...extractPlan(
    planInput({
      whitespace: records(
        axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Parcel services'),
        axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Fleet telematics'),
        axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Warehouse robotics'),
        whitespaceCell('shape:c1', { x: 300, y: 200 }, { kind: 'opportunity', value: 99_999.99, probability: 40 }),
        whitespaceCell('shape:c2', { x: 600, y: 200 }, { kind: 'opportunity', value: 250_000, probability: 40 }),
      ),
    }),
  ),
  id: 'snap-1',
})

test('amounts keep their cents wherever people read them: review page, diff and Markdown agree', () => {
  expect(formatAmount(99_999.99, 'en-US')).toBe('99,999.99')
  expect(formatAmount(250_000, 'en-US')).toBe('250,000')
  // QA q27c: the largest amounts allowed read whole, not with a false ".00" (value × 100 is inexact there).
  expect(formatAmount(999_999_999_999_999, 'en-US')).toBe('999,999,999,999,999')
  expect(formatAmount(-999_999_999_999_999, 'en-US')).toBe('-999,999,999,999,999')
  expect(formatAmount(1_250_000.5, 'en-US')).toBe('1,250,000.50')
  expect(formatAmount(-0.5, 'en-US')).toBe('-0.50')
  // QA q32a: a KPI finer than cents reads as entered, not rounded to the cent (0.045 % read 0.05 %).
  expect(formatAmount(0.045, 'en-US')).toBe('0.045')
  expect(formatAmount(0.125, 'en-US')).toBe('0.125')
  expect(formatAmount(0.121, 'en-US')).not.toBe(formatAmount(0.124, 'en-US'))
  expect(formatAmount(1_234.5678, 'en-US')).toBe('1,234.5678')
  expect(formatAmount(0.004, 'en-US')).toBe('0.004')
  // The review page's rows and its diff use the same rule (in the reader's locale).
  expect(formatMoney(99_999.99)).toBe(formatAmount(99_999.99))
  expect(formatMoney(99_999.99)).not.toBe(formatAmount(100_000))
  expect(formatMoney(plan.whitespace.opportunities.value)).toBe(formatAmount(349_999.99))
  expect(planMarkdown(plan)).toContain('| Parcel services | Opportunity 99,999.99 (40 %) | Opportunity 250,000 (40 %) |')
  expect(planMarkdown(plan)).toContain('**Open opportunities:** 2, total 349,999.99, weighted 140,000')
})

test('a diff value reads like the row: separators and the objective\'s unit, probabilities with %', () => {
  expect(formatValue('target', 1_500_000, 'EUR')).toBe(`${formatAmount(1_500_000)} EUR`)
  expect(formatValue('target', 1_500_000, 'EUR')).not.toBe('1500000')
  expect(formatValue('value', 99_999.99)).toBe(formatAmount(99_999.99))
  expect(formatValue('probability', 40)).toBe('40 %')
})

test('totals are summed to the cent, so CSV (exact, for machines) adds up like the human outputs', () => {
  // 99,999.99 × 40 % = 39,999.996: each weighted value is kept to the cent before summing.
  expect(plan.whitespace.opportunities).toMatchObject({ count: 2, value: 349_999.99, weighted: 140_000 })
  expect(whitespaceUnitsCsv(plan).split('\r\n')[1]).toBe('Parcel services,2,349999.99,140000,,,')
  expect(whitespaceCsv(plan).split('\r\n')[1]).toBe('shape:c1,Parcel services,Fleet telematics,Open opportunity,,99999.99,40,')
})
