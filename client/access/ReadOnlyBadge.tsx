/**
 * Shown in the header on a board this role may read but not change (viewer; guest on a read-only
 * board; everyone while the workshop is archived, which it says, with the way back).
 */
export function ReadOnlyBadge({ archived = false }: { archived?: boolean }) {
  if (archived) {
    return (
      <span className="read-only-badge" role="status" title="This workshop is archived: every board is read-only. The facilitator can unarchive it in the Share panel.">
        Archived · read-only
      </span>
    )
  }
  return (
    <span className="read-only-badge" role="status" title="You can look at this board but not change it.">
      Read-only
    </span>
  )
}
