import { useRef, useState, type FormEvent } from 'react'
import type { PlanSummary } from '../../shared/plan.ts'
import { ApiRequestError, deleteSnapshot, renameSnapshot } from '../api.ts'
import { FormError } from '../components/FormError.tsx'
import { useFocusAfter } from '../components/useFocusAfter.ts'

/**
 * The facilitator names or renames the snapshot, and deletes it when it is an unnamed automatic
 * one (docs/accounts.md [K9]); manual and named snapshots are kept.
 */
export function SnapshotCuration({ workshopId, snapshot, onCurated }: { workshopId: string; snapshot: PlanSummary; onCurated(deleted: boolean): void }) {
  const [editing, setEditing] = useState(false)
  const [label, setLabel] = useState(snapshot.label ?? '')
  const [error, setError] = useState<string | null>(null)
  const deletable = snapshot.label === null && (snapshot.trigger === 'session_end' || snapshot.trigger === 'periodic')

  // The form closes (Save name, Cancel, Esc) with the focus back on Name/Rename, not on the page.
  const opener = useRef<HTMLButtonElement>(null)
  const focusOpener = useFocusAfter(opener, !editing)
  const open = () => {
    setLabel(snapshot.label ?? '') // what is stored, not a name typed and cancelled before
    setError(null)
    setEditing(true)
  }
  const close = () => {
    focusOpener()
    setEditing(false)
  }

  const fail = (e: unknown) => setError(e instanceof ApiRequestError ? e.message : 'Could not change the snapshot.')

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    try {
      await renameSnapshot(workshopId, snapshot.id, label)
      close()
      onCurated(false)
    } catch (e) {
      fail(e)
    }
  }

  async function onDelete() {
    if (!window.confirm('Delete this automatic snapshot? Named and manual snapshots are kept.')) return
    try {
      await deleteSnapshot(workshopId, snapshot.id)
      onCurated(true)
    } catch (e) {
      fail(e)
    }
  }

  return (
    <div className="snapshot-curation">
      {editing ? (
        <form
          onSubmit={onSubmit}
          className="snapshot-rename"
          aria-label="Name the snapshot"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return
            event.stopPropagation()
            close()
          }}
        >
          <input aria-label="Snapshot name" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} autoFocus />
          <button type="submit" className="button button-primary">
            Save name
          </button>
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
        </form>
      ) : (
        <button ref={opener} type="button" className="button" onClick={open}>
          {snapshot.label === null ? 'Name' : 'Rename'}
        </button>
      )}
      {deletable && !editing && (
        <button type="button" className="button" onClick={() => void onDelete()}>
          Delete
        </button>
      )}
      <FormError error={error} inline />
    </div>
  )
}
