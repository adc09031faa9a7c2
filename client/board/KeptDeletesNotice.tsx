import { useEditor, useValue } from 'tldraw'
import { keptDeletes } from './keptDeletes.ts'

/**
 * "Guests can delete only what they added": after a guest's Delete (or Cut) that left cards added
 * by someone else on the board ([R7]; the page never sends such a delete, the server would refuse
 * it). Non-blocking; Dismiss removes it, the next such delete shows it again.
 */
export function KeptDeletesNotice() {
  const editor = useEditor()
  const $kept = keptDeletes(editor.store)
  const kept = useValue('kept deletes', () => $kept.get(), [$kept])
  if (!kept) return null
  const what = kept.count === 1 ? 'This item was added by someone else, so it stays' : `${kept.count} items were added by someone else, so they stay`
  return (
    <div className="kept-deletes">
      <div key={kept.key} className="field-kept" role="alert">
        <p>Guests can delete only what they added. {what} on the board.</p>
        <button type="button" className="button" onClick={() => $kept.set(null)}>
          Dismiss
        </button>
      </div>
    </div>
  )
}
