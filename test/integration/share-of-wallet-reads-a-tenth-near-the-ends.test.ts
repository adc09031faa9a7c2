/**
 * Share of wallet near its ends through the real server ([P14], QA q33b finding 7): a unit where a
 * competitor supplies 0.4 % reads "99.6 %", not "100 %", in the Markdown and the PDF (the review
 * page prints with the same `formatShare`); one where we supply 0.4 % reads "0.4 %", not "0 %";
 * closer to an end than a tenth of a point reads "> 99.9 %" / "< 0.1 %". The Units CSV keeps the number.
 */
import { expect, test } from 'vitest'
import { formatShare } from '../../shared/formatAmount.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { axisHeader, whitespaceCell } from '../helpers/planBoards.ts'
import { planOfBoard } from '../helpers/planOfBoard.ts'

const unit = (id: string, y: number, label: string, ours: number, theirs: number) => [
  axisHeader(`shape:${id}`, 'row', { x: 0, y }, label),
  whitespaceCell(`shape:${id}-ours`, { x: 300, y }, { kind: 'we_supply', value: ours }),
  whitespaceCell(`shape:${id}-theirs`, { x: 600, y }, { kind: 'competitor', competitor: 'Globex', value: theirs }),
]
const fixture = planOfBoard('whitespace', [
  axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Freight'),
  axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Customs'),
  ...unit('mostly-ours', 200, 'Mostly ours', 996_000, 4_000),
  ...unit('mostly-theirs', 400, 'Mostly theirs', 4_000, 996_000),
  ...unit('all-but-a-cent', 600, 'All but a cent', 99_999.99, 0.01),
  ...unit('a-cent', 800, 'A cent', 0.01, 99_999.99),
])

test('a share is whole only when it is whole, and never 100 % or 0 % short of that', () => {
  expect([1, 0, 0.75, 0.996, 0.004, 1 / 3, 0.9999, 0.0001].map(formatShare)).toEqual(['100 %', '0 %', '75 %', '99.6 %', '0.4 %', '33.3 %', '> 99.9 %', '< 0.1 %'])
})

test('the Markdown prints 99.6 % and 0.4 % where a competitor or we supply a sliver', async () => {
  const markdown = await (await fixture.api(`/snapshots/${fixture.plan.id}?format=md`)).text()
  expect(markdown).toContain('| Mostly ours | 996,000 | 1,000,000 | 99.6 % |')
  expect(markdown).toContain('| Mostly theirs | 4,000 | 1,000,000 | 0.4 % |')
  expect(markdown).toContain('| All but a cent | 99,999.99 | 100,000 | > 99.9 % |')
  expect(markdown).toContain('| A cent | 0.01 | 100,000 | < 0.1 % |')
})

test('the PDF prints the same shares', async () => {
  const response = await fixture.api(`/snapshots/${fixture.plan.id}?format=pdf`)
  const text = pdfText(new Uint8Array(await response.arrayBuffer())).lines.join('\n')
  for (const expected of ['Share of wallet, Mostly ours: 99.6 % of 1,000,000', 'Share of wallet, Mostly theirs: 0.4 % of 1,000,000', 'Share of wallet, All but a cent: > 99.9 % of 100,000', 'Share of wallet, A cent: < 0.1 % of 100,000']) {
    expect(text).toContain(expected)
  }
})

test('the Units CSV keeps the number in percent, to two decimals as before', async () => {
  const rows = (await (await fixture.api(`/snapshots/${fixture.plan.id}/whitespace-units.csv`)).text()).split('\r\n')
  expect(rows.map((row) => row.split(',').at(-1))).toEqual(['Share of wallet (%)', '99.6', '0.4', '100', '0', ''])
})
