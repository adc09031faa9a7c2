import { useEffect } from 'react'
import { useEditor, useValue } from 'tldraw'
import { keptDeletes } from './keptDeletes.ts'

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
  const shown = kept !== null
  useEffect(() => {
    if (!shown) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') $kept.set(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [shown, $kept])
  const dismiss = () => {
    $kept.set(null)
    editor.getContainer().focus()
    editor.focus()
  }
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
