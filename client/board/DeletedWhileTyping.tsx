import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { useValue, type Editor, type TLShape } from 'tldraw'
import { copyText } from '../copyText.ts'

/**
 * A card a peer deleted while this person was in one of its side-panel fields. The fields leave
 * the panel with the card, and with nothing focused tldraw would take the next keys typed as
 * canvas shortcuts ('l' the laser, Delete the selected card) and what was typed would be gone. So
 * the panel shows a notice in their place that takes the focus, keeps the keys to itself, says who
 * deleted the card (when a peer's page had it selected), and keeps the text that was in the field
 * where it can be selected and copied.
 */
export interface DeletedWhileTyping {
  /** Who deleted it: the peers who had the card selected, or null when nobody's page said so. */
  by: string | null
  /** The field's label ("Notes"). */
  label: string
  /** The field the person was in (detached now; it still holds its last value), or null for a list. */
  field: HTMLInputElement | HTMLTextAreaElement | null
}

/**
 * Watches the card shown in the inspector (`shape`, the section `inspector`) for a delete that
 * comes from a peer while the focus is in one of its fields.
 * @returns the notice to show (null when there is none) and a function that closes it
 */
export function useDeletedWhileTyping(editor: Editor, shape: TLShape | null, inspector: RefObject<HTMLElement | null>): [DeletedWhileTyping | null, () => void] {
  const [deleted, setDeleted] = useState<DeletedWhileTyping | null>(null)
  const shapeId = shape?.id ?? null
  // The peers with the card selected, remembered while it is shown: their presence may say that
  // they selected nothing before their delete arrives (presence is not stored before it is relayed).
  const selectors = useValue('peers selecting the card', () => (shapeId ? peersSelecting(editor, shapeId) : ''), [editor, shapeId])
  const lastSelectors = useRef({ shapeId, names: '' })
  if (lastSelectors.current.shapeId !== shapeId) lastSelectors.current = { shapeId, names: '' }
  if (selectors) lastSelectors.current.names = selectors

  useEffect(() => {
    if (!shapeId) return
    // Before the delete is applied: the field still has the focus, and React has not yet removed it.
    return editor.sideEffects.registerBeforeDeleteHandler('shape', (record, source) => {
      if (source !== 'remote' || record.id !== shapeId) return
      const active = document.activeElement
      const section = inspector.current
      if (!(active instanceof HTMLElement) || !section?.contains(active) || !active.closest('.inspector-fields')) return
      const field = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : null
      const label = (active as HTMLInputElement).labels?.[0]?.textContent?.trim() || 'this field' // a select has labels too
      const by = peersSelecting(editor, shapeId) || lastSelectors.current.names
      setDeleted({ by: by || null, label, field })
    })
  }, [editor, shapeId, inspector])

  return [deleted, () => setDeleted(null)]
}

/** The names of the peers whose page has `shapeId` selected, joined (a string, so equal sets compare equal). */
export function peersSelecting(editor: Editor, shapeId: string): string {
  const names = new Set<string>()
  for (const presence of editor.store.query.records('instance_presence').get()) {
    if (presence.selectedShapeIds.some((id) => id === shapeId) && presence.userName) names.add(presence.userName)
  }
  return [...names].join(' and ')
}

/**
 * The notice in the panel; `onClose` removes it and gives the keys back to the canvas. On a page
 * that leaves out what is internal (`hidesInternal`: a guest's), a card leaves when someone deletes
 * it or when the team makes it internal, and the page cannot tell which: it says "removed".
 */
export function DeletedWhileTypingNotice({ deleted, hidesInternal, onClose }: { deleted: DeletedWhileTyping; hidesInternal: boolean; onClose(): void }) {
  // Read at the first render: keys typed before the field left the page are in it.
  const [text] = useState(() => deleted.field?.value ?? '')
  const { copied, copy, notice, box } = useKeptTextBox(text)
  return (
    // tldraw takes keys that reach the page as canvas shortcuts: none leave the notice.
    <div ref={notice} className="field-kept" role="alert" tabIndex={-1} onKeyDown={(event) => event.stopPropagation()}>
      <p>
        {cardGone(deleted.by, hidesInternal)} {text ? <>Your text in {deleted.label} is kept here to copy:</> : null}
      </p>
      {text && <textarea ref={box} aria-label={`Your text in ${deleted.label}`} rows={4} readOnly value={text} />}
      {text && (
        <>
          <button type="button" className="button" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy text'}
          </button>{' '}
        </>
      )}
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </div>
  )
}

/** The notice's first sentence: who took the card away, when a page said so. */
function cardGone(by: string | null, hidesInternal: boolean): string {
  const verb = hidesInternal ? 'removed' : 'deleted'
  return by === null ? `This card was ${verb} while you were typing.` : `${by} ${verb} this card while you were typing.`
}

/**
 * The box of a notice that keeps a text someone was typing when its field or shape went away: it
 * takes the focus in the same commit as the notice appears (the box, its text selected, or the
 * notice when there is no text), so no key typed next reaches the canvas; `copy` puts the text on
 * the clipboard (or leaves it selected for Ctrl+C where the clipboard is refused).
 */
export function useKeptTextBox(text: string): { copied: boolean; copy(): Promise<void>; notice: RefObject<HTMLDivElement | null>; box: RefObject<HTMLTextAreaElement | null> } {
  const [copied, setCopied] = useState(false)
  const notice = useRef<HTMLDivElement>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  useLayoutEffect(() => {
    if (box.current) {
      box.current.focus()
      box.current.select()
    } else notice.current?.focus()
  }, [])
  const copy = async () => {
    // Not copied (a refused prompt): the text stays selected for Ctrl+C.
    setCopied(await copyText(text))
    box.current?.select()
  }
  return { copied, copy, notice, box }
}
