
/**
 * The whitespace cells in the matrix's order, as the board shows them: by business unit (the
 * rows top to bottom), then by offering (the columns left to right); cells in no row or no column
 * come after the others of their unit or offering. Cells of the same place keep the plan's order.
 * @example cellsInMatrixOrder(plan.whitespace).map((c) => `${c.row} × ${c.column}`)
 */
export function cellsInMatrixOrder<Cell extends { row?: string | undefined; column?: string | undefined }>(whitespace: { rows: readonly string[]; columns: readonly string[]; cells: readonly Cell[] }): Cell[] {
  const rank = (labels: readonly string[]) => {
    const index = new Map(labels.map((label, i) => [label, i]))
    // A label the axis does not list (no row, no column) sorts after every listed one.
    return (label: string) => index.get(label) ?? labels.length
  }
  const rowRank = rank(whitespace.rows)
  const columnRank = rank(whitespace.columns)
  // Array.prototype.sort is stable, so cells of one place keep the plan's order.
  return [...whitespace.cells].sort((a, b) => rowRank(a.row ?? '') - rowRank(b.row ?? '') || columnRank(a.column ?? '') - columnRank(b.column ?? ''))
}

/**
 * The business units that have open opportunities or a share of wallet, in the matrix's row order
 * (top to bottom), the cells in no row (`''`) last: the rows of every by-unit table (the review
 * page's, the Units CSV's), so they read in the same order as the matrix.
 * @example unitsInMatrixOrder(plan.whitespace) // ['Logistics', 'Finance', '']
 */
export function unitsInMatrixOrder(whitespace: { rows: readonly string[]; opportunities: { byRow: readonly { row: string }[] }; shareOfWallet: readonly { row: string }[] }): string[] {
  const listed = new Set([...whitespace.opportunities.byRow.map((o) => o.row), ...whitespace.shareOfWallet.map((w) => w.row)])
  return [...new Set([...whitespace.rows, '', ...listed])].filter((unit) => listed.has(unit))
}
