/**
 * [P14] "A total is the sum of its rows in every output" (QA q33b finding 8): totals are summed
 * in whole cents (BigInt) from each value as shown, so two dozen opportunities of a few hundred
 * billion each add up to the cent (float sums rounded to the cent were one cent off). Amounts past
 * what keeps cents exact (stored before the side panel's 10,000,000,000,000 limit) are a warning,
 * and so is a total past 2^46: neither is summed off silently. Test values from a seeded search.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { formatAmount } from '../../shared/formatAmount.ts'
import { MAX_EXACT_AMOUNT } from '../../shared/shapes.ts'
import { whitespaceTotals } from '../../shared/whitespaceTotals.ts'
import { axisHeader, boardStore, planInput, whitespaceCell } from '../helpers/planBoards.ts'

// 24 amounts under 10^12 whose float sum, rounded to the cent, read 12,241,485,711,187.00.
const VALUES = [
  809578776359.55, 741223692893.98, 63712954521.17, 618118673563, 495958566665.64, 203898668289.18, 892318993806.83, 68913102149.96, 802732616662.97, 146344184875.48, 27205497026.44, 716488298028.7,
  738787889480.59, 863212823867.79, 817620515823.36, 835851907730.1, 742507219314.57, 36197900772.09, 339009553194.04, 150273919105.52, 658854633569.71, 383077621459.96, 299411773681.64, 790185928344.72,
]

test('two dozen opportunities of a few hundred billion add up to the cent', () => {
  const totals = whitespaceTotals(['Freight'], VALUES.map((value) => ({ row: 'Freight', kind: 'opportunity' as const, value, probability: 100 })))
  expect(formatAmount(totals.opportunities.value, 'en-US')).toBe('12,241,485,711,186.99')
  expect(formatAmount(totals.opportunities.byRow[0]!.value, 'en-US')).toBe('12,241,485,711,186.99')
  expect(formatAmount(totals.opportunities.weighted, 'en-US')).toBe('12,241,485,711,186.99')
})

test('our revenue and spend add up to the cent too', () => {
  const cells = VALUES.map((value, i) => ({ row: 'Freight', kind: i % 2 === 0 ? ('we_supply' as const) : ('competitor' as const), value }))
  const [wallet] = whitespaceTotals(['Freight'], cells).shareOfWallet
  expect(formatAmount(wallet!.spend, 'en-US')).toBe('12,241,485,711,186.99')
})

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()

test('an amount past what keeps cents exact, and a total past 2^46, are warnings', () => {
  expect(MAX_EXACT_AMOUNT).toBe(1e13)
  const plan = extractPlan(
    planInput({
      whitespace: records(
        axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Freight'),
        axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Insurance'),
        whitespaceCell('shape:c1', { x: 300, y: 200 }, { kind: 'opportunity', value: 999_999_999_999_999, probability: 10 }),
        whitespaceCell('shape:c2', { x: 300, y: 400 }, { kind: 'opportunity', value: 333_333.33, probability: 10, row: 'Freight', column: 'Insurance' }),
      ),
    }),
  )
  expect(plan.warnings.map((w) => [w.shapeId, w.message])).toEqual([
    ['shape:c1', 'Amount beyond ±10,000,000,000,000: its cents are not exact, nor those of the totals it is in'],
    [undefined, 'A whitespace total is beyond 70,368,744,177,664: its cents are not exact'],
  ])
})
