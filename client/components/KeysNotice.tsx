import { useLayoutEffect, useRef } from 'react'

/**
 * A notice that keeps the keys typed next, with a Dismiss button; Esc dismisses it too. It takes
 * the focus when nothing else on the page has it, or the board or its side panel had it: the field
 * or canvas the person was typing into went away or turned read-only (a refused change reloaded
 * the board, a presentation ended while offline, the workshop was archived), and tldraw would take
 * keys typed outside an editable field as shortcuts ('d' draw, 'r' rectangle, Delete the
 * selection). The notice keeps typed keys to itself, until the person clicks back into the board.
 * Over the board it is `board-notice` with `role="alert"`; in the side panel, `field-withdrawn`.
 */
export function KeysNotice({ text, onDismiss, className, role }: { text: string; onDismiss(): void; className: string; role: 'alert' | 'status' }) {
  const element = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const active = document.activeElement
    if (!active || active === document.body || active.closest('.canvas, .inspector')) element.current?.focus()
  }, [text])
  return (
    <div
      ref={element}
      className={className}
      role={role}
      tabIndex={-1}
      onKeyDown={(event) => {
        // Keys typed here are the notice's, not the canvas's shortcuts.
        event.stopPropagation()
        if (event.key === 'Escape') onDismiss()
      }}
    >
      <span>{text}</span>
      <button type="button" className="button button-small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  )
}
