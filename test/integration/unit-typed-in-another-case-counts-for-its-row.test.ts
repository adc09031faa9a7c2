/**
 * A whitespace cell whose business unit or offering is typed in another case or with other spaces
 * counts for the row or column named like it, spelled as its header ([P13], QA q33b finding 2):
 * "freight" typed on a card outside the matrix is the Freight unit in the plan's rows, the
 * Markdown matrix, the Units CSV, share of wallet and the PDF, not a second unit at 100 %.
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { customerView } from '../../shared/customerView.ts'
import { DEFAULT_SENSITIVITY } from '../../shared/sensitivity.ts'
import { whitespaceTotals } from '../../shared/whitespaceTotals.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { axisHeader, competitor, whitespaceCell } from '../helpers/planBoards.ts'
import { planOfBoard } from '../helpers/planOfBoard.ts'

const fixture = planOfBoard('whitespace', [
    axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Freight'),
    axisHeader('shape:r2', 'row', { x: 0, y: 400 }, 'Contract logistics'),
    axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Insurance'),
    axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Customs'),
    whitespaceCell('shape:theirs', { x: 600, y: 200 }, { kind: 'competitor', competitor: 'Globex', value: 100_000 }),
    // Outside the matrix (it was full), so the typed names alone file them.
    whitespaceCell('shape:ours', { x: 3000, y: 3000 }, { kind: 'we_supply', value: 400_000, row: 'freight', column: '  insurance ' }),
    whitespaceCell('shape:idea', { x: 3000, y: 3300 }, { kind: 'opportunity', value: 50_000, probability: 20, row: 'contract   Logistics', column: 'CUSTOMS' }),
    competitor('shape:g1', { x: 2000, y: 100 }, { name: 'Globex' }),
])


test('the plan lists each unit and offering once, and the cells under the header\'s spelling', () => {
  expect(fixture.plan.whitespace.rows).toEqual(['Freight', 'Contract logistics'])
  expect(fixture.plan.whitespace.columns).toEqual(['Insurance', 'Customs'])
  expect(fixture.plan.whitespace.cells.map((c) => [c.id, c.row, c.column])).toEqual([
    ['shape:theirs', 'Freight', 'Customs'],
    ['shape:ours', 'Freight', 'Insurance'],
    ['shape:idea', 'Contract logistics', 'Customs'],
  ])
  expect(fixture.plan.whitespace.shareOfWallet).toEqual([{ row: 'Freight', ours: 400_000, spend: 500_000, share: 0.8 }])
  expect(fixture.plan.whitespace.opportunities.byRow).toEqual([{ row: 'Contract logistics', count: 1, value: 50_000, weighted: 10_000 }])
})

test('the Markdown matrix and share of wallet have one Freight row', async () => {
  const markdown = await (await fixture.api(`/snapshots/${fixture.plan.id}?format=md`)).text()
  expect(markdown).toContain('| Freight | 400,000 | 500,000 | 80 % |')
  expect(markdown).not.toMatch(/\| freight \|/)
  expect(markdown).not.toMatch(/\| contract {3}Logistics \|/)
})

test('the Units CSV and the PDF count the typed cell for Freight', async () => {
  const rows = (await (await fixture.api(`/snapshots/${fixture.plan.id}/whitespace-units.csv`)).text()).split('\r\n')
  expect(rows.slice(1)).toEqual(['Freight,0,,,400000,500000,80', 'Contract logistics,1,50000,10000,,,', ''])
  const text = pdfText(new Uint8Array(await (await fixture.api(`/snapshots/${fixture.plan.id}?format=pdf`)).arrayBuffer())).lines.join('\n')
  expect(text).toContain('Share of wallet, Freight: 80 % of 500,000')
  expect(text).not.toContain('freight')
})

test('totals summed again (a guest\'s view, a plan stored before) group rows named alike as one', () => {
  const stored = [{ row: 'Freight', kind: 'competitor' as const, value: 100_000 }, { row: 'freight ', kind: 'we_supply' as const, value: 400_000 }]
  expect(whitespaceTotals(['Freight', 'freight '], stored).shareOfWallet).toEqual([{ row: 'Freight', ours: 400_000, spend: 500_000, share: 0.8 }])
})

test('a guest\'s view hides the typed unit with its internal header: the cell reads in no unit', () => {
  const view = customerSafePlan(customerView(fixture.plan, { swot: true, stakeholders: true, actions: true, objectives: true, whitespace: true }), DEFAULT_SENSITIVITY, new Set(['shape:r1']))
  expect(view.whitespace?.rows).toEqual(['Contract logistics'])
  expect(view.whitespace?.cells.map((c) => c.row)).toEqual(['', '', 'Contract logistics'])
})
