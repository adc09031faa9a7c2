/**
 * The whitespace exports list cells in the one order the review page and the Markdown use
 * (`shared/whitespaceOrder.ts`: by unit, then offering), not the board's reading order; and the
 * Units CSV writes share of wallet in percent like every other output ("Share of wallet (%)", 75),
 * not as a fraction (0.75), empty when unknown.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { whitespaceCsv, whitespaceUnitsCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { cellsInMatrixOrder } from '../../shared/whitespaceOrder.ts'
import { axisHeader, boardStore, planInput, whitespaceCell } from '../helpers/planBoards.ts'

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()

const plan = PlanRecordSchema.parse({
  ...extractPlan(
    planInput({
      whitespace: records(
        axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Parcel services'),
        axisHeader('shape:r2', 'row', { x: 0, y: 400 }, 'Contract logistics'),
        axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Warehouse robotics'),
        axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Fleet telematics'),
        // Above the headers, so props alone name the place (as cards dropped on the board do): the reading order is not the matrix order.
        whitespaceCell('shape:c1', { x: 5000, y: -500 }, { row: 'Contract logistics', column: 'Fleet telematics', kind: 'competitor', competitor: 'Globex', value: 200_000 }),
        whitespaceCell('shape:c2', { x: 5000, y: -400 }, { row: 'Parcel services', column: 'Fleet telematics', kind: 'we_supply', value: 100_000 }),
        whitespaceCell('shape:c3', { x: 5000, y: -300 }, { row: 'Contract logistics', column: 'Warehouse robotics', kind: 'we_supply', value: 100_000 }),
        whitespaceCell('shape:c4', { x: 5000, y: -200 }, { kind: 'opportunity', value: 1 }),
        whitespaceCell('shape:c5', { x: 5000, y: -100 }, { row: 'Parcel services', column: 'Warehouse robotics', kind: 'competitor', competitor: 'Initech' }),
      ),
    }),
  ),
  id: 'snap-1',
})

test('the Whitespace CSV lists cells in the review\'s order (unit, then offering), as the Markdown matrix reads', () => {
  expect(plan.whitespace.cells.map((c) => c.id)).toEqual(['shape:c1', 'shape:c2', 'shape:c3', 'shape:c4', 'shape:c5'])
  const review = cellsInMatrixOrder(plan.whitespace).map((c) => c.id)
  expect(review).toEqual(['shape:c5', 'shape:c2', 'shape:c3', 'shape:c1', 'shape:c4'])
  const csvIds = whitespaceCsv(plan).trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[0])
  expect(csvIds).toEqual(review)
  // The Markdown matrix (above its totals) reads the same cells in the same order, row by row.
  const matrixPart = planMarkdown(plan).split('\n**Open opportunities:**')[0] ?? ''
  const matrix = matrixPart.split('\n').filter((line) => /^\| (Parcel services|Contract logistics|\(no unit\)) \| /.test(line))
  expect(matrix).toEqual([
    '| Parcel services | Competitor supplies: Initech | We supply 100,000 |  |',
    '| Contract logistics | We supply 100,000 | Competitor supplies: Globex, 200,000 |  |',
    '| (no unit) |  |  | Opportunity 1 |',
  ])
})

test('the Units CSV writes share of wallet in percent under "Share of wallet (%)", two decimals at most, empty when unknown', () => {
  expect(whitespaceUnitsCsv(plan).split('\r\n')).toEqual([
    'Business unit,Open opportunities,Opportunity value,Weighted value,Our revenue,Their spend,Share of wallet (%)',
    // Initech's value is missing: the share is unknown, so are the partial sums (Markdown prints "—").
    'Parcel services,0,,,,,',
    // 100,000 of 300,000: 33.33, not 0.3333333333333333 nor 33.333333333333336.
    'Contract logistics,0,,,100000,300000,33.33',
    ',1,1,0,,,',
    '',
  ])
  expect(planMarkdown(plan)).toContain('| Contract logistics | 100,000 | 300,000 | 33.3 % |')
  expect(planMarkdown(plan)).toContain('| Parcel services | — | — | — |')
})

test('the Whitespace CSV writes probability in percent under "Probability (%)"', () => {
  const withProbability = { ...plan, whitespace: { ...plan.whitespace, cells: [{ ...plan.whitespace.cells[3]!, probability: 40 }] } } // c4 is given above
  expect(whitespaceCsv(withProbability).split('\r\n')).toEqual(['Id,Business unit,Offering,Kind,Competitor,Value,Probability (%),Notes', 'shape:c4,,,Open opportunity,,1,40,', ''])
})
