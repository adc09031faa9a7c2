import { labelKey } from './labelKey.ts'
import type { PlanShareOfWallet, PlanWhitespace, PlanWhitespaceCell } from './plan.ts'

/**
 * Below this a total keeps its cents as a double, read back as formatAmount shows them (2^46:
 * steps of 1/128). Extraction warns of a total beyond it ([P14]).
 */
export const EXACT_TOTAL_BELOW = 2 ** 46

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
  // Summed in whole cents, exactly (BigInt), from each value to the cent as it is shown
  // (formatAmount): float sums rounded to the cent lost one over two dozen cells of a few hundred
  // billion (QA q33b), so a total was not the sum of its rows. Each weighted value is rounded to
  // the cent. Amounts within MAX_EXACT_AMOUNT keep their cents as a double; so do totals up to
  // ~7 · 10^13, beyond which extraction warns ([P14]).
  const valueOf = (cell: Cell) => centsOf(cell.value ?? 0)
  const weightedOf = (cell: Cell) => BigInt(Math.round((cell.value ?? 0) * (cell.probability ?? 0)))
  const sum = (list: readonly Cell[], of: (cell: Cell) => bigint) => Number(list.reduce((total, cell) => total + of(cell), 0n)) / 100
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

/** An amount in whole cents, its cents read from the fraction alone (exact), as formatAmount shows them. */
function centsOf(amount: number): bigint {
  const whole = Math.trunc(amount)
  return BigInt(whole) * 100n + BigInt(Math.round((amount - whole) * 100))
}
