import { useEffect } from 'react'
import { useEditor, useValue, type Atom, type Editor } from 'tldraw'
import { keptDeletes, keptTemplates } from './keptDeletes.ts'

/**
 * "Guests can delete only what they added": after a guest's Delete (or Cut) that left cards added
 * by someone else on the board ([R7]; the page never sends such a delete, the server would refuse
 * it). Non-blocking: the focus stays where it was (the canvas, usually). Dismiss removes it and
 * gives the focus to the canvas (it dropped to the page); Esc removes it too (and does on the
 * canvas what it does there); the next such delete shows it again.
 */
export function KeptDeletesNotice() {
  const editor = useEditor()
  const $kept = keptDeletes(editor.store)
  const kept = useValue('kept deletes', () => $kept.get(), [$kept])
  const dismiss = useDismissal(editor, kept !== null, $kept)
  if (!kept) return null
  const what = kept.count === 1 ? 'This item was added by someone else, so it stays' : `${kept.count} items were added by someone else, so they stay`
  return (
    <div className="kept-deletes">
      <div key={kept.key} className="field-kept" role="alert">
        <p>Guests can delete only what they added. {what} on the board.</p>
        <button type="button" className="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </div>
  )
}

/**
 * "The frames of this board are the facilitator's": after a team member or guest tried to rename,
 * move or change a template frame (a SWOT quadrant, a status column) — the page keeps it as it
 * was, and without a word the typing or the drag would just vanish. Non-blocking, like
 * {@link KeptDeletesNotice}: Dismiss or Esc removes it; the next try shows it again.
 */
export function KeptTemplatesNotice() {
  const editor = useEditor()
  const $kept = keptTemplates(editor.store)
  const kept = useValue('kept templates', () => $kept.get(), [$kept])
  const dismiss = useDismissal(editor, kept !== null, $kept)
  if (kept === null) return null
  return (
    <div className="kept-deletes">
      <div key={kept} className="field-kept" role="alert">
        <p>This board’s frames and their names are set by the facilitator: only they can rename, move or delete them. Add and move notes and cards inside them as you like.</p>
        <button type="button" className="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </div>
  )
}

/**
 * How a board notice goes: Esc anywhere on the page clears `$notice` while it is `shown` (and does
 * on the canvas what it does there), since a notice that keeps no focus still goes with the key
 * people press to dismiss; the returned `dismiss` (its button) clears it and gives the canvas the
 * focus (it dropped to the page).
 */
function useDismissal(editor: Editor, shown: boolean, $notice: Atom<unknown>): () => void {
  useEffect(() => {
    if (!shown) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') $notice.set(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [shown, $notice])
  return () => {
    $notice.set(null)
    editor.getContainer().focus()
    editor.focus()
  }
}
