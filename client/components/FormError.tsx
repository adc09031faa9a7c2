/**
 * A form's or panel's error message, announced to screen readers; nothing when there is none.
 * `inline` sets it beside a row of buttons (exports, snapshot curation) instead of under a form.
 */
export function FormError({ error, inline = false }: { error: string | null; inline?: boolean }) {
  if (!error) return null
  const Tag = inline ? 'span' : 'p'
  return (
    <Tag className={inline ? 'form-error small' : 'form-error'} role="alert">
      {error}
    </Tag>
  )
}
