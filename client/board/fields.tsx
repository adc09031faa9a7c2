import { useContext, useId, type ReactNode } from 'react'
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
  if (internal && hideInternal) return null
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {internal && <> <InternalMark /></>}
      </label>
      {children(id)}
    </div>
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
