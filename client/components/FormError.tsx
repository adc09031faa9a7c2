/** A form's or panel's error message, announced to screen readers; nothing when there is none. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  )
}

/** An error beside a button row (exports, snapshot curation), announced like {@link FormError}. */
export function InlineError({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <span className="form-error small" role="alert">
      {error}
    </span>
  )
}
