import { labelKey } from './labelKey.ts'
import type { PlanShareOfWallet, PlanWhitespace, PlanWhitespaceCell } from './plan.ts'

/**
 * What whitespace cells add up to ([P14]): open opportunities (count, value, value × probability
 * / 100) in total and per row, and share of wallet per row with a supplied cell, rows in `rows`'
 * order then cells in no row. Extraction sums every cell; a guest's view sums only the cells it
 * may see (docs/security.md [A36]), so no total counts an internal card.
 * @example whitespaceTotals(plan.whitespace.rows, visibleCells).opportunities.count
 */
export function whitespaceTotals(rows: readonly string[], cells: readonly Partial<Pick<PlanWhitespaceCell, 'row' | 'kind' | 'value' | 'probability'>>[]): Pick<PlanWhitespace, 'opportunities' | 'shareOfWallet'> {
  type Cell = (typeof cells)[number]
  const opportunities = cells.filter((cell) => cell.kind === 'opportunity')
  const valueOf = (cell: Cell) => cell.value ?? 0
  // Amounts are kept to the cent: each weighted value is rounded, and so is every sum (float
  // addition leaves 0.1 + 0.2 = 0.30000000000000004), so a total is the sum of its rows in every output.
  const toCent = (amount: number) => Math.round(amount * 100) / 100
  const weightedOf = (cell: Cell) => toCent(((cell.value ?? 0) * (cell.probability ?? 0)) / 100)
  const sum = (list: readonly Cell[], of: (cell: Cell) => number) => toCent(list.reduce((total, cell) => total + of(cell), 0))
  const rowOrder = [...rows, '']
  // A cell counts under the first row named like it (labelKey: case and spaces ignored, [P13]),
  // also in a plan stored before extraction spelled cells' rows as their header (QA q33b).
  const rowByKey = new Map<string, string>()
  for (const row of rowOrder) if (!rowByKey.has(labelKey(row))) rowByKey.set(labelKey(row), row)
  const rowOf = (cell: Cell) => rowByKey.get(labelKey(cell.row ?? '')) ?? cell.row ?? ''
  const byRow = rowOrder.flatMap((row) => {
    const inRow = opportunities.filter((cell) => rowOf(cell) === row)
    return inRow.length === 0 ? [] : [{ row, count: inRow.length, value: sum(inRow, valueOf), weighted: sum(inRow, weightedOf) }]
  })
  const shareOfWallet = rowOrder.flatMap((row): PlanShareOfWallet[] => {
    const supplied = cells.filter((cell) => rowOf(cell) === row && (cell.kind === 'we_supply' || cell.kind === 'competitor'))
    if (supplied.length === 0) return []
    const ours = sum(supplied.filter((cell) => cell.kind === 'we_supply'), valueOf)
    const spend = sum(supplied, valueOf)
    const known = supplied.every((cell) => cell.value !== null && cell.value !== undefined) && spend > 0
    return [{ row, ours, spend, share: known ? Math.min(1, Math.max(0, ours / spend)) : null }]
  })
  return {
    opportunities: { count: opportunities.length, value: sum(opportunities, valueOf), weighted: sum(opportunities, weightedOf), byRow },
    shareOfWallet,
  }
}
