/** What the lock on anything internal says (issue 13): items on the canvas, card fields, form fields. */
export const INTERNAL_HINT = 'Internal — not shown to the customer'

/**
 * The lock that marks something internal, the same everywhere on the team's pages; named for
 * screen readers and with the same tooltip. Guests' pages and "View as customer" never show it.
 */
export function InternalMark({ className = '', field }: { className?: string; field?: string | undefined }) {
  return (
    <span className={`internal-mark ${className}`.trim()} role="img" aria-label={INTERNAL_HINT} title={INTERNAL_HINT} data-field={field}>
      🔒
    </span>
  )
}
