import { useEffect, useRef, useState } from 'react'
import {
  DEFAULT_SENSITIVITY,
  SENSITIVE_FIELDS,
  type FieldSensitivity,
  type SensitiveField,
  type Sensitivity,
  type SensitivityOverrides,
} from '../../shared/sensitivity.ts'
import { getSensitivity, putSensitivity } from '../api.ts'
import { FormError } from '../components/FormError.tsx'
import { FIELD_LABELS } from './fieldLabels.ts'
import { InternalMark } from '../components/InternalMark.tsx'
import { announceSensitivity, useWorkshopSensitivity } from './workshopSensitivity.ts'

/** The card type (or `relationship`) a field belongs to: the part of its key before the dot. */
type FieldGroup = SensitiveField extends `${infer Group}.${string}` ? Group : never

/** Headings of the groups, in the order of `DEFAULT_SENSITIVITY`. */
const GROUP_TITLES = {
  stakeholder: 'Stakeholder cards',
  relationship: 'Lines on the stakeholder map',
  action: 'Action cards',
  objective: 'Objective cards',
  whitespace: 'Whitespace cells',
  competitor: 'Competitor cards',
} as const satisfies Record<FieldGroup, string>


const CHOICES = [
  ['visible', 'Customer-visible'],
  ['internal', 'Internal'],
] as const satisfies ReadonlyArray<readonly [FieldSensitivity, string]>

const groupOf = (field: SensitiveField) => field.slice(0, field.indexOf('.')) as FieldGroup // every key is `<group>.<field>`

const GROUPS = [...new Set(SENSITIVE_FIELDS.map(groupOf))].map((group) => ({
  group,
  fields: SENSITIVE_FIELDS.filter((field) => groupOf(field) === group),
}))

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * The Share panel's "What the customer sees" (issue 13): every field with a sensitivity, grouped
 * by card type, customer-visible or internal, the default marked. The facilitator changes one at a
 * time (`PUT /sensitivity`: the server moves the values before it answers, [A35], and tells every
 * team page, [C11]); the team's other roles see the same, read-only.
 */
export function SensitivitySection({ workshopId, canEdit }: { workshopId: string; canEdit: boolean }) {
  const live = useWorkshopSensitivity(workshopId, true)
  /** The newest choice, shown at once until the server has answered every request. */
  const [optimistic, setOptimistic] = useState<Sensitivity | null>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  /**
   * The choices not sent yet (every field changed since the last request: only those are sent, so
   * another facilitator's change to another field stands, QA q36a), the newest of them, and what
   * the panel shows meanwhile. One request at a time, in order.
   */
  const pending = useRef<{ changes: SensitivityOverrides; field: SensitiveField; sensitivity: Sensitivity } | null>(null)
  const sending = useRef(false)

  // Read afresh each time the panel opens; the page's copy follows.
  useEffect(() => {
    const controller = new AbortController()
    getSensitivity(workshopId, controller.signal).then(
      (view) => announceSensitivity(workshopId, view.fields),
      (caught: unknown) => {
        if (!controller.signal.aborted) setLoadError(`Could not read which fields are internal: ${message(caught)}`)
      },
    )
    return () => controller.abort()
  }, [workshopId])

  const shown = optimistic ?? live

  const send = async () => {
    sending.current = true
    setSaving(true)
    while (pending.current !== null) {
      const { changes, field, sensitivity } = pending.current
      pending.current = null
      try {
        const view = await putSensitivity(workshopId, changes)
        announceSensitivity(workshopId, view.fields)
        if (pending.current === null) setSaved(`Saved: ${FIELD_LABELS[field]} (${GROUP_TITLES[groupOf(field)].toLowerCase()}) is ${sensitivity[field] === 'visible' ? 'customer-visible' : 'internal'}.`)
      } catch (caught) {
        // Refused: the choices made since stand on their own; only the last answer is shown.
        if (pending.current === null) setError(`Not saved: ${message(caught)}`)
      }
    }
    sending.current = false
    setSaving(false)
    // The page's copy now holds the server's last answer (or, refused, what it held before).
    setOptimistic(null)
  }

  const change = (field: SensitiveField, value: FieldSensitivity) => {
    const base = pending.current?.sensitivity ?? shown
    if (!base || base[field] === value) return
    const next = { ...base, [field]: value }
    pending.current = { changes: { ...pending.current?.changes, [field]: value }, field, sensitivity: next }
    setOptimistic(next)
    setSaved(null)
    setError(null)
    if (!sending.current) void send()
  }

  return (
    <section className="share-section" aria-labelledby="share-sensitivity-heading">
      <h2 id="share-sensitivity-heading" className="popover-title">
        What the customer sees
      </h2>
      <p className="muted">
        Guests receive only customer-visible fields; internal ones <InternalMark /> stay with the team, on customer-facing boards too.{' '}
        {canEdit ? 'A change applies at once, also to guests already connected.' : 'Only the facilitator changes these.'}
      </p>
      {shown && !loadError && (
        <div className="sensitivity-groups">
          {GROUPS.map(({ group, fields }) => {
            const internal = fields.filter((field) => shown[field] === 'internal').length
            return (
              <details key={group} className="sensitivity-group" data-group={group}>
                <summary>
                  <span className="sensitivity-group-title">{GROUP_TITLES[group]}</span>{' '}
                  <span className="muted small">
                    {internal === 0 ? 'all customer-visible' : `${internal} of ${fields.length} internal`}
                  </span>
                </summary>
                <ul className="sensitivity-fields">
                  {fields.map((field) => (
                    <li key={field}>
                      <div
                        className="sensitivity-field"
                        role="radiogroup"
                        aria-labelledby={`sensitivity-${field}-label`}
                        data-field={field}
                        data-sensitivity={shown[field]}
                      >
                        <span id={`sensitivity-${field}-label`} className="sensitivity-label">
                          {FIELD_LABELS[field]}
                          {shown[field] === 'internal' && <> <InternalMark /></>}
                        </span>
                        <span className="sensitivity-choices">
                          {CHOICES.map(([value, text]) => (
                            <label key={value} className="sensitivity-choice">
                              <input
                                type="radio"
                                name={`sensitivity-${field}`}
                                value={value}
                                checked={shown[field] === value}
                                disabled={!canEdit}
                                onChange={() => change(field, value)}
                              />
                              <span>
                                {text}
                                {DEFAULT_SENSITIVITY[field] === value && <span className="sensitivity-default"> (default)</span>}
                              </span>
                            </label>
                          ))}
                        </span>
                      </div>
                      {field === 'action.status' && shown[field] === 'internal' && (
                        // The board itself shows it (QA q30b): say so where the choice is made.
                        <p className="muted small sensitivity-note">
                          The action plan's columns are its statuses: a guest who sees the board sees each card's column. Only the status label and the overdue marks are left out.
                        </p>
                      )}
                    </li>
                  ))}
                </ul>
              </details>
            )
          })}
        </div>
      )}
      {!shown && !loadError && <p className="muted">Loading…</p>}
      <p className="muted small" role="status">
        {saving ? 'Saving…' : saved}
      </p>
      <FormError error={loadError ?? error} />
    </section>
  )
}
