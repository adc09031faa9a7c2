import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { PlanView } from '../../shared/plan.ts'
import { ApiRequestError, saveSnapshot } from '../api.ts'
import { seenVersions } from '../board/seenVersions.ts'
import { FormError } from '../components/FormError.tsx'
import { useDismiss } from '../components/useDismiss.ts'
import './review.css'
import { useFitInViewport } from '../components/useFitInViewport.ts'

interface SaveSnapshotButtonProps {
  workshopId: string
  /** Called with the new snapshot once the server has stored it. */
  onSaved?(snapshot: PlanView): void
  primary?: boolean
}

/**
 * "Save snapshot": asks for an optional label in a small popover, then snapshots every board of
 * the workshop. Used in the workshop header and on the review page.
 */
export function SaveSnapshotButton({ workshopId, onSaved, primary = false }: SaveSnapshotButtonProps) {
  const [open, setOpen] = useState(false)
  const [label, setLabel] = useState('')
  const [saving, setSaving] = useState(false)
  // The failure's code too: `edits_not_arrived` offers to save without them ([S42]).
  const [error, setError] = useState<{ message: string; code: string | null } | null>(null)
  const [savedAt, setSavedAt] = useState<number | null>(null)
  const root = useRef<HTMLDivElement>(null)
  const fitted = useFitInViewport<HTMLFormElement>()
  const inputId = useId()
  const close = useCallback(() => setOpen(false), [])
  useDismiss(open, root, close)

  // The "Saved" confirmation fades after a few seconds.
  useEffect(() => {
    if (savedAt === null) return
    const timer = window.setTimeout(() => setSavedAt(null), 4000)
    return () => window.clearTimeout(timer)
  }, [savedAt])

  // [S42] with what this page holds, unless the person chose to save without edits that did not arrive.
  const save = async (withSeen: boolean) => {
    setSaving(true)
    setError(null)
    try {
      const snapshot = await saveSnapshot(workshopId, label.trim() || null, withSeen ? seenVersions(workshopId) : [])
      setOpen(false)
      setLabel('')
      setSavedAt(Date.now())
      onSaved?.(snapshot)
    } catch (caught) {
      setError({ message: caught instanceof Error ? caught.message : String(caught), code: caught instanceof ApiRequestError ? caught.code : null })
    } finally {
      setSaving(false)
    }
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void save(true)
  }

  return (
    <div className="save-snapshot" ref={root}>
      <button
        type="button"
        className={`button${primary ? ' button-primary' : ''}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label="Save snapshot"
        title="Save a snapshot of every board"
        onClick={() => {
          setOpen(!open)
          setError(null)
        }}
      >
        <CameraIcon />
        <span className="compact-label">Save snapshot</span>
      </button>
      {savedAt !== null && !open && (
        <span className="save-snapshot-done" role="status">
          Snapshot saved
        </span>
      )}
      {open && (
        <form className="popover" role="dialog" aria-label="Save snapshot" onSubmit={submit} ref={fitted}>
          <p className="popover-title">Save a snapshot of every board</p>
          <div className="field">
            <label htmlFor={inputId}>Label (optional)</label>
            <input
              id={inputId}
              type="text"
              value={label}
              maxLength={200}
              placeholder="e.g. After the Q3 review"
              autoFocus
              onChange={(event) => setLabel(event.target.value)}
            />
          </div>
          <FormError error={error?.message ?? null} />
          <div className="popover-actions">
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            {error?.code === 'edits_not_arrived' && (
              <button type="button" className="button" disabled={saving} onClick={() => void save(false)}>
                Save without them
              </button>
            )}
            <button type="submit" className="button button-primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}

function CameraIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z" />
      <circle cx="12" cy="13.5" r="3.5" />
    </svg>
  )
}
