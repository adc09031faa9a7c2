import type { ReactNode } from 'react'
import { RemovedList } from './Changes.tsx'

interface PlanTableSectionProps {
  /** Names the heading's id, `plan-<id>-heading`. */
  id: string
  title: string
  count: number
  /** Chips after the count, e.g. "2 overdue". */
  badges?: ReactNode
  /** The table's accessible name. */
  label: string
  columns: readonly string[]
  /** Shown instead of the table when there is nothing in it. */
  empty: string
  /** The table's rows. */
  children: ReactNode
  /** Below the table: totals, related lists. */
  after?: ReactNode
  /** What the compared snapshot had that is gone, by name; null when nothing is compared. */
  removed?: readonly string[] | null | undefined
}

/** One section of the plan as a table: heading and count, the rows (or a hint), and what was removed. */
export function PlanTableSection({ id, title, count, badges, label, columns, empty, children, after, removed }: PlanTableSectionProps) {
  return (
    <section className="plan-section" aria-labelledby={`plan-${id}-heading`}>
      <h2 id={`plan-${id}-heading`} className="plan-section-heading">
        {title} <span className="count">{count}</span>
        {badges}
      </h2>
      {count === 0 ? (
        <p className="empty-hint">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="plan-table" aria-label={label}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
      {after}
      {removed && removed.length > 0 && <RemovedList items={removed} />}
    </section>
  )
}
