import { useContext, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { InternalMark } from '../components/InternalMark.tsx'
import { HideInternalFieldsContext } from './fieldSensitivity.ts'

/**
 * The form controls of the side panel: a labelled field and a select, shared by the inspector's
 * card forms (card text fields are `SharedTextField.tsx`).
 */

/**
 * A label and its control; `children` gets the id to give the control. An `internal` field (issue
 * 13) carries the lock in its label, so its name says so too; where internal fields are hidden (a
 * guest's page, "View as customer") it is not shown at all.
 */
export function Field({ label, internal = false, children }: { label: string; internal?: boolean | undefined; children: (id: string) => ReactNode }) {
  const id = useId()
  const hideInternal = useContext(HideInternalFieldsContext)
  // Whether the person is in this field: updated by focus events, so at the render that hides the
  // field it still says whether the field held the focus.
  const focused = useRef(false)
  const [withdrawn, setWithdrawn] = useState(false)
  const hidden = internal && hideInternal
  if (hidden && focused.current && !withdrawn) setWithdrawn(true)
  if (!hidden && withdrawn) setWithdrawn(false)
  if (hidden) return withdrawn ? <WithdrawnField label={label} /> : null
  return (
    <div className="field" onFocus={() => (focused.current = true)} onBlur={() => (focused.current = false)}>
      <label htmlFor={id}>
        {label}
        {internal && <> <InternalMark /></>}
      </label>
      {children(id)}
    </div>
  )
}

/**
 * In the place of a field the facilitator made internal while this person was in it: the field
 * leaves the page, and with nothing focused tldraw would take the next keys typed as canvas
 * shortcuts ('d' draw, Delete the selected card). The notice takes the focus and keeps the keys.
 */
function WithdrawnField({ label }: { label: string }) {
  const element = useRef<HTMLParagraphElement>(null)
  useLayoutEffect(() => {
    // Not from a notice that took the focus first (a refused last keystroke reloads the board).
    const active = document.activeElement
    if (!active || active === document.body || active.closest('.inspector')) element.current?.focus()
  }, [])
  return (
    <p ref={element} className="field-withdrawn" role="status" tabIndex={-1} onKeyDown={(event) => event.stopPropagation()}>
      “{label}” is now internal: the facilitator took it off what the customer sees, so it is no longer shown here.
    </p>
  )
}

export function SelectField({
  label,
  value,
  options,
  internal,
  onChange,
}: {
  label: string
  value: string
  options: ReadonlyArray<readonly [string, string]>
  internal?: boolean | undefined
  onChange(value: string): void
}) {
  return (
    <Field label={label} internal={internal}>
      {(id) => (
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          {options.map(([optionValue, optionLabel]) => (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}
