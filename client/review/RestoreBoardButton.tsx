import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react'
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
  const opener = useRef<HTMLButtonElement>(null)
  const wasConfirming = useRef(false)
  // Closed (Cancel, Esc, a click outside, restored): the focus goes back to the button that opened
  // it, unless it went somewhere on purpose (QA q29c: it dropped to the page's body).
  useEffect(() => {
    if (wasConfirming.current && !confirming) {
      const active = document.activeElement
      if ((active === null || active === document.body) && opener.current?.isConnected) opener.current.focus()
    }
    wasConfirming.current = confirming
  }, [confirming])
  // A modal keeps the focus: Tab from its last control goes to its first, Shift+Tab the other way.
  const keepFocus = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Tab') return
    const controls = [...event.currentTarget.querySelectorAll<HTMLElement>('button, [href], input, select, textarea')]
    const first = controls[0]
    const last = controls.at(-1)
    if (!first || !last) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

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
      <button ref={opener} type="button" className="button button-small" onClick={() => setConfirming(true)}>
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
            onKeyDown={keepFocus}
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
              {/* Busy, not disabled, while restoring: a disabled button drops the focus. */}
              <button type="button" className="button" aria-disabled={restoring || undefined} onClick={() => !restoring && setConfirming(false)} autoFocus>
                Cancel
              </button>
              <button type="button" className="button button-danger" aria-disabled={restoring || undefined} onClick={() => !restoring && void restore()}>
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
