import type { Editor, TLPointerEventInfo } from 'tldraw'

/** The part of tldraw's click manager (private in tldraw 5.4.2, which the package pins) this wraps. */
interface ClickManager {
  handlePointerEvent(info: TLPointerEventInfo): TLPointerEventInfo | { name: string }
  cancelDoubleClickTimeout(): void
}

/**
 * Tells a double click from two clicks by the time between them, on `editor`.
 *
 * tldraw's click manager counts a pointer down as the second of a double click unless a timer,
 * started by the one before, has run out (`doubleClickDurationMs`, 450 ms). A browser runs input
 * before timers, so on a page busy past that timer (applying a teammate's changes, a large board
 * opening) a click 800 ms after the one before reached tldraw first and counted as a double click:
 * a click on empty canvas started a text box, a click on a card started one on it, and a click on
 * a note went into its text (found while reading a CI failure, 2026-12-06). Here a pointer down
 * that comes more than `doubleClickDurationMs` after the one before, by the events' own times,
 * starts a new click whatever the timer has done.
 *
 * The upstream report we would file (tldraw, `ClickManager`): "double_click detection relies on a
 * setTimeout to expire the pending click; on a busy main thread input runs before the timer, so two
 * slow clicks become a double click. Compare the pointer events' timestamps instead."
 *
 * @returns a function that puts tldraw's own handling back
 */
export function judgeClicksByTheirTime(editor: Editor): () => void {
  const manager = (editor as unknown as { _clickManager?: ClickManager })._clickManager // private field, see ClickManager above
  if (!manager) return () => {}
  const container = editor.getContainer()
  /** When the pointer down tldraw is about to handle happened (its DOM event's time). */
  let downAt: number | null = null
  let lastDownAt = Number.NEGATIVE_INFINITY
  const onPointerDown = (event: PointerEvent) => {
    downAt = event.timeStamp
  }
  // Capture on the container: before tldraw's own listeners on the canvas inside it.
  container.addEventListener('pointerdown', onPointerDown, true)
  const handle = manager.handlePointerEvent
  manager.handlePointerEvent = (info: TLPointerEventInfo) => {
    if (info.name === 'pointer_down') {
      const at = downAt ?? performance.now() // a pointer down without a DOM one (tldraw's Comma key)
      downAt = null
      if (at - lastDownAt > editor.options.doubleClickDurationMs) manager.cancelDoubleClickTimeout()
      lastDownAt = at
    }
    return handle.call(manager, info)
  }
  return () => {
    container.removeEventListener('pointerdown', onPointerDown, true)
    manager.handlePointerEvent = handle
  }
}
