import { useEffect, useState } from 'react'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import type { RestoreResult } from '../../shared/snapshotApi.ts'
import { restoreBoard } from '../api.ts'
import { getStoredName } from '../identity.ts'
import { FormError } from '../components/FormError.tsx'

interface RestoreBoardButtonProps {
  workshopId: string
  snapshotId: string
  snapshotName: string
  board: BoardId
  /** Called once the server has restored the board (and taken its safety snapshot). */
  onRestored(result: RestoreResult): void
}

/** "Restore this board", with a confirmation that says what will happen to the live board. */
export function RestoreBoardButton({ workshopId, snapshotId, snapshotName, board, onRestored }: RestoreBoardButtonProps) {
  const [confirming, setConfirming] = useState(false)
  const [restoring, setRestoring] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const title = BOARD_TITLES[board]

  useEffect(() => {
    if (!confirming) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !restoring) setConfirming(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [confirming, restoring])

  const restore = async () => {
    setRestoring(true)
    setError(null)
    try {
      const result = await restoreBoard(workshopId, snapshotId, board, getStoredName())
      setConfirming(false)
      onRestored(result)
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
    } finally {
      setRestoring(false)
    }
  }

  return (
    <>
      <button type="button" className="button button-small" onClick={() => setConfirming(true)}>
        <RestoreIcon />
        Restore this board
      </button>
      {confirming && (
        <div className="modal-backdrop" onClick={() => !restoring && setConfirming(false)}>
          <div
            className="card modal restore-dialog"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="restore-title"
            aria-describedby="restore-body"
            onClick={(event) => event.stopPropagation()}
          >
            <h1 id="restore-title">Restore the {title} board?</h1>
            <div id="restore-body" className="restore-body">
              <p>
                The live {title} board goes back to how it was in <strong>{snapshotName}</strong>. Everyone in the room sees
                the change at once.
              </p>
              <p className="muted">
                Items marked internal since then stay internal. A snapshot of the board as it is now is saved first, so you can undo this.
              </p>
            </div>
            <FormError error={error} />
            <div className="popover-actions">
              <button type="button" className="button" disabled={restoring} onClick={() => setConfirming(false)} autoFocus>
                Cancel
              </button>
              <button type="button" className="button button-danger" disabled={restoring} onClick={() => void restore()}>
                {restoring ? 'Restoring…' : `Restore ${title}`}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  )
}

function RestoreIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M3 12a9 9 0 1 0 3-6.7" />
      <path d="M3 4v5h5" />
    </svg>
  )
}
