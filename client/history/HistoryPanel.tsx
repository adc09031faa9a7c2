import { PopoverClose } from '../components/PopoverClose.tsx'
import { useCallback, useEffect, useRef, useState } from 'react'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { MAX_CHANGES_PAGE, type BoardChange, type RevertResult } from '../../shared/historyApi.ts'
import { listChanges, revertChange } from '../api.ts'
import { getStoredName } from '../identity.ts'
import { FormError } from '../components/FormError.tsx'
import { useDismiss } from '../components/useDismiss.ts'
import { authorOf, describeChange, isInternalChange, revertSummary, timeAgo } from './describeChange.ts'
import './history.css'
import { useFitInViewport } from '../components/useFitInViewport.ts'

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))


/**
 * The facilitator's "History" popover for one board: who changed what and when ("Tom Weber
 * deleted 12 notes · 2 min ago"), newest first, each with a Revert button. A revert is a new
 * change on the board that everyone sees; what was changed again since stays (docs/server-rules.md [H4]).
 */
export function HistoryPanel({ workshopId, board, archived = false }: { workshopId: string; board: BoardId; archived?: boolean }) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const close = useCallback(() => setOpen(false), [])
  useDismiss(open, root, close)

  return (
    <div className="history" ref={root}>
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-haspopup="dialog"
        title="Who changed what on this board, and revert"
        onClick={() => setOpen(!open)}
      >
        History
      </button>
      {open && <HistoryList workshopId={workshopId} board={board} archived={archived} onClose={close} />}
    </div>
  )
}

/** `archived`: the workshop's boards are read-only, and so is its history (QA q28d: Revert was offered, then refused). */
function HistoryList({ workshopId, board, archived, onClose }: { workshopId: string; board: BoardId; archived: boolean; onClose(): void }) {
  const [changes, setChanges] = useState<BoardChange[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  // Said beside the change it reverted (QA q28b: at the top of a long list it was out of view).
  const [result, setResult] = useState<{ changeId: string; text: string } | null>(null)
  const [generation, setGeneration] = useState(0)
  // As many changes as were shown, read again after a revert (the older pages folded away).
  const shown = useRef(0)
  shown.current = changes?.length ?? 0
  const fitted = useFitInViewport<HTMLDivElement>()

  useEffect(() => {
    const controller = new AbortController()
    const limit = generation === 0 ? undefined : Math.min(MAX_CHANGES_PAGE, Math.max(20, shown.current + 1))
    listChanges(workshopId, board, null, controller.signal, limit)
      .then((page) => {
        setChanges(page.changes)
        setNextCursor(page.nextCursor)
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(message(caught))
      })
    return () => controller.abort()
  }, [workshopId, board, generation])

  const older = async () => {
    if (nextCursor === null) return
    setBusy('older')
    try {
      const page = await listChanges(workshopId, board, nextCursor)
      setChanges((shown) => [...(shown ?? []), ...page.changes])
      setNextCursor(page.nextCursor)
    } catch (caught) {
      setError(message(caught))
    } finally {
      setBusy(null)
    }
  }

  const revert = async (change: BoardChange) => {
    setBusy(change.id)
    setError(null)
    setResult(null)
    try {
      setResult({ changeId: change.id, text: revertSummary(await revertChange(workshopId, board, change.id, getStoredName())) })
      setGeneration((n) => n + 1)
    } catch (caught) {
      setError(message(caught))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="popover history-popover" role="dialog" aria-label={`History of the ${BOARD_TITLES[board]} board`} ref={fitted}>
      <div className="history-head">
        <h2 className="popover-title">History · {BOARD_TITLES[board]}</h2>
        <button type="button" className="button button-small" onClick={() => setGeneration((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {result && !changes?.some((change) => change.id === result.changeId) && (
        <p className="history-result" role="status">
          {result.text}
        </p>
      )}
      {archived && <p className="muted">The workshop is archived: unarchive it in the Share panel to revert a change.</p>}
      {changes === null && !error && <p className="muted">Loading history…</p>}
      {changes?.length === 0 && <p className="muted">No changes yet.</p>}
      {changes && changes.length > 0 && (
        <ul className="history-changes">
          {changes.map((change) => {
            const internal = isInternalChange(change)
            const text = `${authorOf(change)} ${describeChange(change)}${internal ? ' (internal)' : ''}`
            return (
              <li key={change.id} className="history-change" data-change-kind={change.kind} data-internal={internal || undefined}>
                <span className="history-text">
                  <strong>{authorOf(change)}</strong> {describeChange(change)}
                  {internal && (
                    <span className="history-internal" title="Internal: guests never see this change">
                      {' '}
                      🔒 Internal
                    </span>
                  )}
                  <span className="muted"> · {timeAgo(change.at)}</span>
                </span>
                {/* aria-disabled, not disabled: a disabled button loses the focus, which dropped to the page. */}
                {!archived && (
                  <button
                    type="button"
                    className="button button-small"
                    aria-disabled={busy !== null}
                    aria-label={`Revert: ${text}`}
                    onClick={() => {
                      if (busy === null) void revert(change)
                    }}
                  >
                    {busy === change.id ? 'Reverting…' : 'Revert'}
                  </button>
                )}
                {result?.changeId === change.id && (
                  <p className="history-result" role="status">
                    {result.text}
                  </p>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {nextCursor !== null && (
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy !== null}
          onClick={() => {
            if (busy === null) void older()
          }}
        >
          Older changes
        </button>
      )}
      <FormError error={error} />
      {/* Last, so the focus goes to the first real control on open; shown first (CSS order). */}
      <PopoverClose onClose={onClose} />
    </div>
  )
}
