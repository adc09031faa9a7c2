import { formatShare } from '../../shared/formatAmount.ts'
import type { ViewCompetitor, ViewWhitespace, ViewWhitespaceCell } from '../../shared/plan.ts'
import type { PlanDiff } from '../../shared/planDiff.ts'
import { LABELS } from '../../shared/shapes.ts'
import { shownField, type Withheld } from '../../shared/withheld.ts'
import { cellsInMatrixOrder, unitsInMatrixOrder } from '../../shared/whitespaceOrder.ts'
import { FieldValue, ItemTitle, OtherChanges } from './Changes.tsx'
import { formatMoney as money, type UnitsOfChange } from './format.ts'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'
import { PlanTableSection } from './PlanTableSection.tsx'
import { NOT_SHARED, titleOf } from '../../shared/planLabels.ts'

const CELL_FIELDS = ['row', 'column', 'kind', 'competitor', 'value', 'probability'] as const
const COMPETITOR_FIELDS = ['name', 'position', 'strengths', 'weaknesses', 'relationship', 'cells'] as const

interface WhitespaceSectionProps {
  whitespace: ViewWhitespace
  competitors: readonly ViewCompetitor[] | undefined
  diff: Pick<PlanDiff, 'whitespace' | 'whitespaceCurrency' | 'competitors'> | null
  /** Fields withheld from this viewer ([A36]): no column, no value; money totals go with the money fields. */
  withheld: Withheld | undefined
}

/**
 * Whitespace & competitors (issue 15): the matrix cell by cell (business unit × offering, who
 * supplies it, open opportunities with value and probability) in the board's order (by unit,
 * then offering), the open opportunities and share of wallet by unit, and the competitor matrix.
 */
export function WhitespaceSection({ whitespace, competitors, diff, withheld }: WhitespaceSectionProps) {
  const changes = sectionChanges(diff?.whitespace, (cell) => cell.id)
  const { opportunities } = whitespace
  const shown = shownField(withheld, 'whitespace')
  const currency = whitespace.currency ?? ''
  // A currency changed since the snapshot compared with: said in the heading, and each amount reads
  // in the currency each side was in ("100,000 EUR → 100,000 USD").
  const currencyChange = diff?.whitespaceCurrency
  const units = currencyChange ? { before: currencyChange.before ?? '', after: currencyChange.after ?? '' } : undefined
  const columns = ['Business unit', ...(shown('column') ? ['Offering'] : []), 'Who supplies it', ...(shown('value') ? [currency ? `Value (${currency})` : 'Value'] : []), ...(shown('probability') ? ['Probability'] : [])]
  return (
    <>
      <PlanTableSection
        id="whitespace"
        title="Whitespace"
        count={whitespace.cells.length}
        badges={
          <>
            {opportunities.count > 0 && <span className="count">{opportunities.count} open</span>}
            {currencyChange && <CurrencyChange change={currencyChange} />}
          </>
        }
        label="Whitespace"
        columns={columns}
        empty="No cells in the whitespace matrix."
        removed={changes?.removed.map(cellName)}
        after={opportunities.value !== undefined && (opportunities.byRow.length > 0 || whitespace.shareOfWallet.length > 0) && <ByUnit whitespace={whitespace} />}
      >
        {cellsInMatrixOrder(whitespace).map((cell) => (
          <CellRow key={cell.id} cell={cell} shown={shown} change={changes?.byId.get(cell.id)} currency={currency} units={units} />
        ))}
      </PlanTableSection>
      {competitors && <CompetitorTable competitors={competitors} cells={whitespace.cells} diff={diff?.competitors} withheld={withheld} />}
    </>
  )
}

function cellName(cell: ViewWhitespaceCell): string {
  return `${cell.row || '—'} × ${cell.column || '—'}`
}

/** "Currency EUR → USD" beside the section's heading. */
function CurrencyChange({ change }: { change: { before: string | null; after: string | null } }) {
  return (
    <span className="currency-change">
      Currency <FieldValue field="currency" value={change.after} change={{ field: 'currency', before: change.before, after: change.after }} />
    </span>
  )
}

function CellRow({ cell, shown, change, currency, units }: { cell: ViewWhitespaceCell; shown: (field: string) => boolean; change: ItemChange | undefined; currency: string; units: UnitsOfChange | undefined }) {
  const kind = fieldChange(change, 'kind')
  const changedValue = fieldChange(change, 'value')
  // With the currency changed, an amount is a change even where its number stayed.
  const amount = changedValue ?? (units && cell.value !== null && cell.value !== undefined ? { field: 'value', before: cell.value, after: cell.value } : undefined)
  const value = amount && units ? { ...amount, units } : amount
  const probability = fieldChange(change, 'probability')
  const named = cell.kind === 'competitor' && cell.competitor ? <FieldValue field="competitor" value={cell.competitor} change={fieldChange(change, 'competitor')} /> : null
  return (
    <tr className={`plan-row${changeClass(change)} whitespace-${cell.kind}`} data-id={cell.id}>
      <td>
        <ItemTitle field="row" value={cell.row ?? ''} placeholder={shown('row') ? '(no business unit)' : '(cell)'} change={change} />
        {cell.notes && <div className="row-notes">{cell.notes}</div>}
        <OtherChanges change={change} shown={CELL_FIELDS} />
      </td>
      {shown('column') && (
        <td>
          <FieldValue field="column" value={cell.column ?? null} change={fieldChange(change, 'column')} />
        </td>
      )}
      <td>
        {/* The competitor's name goes inside the pill, after the label and its colon: outside, the
            colon sat after the pill's padding and wrapped alone ("Competitor supplies : Globex"). */}
        {kind ? (
          <>
            <FieldValue field="kind" value={cell.kind ?? null} change={kind} />
            {named && ': '}
            {named}
          </>
        ) : (
          cell.kind && (
            <span className={`pill pill-whitespace-${cell.kind}`}>
              {LABELS.whitespaceKind[cell.kind]}
              {named && ': '}
              {named}
            </span>
          )
        )}
      </td>
      {shown('value') && <td className="number-cell">{value ? <FieldValue field="value" value={cell.value ?? null} change={value} /> : money(cell.value, currency)}</td>}
      {shown('probability') && (
        <td className="number-cell">
          {probability ? <FieldValue field="probability" value={cell.probability ?? null} change={probability} /> : cell.probability === null || cell.probability === undefined ? '—' : `${cell.probability} %`}
        </td>
      )}
    </tr>
  )
}

/** Open opportunities and share of wallet, one row per business unit, in the matrix's row order. */
function ByUnit({ whitespace }: { whitespace: ViewWhitespace }) {
  const currency = whitespace.currency ?? ''
  // The matrix's row order, as the Units CSV: units with opportunities first read out of order.
  const rows = unitsInMatrixOrder(whitespace)
  const opportunities = new Map(whitespace.opportunities.byRow.map((r) => [r.row, r]))
  const shares = new Map(whitespace.shareOfWallet.map((r) => [r.row, r]))
  return (
    <div className="table-wrap">
      <table className="plan-table" aria-label="By business unit">
        <thead>
          <tr>
            <th scope="col">Business unit</th>
            <th scope="col">Open opportunities</th>
            <th scope="col">Value (weighted)</th>
            <th scope="col">Share of wallet</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const open = opportunities.get(row)
            const share = shares.get(row)
            return (
              <tr key={row} className="plan-row">
                <th scope="row">{row || '—'}</th>
                <td className="number-cell">{open?.count ?? 0}</td>
                <td className="number-cell">{open ? `${money(open.value, currency)} (${money(open.weighted, currency)})` : '—'}</td>
                <td className="number-cell">{share?.share == null ? '—' : `${formatShare(share.share)} of ${money(share.spend, currency)}`}</td>
              </tr>
            )
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="number-cell">{whitespace.opportunities.count}</td>
            <td className="number-cell">
              {money(whitespace.opportunities.value, currency)} ({money(whitespace.opportunities.weighted, currency)})
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  )
}

const COMPETITOR_COLUMNS = [['position', 'Position'], ['strengths', 'Strengths against us'], ['weaknesses', 'Weaknesses against us'], ['relationship', 'Relationship they hold']] as const

function CompetitorTable({ competitors, cells, diff, withheld }: { competitors: readonly ViewCompetitor[]; cells: readonly ViewWhitespaceCell[]; diff: PlanDiff['competitors']; withheld: Withheld | undefined }) {
  const changes = sectionChanges(diff, (competitor) => competitor.id)
  const shown = shownField(withheld, 'competitor')
  const fields = COMPETITOR_COLUMNS.filter(([field]) => shown(field))
  const names = new Map(cells.map((cell) => [cell.id, cellName(cell)]))
  return (
    <PlanTableSection
      id="competitors"
      title="Competitors"
      count={competitors.length}
      label="Competitors"
      columns={['Competitor', ...fields.map(([, header]) => header)]}
      empty="No competitor cards on the board."
      removed={changes?.removed.map((competitor) => titleOf('competitor', competitor.name, 'Unnamed competitor'))}
    >
      {competitors.map((competitor) => (
        <CompetitorRow key={competitor.id} competitor={competitor} names={names} fields={fields.map(([field]) => field)} change={changes?.byId.get(competitor.id)} />
      ))}
    </PlanTableSection>
  )
}

function CompetitorRow({ competitor, names, fields, change }: { competitor: ViewCompetitor; names: ReadonlyMap<string, string>; fields: readonly (typeof COMPETITOR_COLUMNS)[number][0][]; change: ItemChange | undefined }) {
  const supplies = competitor.cells.map((id) => names.get(id)).filter((name) => name !== undefined)
  return (
    <tr className={`plan-row${changeClass(change)}`} data-id={competitor.id}>
      <td>
        <ItemTitle field="name" value={competitor.name ?? ''} placeholder={competitor.name === undefined ? NOT_SHARED.competitor : 'Unnamed competitor'} change={change} />
        {supplies.length > 0 && <small className="muted">Supplies {supplies.join(', ')}</small>}
        <OtherChanges change={change} shown={COMPETITOR_FIELDS} />
      </td>
      {fields.map((field) => (
        <td key={field}>
          <FieldValue field={field} value={competitor[field] ?? null} change={fieldChange(change, field)} />
        </td>
      ))}
    </tr>
  )
}
