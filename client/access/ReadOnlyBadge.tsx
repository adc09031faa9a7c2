/** Shown in the header on a board this role may read but not change (viewer; guest on a read-only board). */
export function ReadOnlyBadge() {
  return (
    <span className="read-only-badge" role="status" title="You can look at this board but not change it.">
      Read-only
    </span>
  )
}
