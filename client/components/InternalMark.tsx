/** What the lock on anything internal says (issue 13): items on the canvas, card fields, form fields. */
export const INTERNAL_HINT = 'Internal — not shown to the customer'

/**
 * The lock that marks something internal, the same everywhere on the team's pages (drawn, so it
 * looks the same without an emoji font); named for screen readers, with the same tooltip. Guests'
 * pages and "View as customer" never show it.
 */
export function InternalMark({ className = '', field }: { className?: string; field?: string | undefined }) {
  return (
    <span className={`internal-mark ${className}`.trim()} role="img" aria-label={INTERNAL_HINT} title={INTERNAL_HINT} data-field={field}>
      <svg viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z"
        />
      </svg>
    </span>
  )
}
