import { useContext, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { InternalMark } from '../components/InternalMark.tsx'
import { ISO_DATE_PATTERN } from '../../shared/shapes.ts'
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

/** The earliest date handed on: years below 1000 are a year still being typed. */
const MIN_DATE = '1000-01-01'

/**
 * A calendar date control that hands on only what a card can hold: `YYYY-MM-DD` from year 1000, or
 * empty. The browser's date input takes years of up to six digits ("20271-12-31", one digit too
 * many typed into the year), which the card's validator refuses by throwing inside tldraw: the
 * whole board fell to its error screen. And a year typed digit by digit passes through 0002, 0020
 * and 0202, which every peer would see (and the history keep) on the way to 2027; a month typed
 * over the 31st passes through no date at all (June 31st), which cleared the card's date. The
 * field keeps what is typed as its own draft and hands on only a date from year 1000, or an empty
 * field that was cleared; left with a date it did not hand on, it shows the stored date again.
 */
export function DateInput(props: DateInputProps) {
  // A field of its own for each card (`subject`): the side panel keeps its inputs from one selected
  // card to the next, and a date being typed, handed on as the input lost the focus to the click on
  // another card, went to that card (QA q32a).
  return <CardDateInput key={props.subject} {...props} />
}

type DateInputProps = {
  id: string
  /** What the date is of (the card's id): another subject is another field, with nothing carried over. */
  subject: string
  value: string
  onChange(value: string): void
  invalid?: boolean | undefined
}

function CardDateInput({ id, value, onChange, invalid }: DateInputProps) {
  const [draft, setDraft] = useState(value)
  /** Whether this person changed the field's date since coming into it. */
  const editing = useRef({ dirty: false })
  // Someone else's change shows at once, except over a date being typed here.
  useEffect(() => {
    if (!editing.current.dirty) setDraft(value)
  }, [value])
  /** The field's date if the card may hold it: complete from year 1000, or cleared; else undefined. */
  const complete = (field: HTMLInputElement): string | undefined => {
    const next = field.value
    // Empty and a bad input: a date half typed (a month whose day it lacks), not one cleared.
    if (next === '') return field.validity.badInput ? undefined : ''
    return ISO_DATE_PATTERN.test(next) && next >= MIN_DATE ? next : undefined
  }
  // Only what this person typed is handed on: a field only passed through (Tab, a click) never
  // writes back its date over the one a colleague set meanwhile.
  /** Hands on the field's date when this person changed it and the card may hold it; returns that date. */
  const handOn = (field: HTMLInputElement): string | undefined => {
    if (!editing.current.dirty) return undefined
    const next = complete(field)
    if (next !== undefined && next !== value) onChange(next)
    return next
  }
  return (
    <input
      id={id}
      type="date"
      min={MIN_DATE}
      max="9999-12-31"
      value={draft}
      aria-invalid={invalid || undefined}
      onFocus={() => {
        editing.current = { dirty: false }
      }}
      onBlur={(event) => {
        const next = handOn(event.currentTarget)
        editing.current = { dirty: false }
        setDraft(next ?? value)
      }}
      onChange={(event) => {
        editing.current.dirty = true
        setDraft(event.target.value)
        handOn(event.target)
      }}
      // From half typed to cleared the value stays empty, and the browser fires no input event:
      // a key that empties the last part is seen here.
      onKeyUp={(event) => {
        if (event.key === 'Backspace' || event.key === 'Delete') editing.current.dirty = true
        handOn(event.currentTarget)
      }}
    />
  )
}
